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

    @Test func verdictDistinguishesIncompleteFromFail() {
        var record = RecordFixture.record()
        record.cases = record.cases.filter { $0.outcome.isAcceptable }
        #expect(Verdict(record) == .incomplete)
        record.status = .complete
        record.plannedCases = record.cases.map(\.id)
        #expect(Verdict(record) == .pass)
    }
}
