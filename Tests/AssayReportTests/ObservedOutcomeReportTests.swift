import AssayCore
import Foundation
import Testing

@testable import AssayReport

/// An `observed` system check is reported apart from passes in every format.
@Suite struct ObservedOutcomeReportTests {
    static func record() -> RunRecord {
        var record = RecordFixture.record(omit: ["conformance/system/modules/-"])
        let id = try! CaseID(parsing: "system/check/hugepages/any")
        record.cases.append(
            CaseResult(
                id: id,
                kind: .system,
                op: "check",
                dtype: "any",
                outcome: .observed,
                system: SystemObservation(expected: "(not declared)", observed: "0 × 2048 KiB")
            )
        )
        record.plannedCases.append(id)
        return record
    }

    let model = ReportModel(Self.record())

    @Test func countsLineAndSummaryCountObservedApart() throws {
        #expect(model.countsLine.hasPrefix("4 pass, 1 observed, 2 fail"))
        let summary = try RecordCoding.decoder().decode(ReportSummary.self, from: ReportSummary(model).encoded())
        #expect(summary.counts["observed"] == 1 && summary.counts["pass"] == 4)
        #expect(summary.rows.first { $0.id == "system/check/hugepages/any" }?.outcome == "observed")
    }

    @Test func junitSkipsItWithTheReading() throws {
        let root = try ParsedXML.parse(JUnitReport(model).rendered())
        let suite = try #require(root.children.first { $0.attributes["name"] == "system" })
        #expect(
            suite.attributes["tests"] == "1" && suite.attributes["skipped"] == "1"
                && suite.attributes["failures"] == "0"
        )
        let skipped = try #require(suite.all("skipped").first)
        #expect(
            skipped.attributes["message"] == "observed, not checked (the target declares nothing for it): 0 × 2048 KiB"
        )
    }

    @Test func markdownAndHTMLShowTheColumnAndTheClass() {
        let markdown = MarkdownReport(model).rendered()
        #expect(markdown.contains("| kind | pass | observed | fail |"))
        #expect(markdown.contains("| system | 1 | 1 | 0 |"))
        let html = HTMLReport(model).rendered()
        #expect(html.contains("o-observed"))
        #expect(html.contains("observed: the target declares nothing to compare with"))
    }
}
