import AssayCore

extension HTMLReport {
    /// One row per model case output: how the graph ran, its errors against the float64
    /// reference, logits agreement and greedy decoding, and the first divergent node of a failure.
    var modelSection: XMLNode {
        .element("section", ["id": "models"]) {
            XMLNode.element("h2") { "Model cases" }
            XMLNode.element("p", ["class": "muted"]) {
                "Each graph against its float64 reference (docs/FORMATS.md, \"Model cases\"): relative errors are of the "
                    + "output's range (max|a − e| / max|e|); top-1 and KL only for logits; greedy: steps agreeing with the "
                    + "reference's tokens. A failure names the first node outside its op's error model on its actual inputs."
            }
            Self.table(
                [
                    "case", "execution", "output", "max rel error", "1 − cosine", "top-1", "KL", "greedy", "outcome",
                    "first divergent node",
                ],
                numeric: [3, 4, 5, 6],
                rows: model.models.flatMap(modelRows)
            )
        }
    }

    private func modelRows(_ result: CaseResult) -> [[XMLNode]] {
        let evidence = result.model!
        let greedy = evidence.greedy.map { "\($0.matchingSteps)/\($0.steps)" } ?? "—"
        let node = evidence.firstDivergentNode.map { "\($0.name) (\($0.op))" } ?? "—"
        return evidence.outputs.map { output in
            [
                .element("a", ["href": "#\(anchor(of: result))"]) { Self.code(result.id.description) },
                .text(evidence.execution), Self.code(output.name), .text(Figures.number(output.maxRelError)),
                .text(Figures.number(1 - output.cosine)), .text(output.top1Agreement.map(Figures.percent) ?? "—"),
                .text(output.klDivergence.map(Figures.number) ?? "—"), .text(greedy), Self.outcome(result.outcome),
                .text(node),
            ]
        }
    }
}
