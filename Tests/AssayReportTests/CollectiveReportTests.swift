import AssayCore
import Foundation
import Testing
@testable import AssayReport

/// report.html's collectives: the table with the nccl-tests figures and the log-log bus
/// bandwidth chart, one line per op over its sizes, with the declared link.
struct CollectiveReportTests {
    func collective(_ op: CollectiveOp, bytes: Int, medianNanoseconds: Double, outcome: Outcome = .pass) -> CaseResult {
        var figures = CollectiveFigures(op: op, ranks: 4, bytes: bytes, inPlace: false, root: 0)
        figures.apply(medianNanoseconds: medianNanoseconds, linkGBs: 50)
        var result = CaseResult(id: CaseID(suite: "collectives", op: op.rawValue, shape: "\(bytes)B", dtype: "f32"), kind: .collective,
                                op: op.rawValue, dtype: "f32", outcome: outcome)
        result.collective = figures
        return result
    }

    @Test func tablesAndChartsBusBandwidthAgainstSize() throws {
        var record = RecordFixture.record()
        record.cases += [collective(.allReduce, bytes: 1 << 20, medianNanoseconds: 1e5), collective(.allReduce, bytes: 1 << 24, medianNanoseconds: 8e5),
                         collective(.allGather, bytes: 1 << 20, medianNanoseconds: 5e4)]
        let html = HTMLReport(ReportModel(record)).rendered()
        let root = try ParsedXML.parse(html)
        let section = try #require(root.all("section").first { $0.attributes["id"] == "collectives" })
        #expect(section.all("tr").count == 4)
        // all_reduce 16 MiB in 800 µs at 4 ranks: 21.0 GB/s algorithm, × 1.5 = 31.5 GB/s bus, 62.9% of 50 GB/s.
        #expect(section.text.contains("31.5 GB/s") && section.text.contains("62.9% of 50 GB/s"))
        let chart = try #require(section.all("svg").first { $0.hasClass("busbw") })
        #expect(chart.all("polyline").count == 1, "all_reduce has two sizes: a line; all_gather one point")
        #expect(chart.all("circle").count == 3)
        #expect(chart.text.contains("declared link 50 GB/s") && chart.text.contains("all_gather f32"))
        #expect(!HTMLReport(ReportModel(RecordFixture.record())).rendered().contains("id=\"collectives\""))
    }
}
