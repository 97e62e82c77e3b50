import AssayBench
import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGate

/// Saving, listing and resolving named baselines (histories of runs), and locating run records by path.
struct BaselineStoreTests {
    static let perf = "perf/matmul/m64.n64.k64/f32"

    func writeRun(_ record: RunRecord, in directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("run.json")
        try RecordCoding.encoder().encode(record).write(to: file)
        return file
    }

    @Test func saveAppendsListAndResolve() throws {
        let root = TemporaryDirectory.uniqueURL(prefix: "assay-baselines")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = BaselineStore(folder: root.appendingPathComponent("Baselines"))
        for index in 1...3 {
            _ = try writeRun(
                SyntheticRuns.record(
                    [SyntheticRuns.conformanceCase("smoke/relu/shape1000/f32", .pass)],
                    runID: "run-\(index)"
                ),
                in: root.appendingPathComponent("Reports/gate-test/run-\(index)")
            )
        }
        let source = try RunRecordLocator.locate("Reports/gate-test/run-1", relativeTo: root, baselines: nil)
        #expect(source.lastPathComponent == "run.json")
        try store.save(source, as: "main")
        try store.save(RunRecordLocator.locate("Reports/gate-test/run-2", relativeTo: root, baselines: nil), as: "main")
        // the same run again: replaced
        try store.save(RunRecordLocator.locate("Reports/gate-test/run-2", relativeTo: root, baselines: nil), as: "main")
        #expect(store.list() == ["main"])
        #expect(store.runURLs("main").map(\.lastPathComponent) == ["run-1.json", "run-2.json"])
        let (runs, _) = try RunRecordLocator.loadRuns("main", relativeTo: root, baselines: store)
        #expect(runs.map(\.runID) == ["run-1", "run-2"])
        // A single-run argument still names the newest saved run.
        #expect(try RunRecordLocator.load("main", relativeTo: root, baselines: store).0.runID == "run-2")
        // A directory of run directories is a history; a `latest` link does not count twice.
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("Reports/gate-test/latest").path,
            withDestinationPath: "run-3"
        )
        let (history, _) = try RunRecordLocator.loadRuns("Reports/gate-test", relativeTo: root, baselines: nil)
        #expect(history.map(\.runID).sorted() == ["run-1", "run-2", "run-3"])

        #expect(throws: InputError.self) { try store.save(source, as: "../elsewhere") }
        #expect(throws: InputError.self) { try RunRecordLocator.locate("main", relativeTo: root, baselines: nil) }
        #expect(throws: InputError.self) { try RunRecordLocator.locate("other", relativeTo: root, baselines: store) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("empty"),
            withIntermediateDirectories: true
        )
        #expect(throws: InputError.self) { try RunRecordLocator.loadRuns("empty", relativeTo: root, baselines: nil) }
        let notARecord = root.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: notARecord)
        #expect(throws: InputError.self) { try store.save(notARecord, as: "broken") }
        #expect(store.list() == ["main"])
    }

    @Test func legacySingleRunBaselineIsPartOfTheHistory() throws {
        let root = TemporaryDirectory.uniqueURL(prefix: "assay-baselines")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = BaselineStore(folder: root.appendingPathComponent("Baselines"))
        _ = try writeRun(SyntheticRuns.record([], runID: "old"), in: root.appendingPathComponent("Baselines/main"))
        let newer = try writeRun(
            SyntheticRuns.record([], runID: "new"),
            in: root.appendingPathComponent("Reports/x/new")
        )
        try store.save(newer, as: "main")
        #expect(
            try RunRecordLocator.loadRuns("main", relativeTo: root, baselines: store).0.map(\.runID).sorted() == [
                "new", "old",
            ]
        )
    }

    /// `--history`: a planted 10% shift in a case's run medians is found at its run.
    @Test func historyAnalysisFindsAShiftAcrossRuns() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let runs = (0..<30).map { index -> RunRecord in
            let level = index >= 18 ? 110_000.0 : 100_000
            var record = SyntheticRuns.record(
                [
                    SyntheticRuns.performanceCase(
                        Self.perf,
                        rounds: SyntheticRuns.rounds(
                            median: level * (1 + 0.01 * Double((index * 7) % 5 - 2)),
                            cv: 0.01,
                            n: 20,
                            seed: UInt64(index)
                        )
                    )
                ],
                runID: String(format: "run-%02d", index)
            )
            record.startedAt = start.addingTimeInterval(Double(index) * 3600)
            return record
        }
        let histories = HistoryAnalysis.analyze(runs.shuffled())
        #expect(histories.count == 1 && histories[0].medians.count == 30)
        let point = try #require(histories[0].changePoints.first)
        #expect(
            histories[0].changePoints.count == 1 && point.index == 18 && abs(point.ratio - 1.10) < 0.02,
            "\(histories[0].changePoints)"
        )
        let markdown = HistoryAnalysis.markdown(histories, runs: 30, detector: EDivisive())
        #expect(markdown.contains("1 of 1 performance cases shifted") && markdown.contains("`run-18`"))
        let steady = HistoryAnalysis.analyze(Array(runs.prefix(18)))
        #expect(steady[0].changePoints.isEmpty)
        #expect(HistoryAnalysis.markdown(steady, runs: 18, detector: EDivisive()).contains("No change points."))
    }
}
