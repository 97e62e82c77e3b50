import AssayCore

extension HTMLReport {
    /// The op × dtype grid, then the evidence behind every cell that is not clean.
    var conformanceSection: XMLNode {
        let matrix = model.matrix
        return .element("section", ["id": "conformance"]) {
            XMLNode.element("h2") { "Conformance" }
            XMLNode.element("p", ["class": "muted"]) {
                "Each cell: passed / total cases of that op and dtype. Green all passed; red something failed, errored, crashed or timed out; "
                    + "amber waived; grey unsupported. Cells with problems link to their evidence."
            }
            XMLNode.element("table", ["class": "matrix"]) {
                XMLNode.element("thead") {
                    XMLNode.element("tr") {
                        XMLNode.element("th", ["class": "op"]) { "op" }
                        for dtype in matrix.dtypes { XMLNode.element("th") { dtype } }
                    }
                }
                XMLNode.element("tbody") {
                    for op in matrix.ops {
                        XMLNode.element("tr") {
                            XMLNode.element("th", ["class": "op"]) { op }
                            for dtype in matrix.dtypes { Self.matrixCell(matrix.cell(op: op, dtype: dtype)) }
                        }
                    }
                }
            }
            let flagged = matrix.flaggedCells
            if !flagged.isEmpty {
                XMLNode.element("h3") { "Evidence" }
                for cell in flagged {
                    XMLNode.element("div", ["id": cell.anchor]) {
                        XMLNode.element("h3") { "\(cell.op) · \(cell.dtype): \(cell.passed)/\(cell.total) passed" }
                        for result in cell.flagged { caseEvidence(result) }
                    }
                }
            }
        }
    }

    private static func matrixCell(_ cell: ConformanceMatrix.Cell?) -> XMLNode {
        guard let cell else { return .element("td", ["class": "none"]) { "—" } }
        let notes = Outcome.allCases.filter { $0 != .pass }.compactMap { outcome in
            cell.counts[outcome].map { "\($0) \(outcome.rawValue)" }
        }.joined(separator: ", ")
        let counts = "\(cell.passed)/\(cell.total)"
        return .element(
            "td",
            [
                "class": cell.state.rawValue,
                "title": "\(cell.op) \(cell.dtype): \(counts) passed" + (notes.isEmpty ? "" : "; \(notes)"),
            ]
        ) {
            if cell.flagged.isEmpty {
                counts
            } else {
                XMLNode.element("a", ["href": "#\(cell.anchor)"]) { counts }
            }
            if !notes.isEmpty { XMLNode.element("span", ["class": "note"]) { notes } }
        }
    }

    /// Everything the record says about why one case did not pass.
    func caseEvidence(_ result: CaseResult) -> XMLNode {
        .element("div", ["class": "case \(result.outcome.rawValue)", "id": anchor(of: result)]) {
            XMLNode.element("h4") {
                Self.outcome(result.outcome)
                " "
                Self.code(result.id.description)
                if let values = result.values {
                    XMLNode.element("span", ["class": "muted"]) { " (\(values.rawValue) inputs)" }
                }
            }
            if let message = result.message, !message.isEmpty { XMLNode.element("p") { message } }
            if let waiver = result.waiver { Self.waiverLine(waiver) }
            if let evidence = result.evidence { Self.evidenceTables(evidence) }
            if let line = ReportModel.systemLine(result) { XMLNode.element("p") { line } }
            if let stderr = result.stderrTail, !stderr.isEmpty {
                XMLNode.element("p", ["class": "muted"]) { "stderr (last lines):" }
                XMLNode.element("pre") { stderr }
            }
        }
    }

    static func waiverLine(_ waiver: WaiverNote) -> XMLNode {
        .element("p", ["class": "o-waived"]) {
            "\(waiver.expired ? "Expired waiver (the failure stands)" : "Waived"): \(waiver.category.rawValue), \(waiver.reference): "
                + "\(waiver.reason) (pattern \(waiver.pattern), last day \(Waiver.dayText(waiver.expires)))"
        }
    }

    private static func evidenceTables(_ evidence: ConformanceEvidence) -> [XMLNode] {
        let figures = table(
            ["error model", "max abs error", "max rel error", "max ulp", "worst index", "mismatches"],
            numeric: [1, 2, 3, 5],
            rows: [
                [
                    .text(evidence.modelText),
                    .text(Figures.number(evidence.maxAbsError)), .text(Figures.number(evidence.maxRelError)),
                    .text(evidence.maxUlps.map(Figures.number) ?? "—"),
                    .text(evidence.worstIndex.map { "[\($0.map(String.init).joined(separator: ", "))]" } ?? "—"),
                    .text(
                        "\(evidence.mismatches) / \(evidence.elements) (\(Figures.percent(100 * evidence.mismatchFraction)))"
                    ),
                ]
            ]
        )
        var nodes = [figures]
        if !evidence.samples.isEmpty {
            let grid = evidence.dtype ?? .f64
            nodes.append(
                table(
                    ["index", "quoted as", "expected", "actual", "allowed", "ulp", "inputs"],
                    numeric: [2, 3, 4, 5],
                    rows: evidence.samples.map { sample in
                        [
                            .text("[\(sample.index.map(String.init).joined(separator: ", "))]"),
                            .text(sample.role ?? ""),
                            .text(grid.shortest(sample.expected)), .text(grid.shortest(sample.actual)),
                            .text(sample.allowance.map(Figures.number) ?? "—"),
                            .text(sample.ulps.map(Figures.number) ?? "—"),
                            .text(sample.inputs ?? ""),
                        ]
                    }
                )
            )
        }
        if let axes = evidence.axisText { nodes.append(.element("p") { "Mismatches per axis: \(axes)" }) }
        if let alternatives = evidence.alternatives {
            nodes.append(
                .element("ul") {
                    for alternative in alternatives { XMLNode.element("li") { "Accepted alternative: \(alternative)" } }
                }
            )
        }
        if !evidence.structural.isEmpty {
            nodes.append(.element("ul") { for problem in evidence.structural { XMLNode.element("li") { problem } } })
        }
        return nodes
    }

    /// Performance and system cases that did not pass have no matrix cell; they are listed here.
    var otherProblemsSection: XMLNode {
        .element("section", ["id": "other-problems"]) {
            XMLNode.element("h2") { "Other failures" }
            for result in model.problems where result.kind != .conformance { caseEvidence(result) }
        }
    }
}
