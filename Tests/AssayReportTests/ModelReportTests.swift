import AssayCore
import Foundation
import Testing

@testable import AssayReport

/// report.html's model cases: one row per output, with the first divergent node of a failure.
struct ModelReportTests {
    @Test func modelCasesAreTabledWithTheirFirstDivergentNode() throws {
        func output(_ name: String, rel: Double) -> ModelOutputComparison {
            ModelOutputComparison(
                name: name,
                elements: 8,
                maxAbsError: rel,
                meanAbsError: rel,
                maxRelError: rel,
                meanRelError: rel,
                cosine: 1 - rel,
                nonFinite: 0
            )
        }
        let threshold = ModelThreshold(maxRelative: 1e-4, minCosine: 0.99, reason: "r")
        var good = CaseResult(
            id: CaseID(suite: "models", op: "decode", shape: "ctx=512", dtype: "f32"),
            kind: .model,
            op: "decode",
            dtype: "f32",
            outcome: .pass
        )
        good.model = ModelEvidence(
            graph: "decode",
            dims: ["ctx": 512],
            execution: "in-process",
            threshold: threshold,
            outputs: [output("out", rel: 2e-7), output("k_cache_out", rel: 1e-8)]
        )
        var bad = good
        bad.id = CaseID(suite: "models", op: "layer", shape: "seq=8", dtype: "f32")
        bad.outcome = .fail
        bad.model?.execution = "node-by-node"
        bad.model?.outputs = [output("out", rel: 0.3)]
        bad.model?.firstDivergentNode = DivergentNode(
            name: "q_rot",
            op: "rotary_embedding",
            line: 40,
            message: "3/8 elements beyond",
            evidence: ConformanceEvidence(
                rtol: 0,
                atol: 0,
                maxAbsError: 1,
                maxRelError: 1,
                worstIndex: [0],
                mismatches: 3,
                elements: 8,
                samples: [],
                structural: []
            )
        )
        var record = RecordFixture.record()
        record.cases += [good, bad]
        let root = try ParsedXML.parse(HTMLReport(ReportModel(record)).rendered())
        let section = try #require(root.all("section").first { $0.attributes["id"] == "models" })
        #expect(section.all("tr").count == 4)
        #expect(section.text.contains("k_cache_out") && section.text.contains("in-process"))
        #expect(section.text.contains("q_rot (rotary_embedding)") && section.text.contains("node-by-node"))
        #expect(
            try ParsedXML.parse(HTMLReport(ReportModel(RecordFixture.record())).rendered()).all("section").allSatisfy {
                $0.attributes["id"] != "models"
            }
        )
    }

    /// Model performance cases: a table row each in report.html and report.md, and a tokens/s
    /// chart with one line per graph, phase and batch over its sequence lengths.
    @Test func modelPerformanceCasesAreTabledAndCharted() throws {
        var record = RecordFixture.record()
        let timed = try #require(record.cases.first { $0.performance != nil })
        for (seq, median) in [(16, 4e7), (64, 9e7)] {
            var result = timed
            result.id = CaseID(suite: "model-performance", op: "qwen-layer", shape: "batch=1,seq=\(seq)", dtype: "f32")
            result.kind = .performance
            result.outcome = .pass
            result.performance?.summary.median = median
            var figures = ModelPerformance(
                graph: "qwen-layer",
                dims: ["batch": 1, "seq": seq],
                execution: "graph",
                phase: .prefill,
                tokens: seq,
                flops: 3e7 * Double(seq),
                bytes: 6e7,
                nodeBytes: 7e7
            )
            figures.apply(medianNanoseconds: median)
            figures.peakBytes = seq == 64 ? 2.5e8 : nil
            result.modelPerformance = figures
            record.cases.append(result)
        }
        let html = try ParsedXML.parse(HTMLReport(ReportModel(record)).rendered())
        let section = try #require(html.all("section").first { $0.attributes["id"] == "model-performance" })
        #expect(section.all("tr").count == 3)
        #expect(section.text.contains("400 tok/s") && section.text.contains("711 tok/s"), "\(section.text)")
        #expect(section.text.contains("250 MB") && section.text.contains("not reported"))
        let chart = try #require(section.all("svg").first)
        #expect(chart.attributes["class"] == "chart tokens" && chart.all("circle").count == 2)
        let markdown = MarkdownReport(ReportModel(record)).rendered()
        #expect(
            markdown.contains("### Model performance") && markdown.contains("| 16 | 40.0 ms | 400 tok/s |"),
            "\(markdown)"
        )
        let plain = try ParsedXML.parse(HTMLReport(ReportModel(RecordFixture.record())).rendered())
        #expect(plain.all("section").allSatisfy { $0.attributes["id"] != "model-performance" })
        #expect(!MarkdownReport(ReportModel(RecordFixture.record())).rendered().contains("Model performance"))
    }
}
