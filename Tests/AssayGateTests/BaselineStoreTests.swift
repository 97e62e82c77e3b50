import AssayCore
import AssayTestSupport
import Foundation
import Testing
@testable import AssayGate

/// Saving, listing and resolving named baselines, and locating run records by path.
struct BaselineStoreTests {
    @Test func saveListAndResolve() throws {
        let root = TemporaryDirectory.uniqueURL(prefix: "assay-baselines")
        defer { try? FileManager.default.removeItem(at: root) }
        let runDirectory = root.appendingPathComponent("Reports/gate-test/run-1")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        try RecordCoding.encoder().encode(SyntheticRuns.record([SyntheticRuns.conformanceCase("smoke/relu/shape1000/f32", .pass)], runID: "run-1"))
            .write(to: runDirectory.appendingPathComponent("run.json"))
        let store = BaselineStore(folder: root.appendingPathComponent("Baselines"))

        let source = try RunRecordLocator.locate("Reports/gate-test/run-1", relativeTo: root, baselines: nil)
        #expect(source.lastPathComponent == "run.json")
        try store.save(source, as: "main")
        #expect(store.list() == ["main"])
        let (record, url) = try RunRecordLocator.load("main", relativeTo: root, baselines: store)
        #expect(record.runID == "run-1" && url == store.recordURL("main"))

        #expect(throws: InputError.self) { try store.save(source, as: "../elsewhere") }
        #expect(throws: InputError.self) { try RunRecordLocator.locate("main", relativeTo: root, baselines: nil) }
        #expect(throws: InputError.self) { try RunRecordLocator.locate("other", relativeTo: root, baselines: store) }
        let notARecord = root.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: notARecord)
        #expect(throws: InputError.self) { try store.save(notARecord, as: "broken") }
        #expect(store.list() == ["main"])
    }
}
