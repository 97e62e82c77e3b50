import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

@Suite struct ReportWriterTests {
    @Test func writesEveryFormatNextToTheRecord() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-report-tests")
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = RecordFixture.record()
        try RecordCoding.encoder().encode(record).write(to: directory.appendingPathComponent("run.json"))
        let loaded = try ReportWriter.loadRecord(directory.path)
        let written = try ReportWriter.write(loaded, to: directory)
        #expect(written.map(\.lastPathComponent) == ["report.html", "report.md", "junit.xml", "report.json"])
        for url in written { #expect((try Data(contentsOf: url)).count > 200) }
    }

    @Test func aBadRecordIsNamedByFile() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-report-tests")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.json")
        try Data("{\"schemaVersion\": 1}".utf8).write(to: file)
        #expect {
            try ReportWriter.loadRecord(directory.path)
        } throws: { error in
            (error as? InputError)?.file == file.path
        }
    }

    @Test func parsesFormatLists() {
        #expect((try? ReportFormat.parseList("html, markdown,xml").get()) == [.html, .md, .junit])
        #expect((try? ReportFormat.parseList("pdf").get()) == nil)
    }
}
