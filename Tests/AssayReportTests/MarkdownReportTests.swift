import Testing

@testable import AssayReport

@Suite struct MarkdownReportTests {
    let model = ReportModel(RecordFixture.record(hostile: true))

    @Test func leadsWithVerdictAndCounts() {
        let text = MarkdownReport(model).rendered()
        #expect(text.hasPrefix("## Assay FAIL: lab-npu"))
        #expect(
            text.contains("**FAIL** — 4 pass, 3 fail, 1 error, 1 crash, 1 timeout, 1 unsupported, 1 waived, 1 not run")
        )
        #expect(text.contains("| conformance | 1 | 0 | 2 | 1 | 1 | 1 | 1 | 1 | 8 |"))
        #expect(text.contains("| **all** | 4 | 0 | 3 | 1 | 1 | 1 | 1 | 1 | 12 |"))
    }

    @Test func listsFirstFailuresThenHowManyMore() {
        let text = MarkdownReport(model, maxFailures: 2).rendered()
        #expect(text.contains("- **fail** `conformance/matmul/m64.n48.k32/bf16`: 12 mismatches"))
        #expect(text.contains("max abs err 3.5, max rel err inf"))
        #expect(text.contains("- … and 4 more"))
        #expect(!text.contains("<script"))
    }

    @Test func showsPerformanceFigures() {
        let text = MarkdownReport(model).rendered()
        #expect(
            text.contains(
                "| perf/matmul/m512.n512.k512/f32 | 2.00 ms | 1.96 ms – 2.04 ms | 134 GFLOP/s | 6.7% | no: time cap at ±2.0% |"
            )
        )
        #expect(text.contains("| perf/copy/shape4194304/f32 | 400 µs |"))
    }
}
