import AssayCore
import Foundation
import Testing

@testable import AssayReport

@Suite struct RunComparisonTests {
    let comparison = RunComparison([
        RecordFixture.record(target: "lab-npu", runID: "20261124T080000Z-aaaa0001"),
        RecordFixture.record(
            target: "other-npu",
            runID: "20261125T080000Z-bbbb0002",
            matmulMedian: 3_000_000,
            omit: ["conformance/softmax/shape8x128/f16"]
        ),
    ])

    @Test func pairsCasesAndComputesMedianRatios() throws {
        let matmul = try #require(comparison.rows.first { $0.id.description == "perf/matmul/m512.n512.k512/f32" })
        #expect(matmul.medians == [2_000_000, 3_000_000])
        #expect(matmul.ratios[1] == 1.5)
        let missing = try #require(comparison.rows.first { $0.id.description == "conformance/softmax/shape8x128/f16" })
        #expect(missing.isPartial && missing.results[1] == nil)
        #expect(comparison.rows.count == 13)
    }

    @Test func markdownListsRowsThatMatter() throws {
        let text = comparison.markdown()
        #expect(text.contains("| perf/matmul/m512.n512.k512/f32 | pass, 2.00 ms | pass, 3.00 ms | ×1.50 |"))
        #expect(text.contains("2 cases are only in some runs: 1 only in #1; 1 in no run (planned only)."))
        #expect(text.contains("- `conformance/softmax/shape8x128/f16`: #1 crash"))
        // Performance comes before everything else.
        let performance = try #require(text.range(of: "### Performance"))
        let partial = try #require(text.range(of: "### Only in some runs"))
        #expect(performance.lowerBound < partial.lowerBound)
        #expect(text.contains("#2 other-npu 20261125T080000Z"))
        #expect(text.contains("cases have the same outcome in every run"))
    }

    @Test func htmlIsWellFormedAndComplete() throws {
        let html = comparison.html()
        let tables = try ParsedXML.parse(html).all("table")
        #expect(tables.count == 2)
        #expect(tables.last?.all("tbody").first?.children.count == comparison.rows.count)
        #expect(html.contains("only in some runs") && html.contains("×1.50"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("hundreds of cases missing from a run collapse into a count and a short list")
    func partialRowsCollapse() throws {
        let full = RecordFixture.record(target: "lab-npu", runID: "20261124T080000Z-aaaa0001")
        var bigger = full
        let extra = (0..<300).map { index in
            CaseResult(
                id: CaseID(suite: "extra", op: "add", shape: "shape\(index)", dtype: "f32"),
                kind: .conformance,
                op: "add",
                dtype: "f32",
                outcome: .pass
            )
        }
        bigger.cases += extra
        bigger.plannedCases += extra.map(\.id)
        let text = RunComparison([bigger, full]).markdown()
        // The fixture's planned-only case comes first, then the 300 extra ones.
        #expect(text.contains("301 cases are only in some runs: 1 in no run (planned only); 300 only in #1."))
        #expect(text.contains("- … and \(301 - RunComparison.partialListLimit) more"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("- `") }.count == RunComparison.partialListLimit)
        #expect(!text.contains("(only in some runs) |"))
    }
}
