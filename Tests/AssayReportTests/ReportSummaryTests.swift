import AssayCore
import Foundation
import Testing

@testable import AssayReport

@Suite struct ReportSummaryTests {
    @Test func summarisesCountsVerdictAndRows() throws {
        let data = try ReportSummary(ReportModel(RecordFixture.record())).encoded()
        let summary = try RecordCoding.decoder().decode(ReportSummary.self, from: data)
        #expect(summary.verdict == .fail)
        #expect(summary.counts["fail"] == 3 && summary.counts["pass"] == 4 && summary.counts["notRun"] == 1)
        #expect(summary.target.id == "lab-npu" && summary.fingerprint.count == 64)
        #expect(summary.rows.count == 13)
        let matmul = try #require(summary.rows.first { $0.id == "perf/matmul/m512.n512.k512/f32" })
        #expect(matmul.medianNanoseconds == 2_000_000 && matmul.converged == false)
        let failed = try #require(summary.rows.first { $0.id == "conformance/matmul/m64.n48.k32/bf16" })
        #expect(failed.maxRelError == .infinity && failed.mismatches == 12)
        #expect(String(decoding: data, as: UTF8.self).contains("\"maxRelError\" : \"inf\""))
    }

    @Test("rows carry op, dtype, shape, attrs, outcome and the performance figures, % of peak included")
    func rowsAreSelfDescribing() throws {
        let data = try ReportSummary(ReportModel(RecordFixture.record())).encoded()
        let rows = try #require(
            (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["rows"] as? [[String: Any]]
        )
        let matmul = try #require(rows.first { $0["id"] as? String == "perf/matmul/m512.n512.k512/f32" })
        #expect(
            matmul["op"] as? String == "matmul" && matmul["dtype"] as? String == "f32"
                && matmul["shape"] as? String == "m512.n512.k512"
        )
        #expect(matmul["outcome"] as? String == "pass" && matmul["medianNanoseconds"] as? Double == 2_000_000)
        #expect(
            matmul["medianCILowNanoseconds"] as? Double == 2_000_000 * 0.98
                && matmul["medianCIHighNanoseconds"] as? Double == 2_000_000 * 1.02
        )
        let percent = try #require(matmul["percentOfPeak"] as? Double)
        #expect(abs(percent - 100 * 268_435_456 / 2e-3 / 2e12) < 1e-9)
        #expect(rows.first { $0["id"] as? String == "perf/copy/shape4194304/f32" }?["percentOfPeak"] == nil)
        // Attrs: from the case id of a case that never ran, as strings.
        let gelu = try #require(
            rows.first { $0["id"] as? String == "conformance/gelu/shape1000/bf16/approximate=tanh" }
        )
        #expect((gelu["attrs"] as? [String: String]) == ["approximate": "tanh"] && gelu["op"] as? String == "gelu")
        let notRun = try #require(rows.first { $0["outcome"] as? String == "notRun" })
        #expect(
            notRun["op"] as? String == "relu" && notRun["shape"] as? String == "shape1000"
                && (notRun["attrs"] as? [String: Any])?.isEmpty == true
        )
    }

    @Test func verdictDistinguishesIncompleteFromFail() {
        var record = RecordFixture.record()
        record.cases = record.cases.filter { $0.outcome.isAcceptable }
        #expect(Verdict(record) == .incomplete)
        record.status = .complete
        record.plannedCases = record.cases.map(\.id)
        #expect(Verdict(record) == .pass)
    }
}
