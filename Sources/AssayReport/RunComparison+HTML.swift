import AssayCore

extension RunComparison {
    /// `compare.html`: every case id in one table, a column per run, and for performance cases
    /// each later run's median as a ratio of the first's. Performance rows come first, rows
    /// missing from some runs last.
    public func html() -> String {
        let showRatios = rows.contains { $0.isPerformance }
        return HTMLPage.render(title: "Assay comparison of \(runs.count) runs") {
            XMLNode.element("h1") { "Assay comparison: \(runs.map { $0.target.value.id }.joined(separator: " vs "))" }
            HTMLReport.table(
                ["run", "target", "status", "verdict", "counts", "environment fingerprint"],
                rows: runs.indices.map { index in
                    let model = ReportModel(runs[index])
                    return [
                        .text(label(index)), .text(model.targetLabel), .text(runs[index].status.rawValue),
                        .element("span", ["class": "verdict \(model.verdict.rawValue)"]) { model.verdict.headline },
                        .text(model.countsLine), HTMLReport.code(runs[index].environment.fingerprint),
                    ]
                }
            )
            if showsFingerprintDifference {
                XMLNode.element("p", ["class": "flag"]) { "The runs' environment fingerprints differ." }
            }
            XMLNode.element("h2") { "Cases" }
            XMLNode.element("p", ["class": "muted"]) {
                "Ratios are median time per call over run #1's: below ×1 is faster. \"absent\": the run has no result for the case."
            }
            HTMLReport.table(
                ["case"] + runs.indices.map(label)
                    + (showRatios ? runs.indices.dropFirst().map { "\(label($0)) ÷ #1" } : []),
                numeric: Set((runs.count + 1)..<(2 * runs.count + 1)),
                rows: displayOrder.map { row in
                    var cells: [XMLNode] = [
                        .element("span") {
                            HTMLReport.code(row.id.description)
                            if row.isPartial { XMLNode.element("span", ["class": "flag"]) { " only in some runs" } }
                        }
                    ]
                    cells += row.results.map { result in
                        XMLNode.element("span", ["class": "o-\(result?.outcome.rawValue ?? "notRun")"]) {
                            Self.cellText(result)
                        }
                    }
                    if showRatios { cells += row.ratios.dropFirst().map { XMLNode.text(Self.ratioText($0)) } }
                    return cells
                }
            )
        }
    }

    /// Performance rows, then complete rows, then rows missing from some runs; plan order within each.
    var displayOrder: [Row] {
        rows.filter(\.isPerformance) + rows.filter { !$0.isPerformance && !$0.isPartial }
            + rows.filter { !$0.isPerformance && $0.isPartial }
    }
}
