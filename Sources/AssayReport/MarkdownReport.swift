import AssayCore

/// `report.md`: short enough for a PR comment or a GitHub job summary — the verdict, the
/// counts, the first failures with their evidence, and the headline performance figures.
public struct MarkdownReport: Sendable {
    public let model: ReportModel
    /// Failures listed in full before "and M more".
    public var maxFailures: Int
    public var maxPerformanceRows: Int

    public init(_ model: ReportModel, maxFailures: Int = 10, maxPerformanceRows: Int = 10) {
        self.model = model
        self.maxFailures = maxFailures
        self.maxPerformanceRows = maxPerformanceRows
    }

    public func rendered() -> String {
        let record = model.record
        var out: [String] = []
        out.append("## Assay \(model.verdict.headline): \(MarkdownTable.cell(model.targetLabel))")
        out.append("")
        out.append(
            "**\(model.verdict.headline)** — \(model.countsLine). Run `\(MarkdownTable.code(record.runID))` "
                + "(\(record.status.rawValue)), backend \(MarkdownTable.cell("\(record.backend.name) \(record.backend.version)")), "
                + "fingerprint `\(record.environment.fingerprint.prefix(12))`."
        )
        out.append("")
        out.append(countsTable.rendered)
        if !model.problems.isEmpty {
            out.append("")
            out.append("### Failures")
            out.append("")
            for result in model.problems.prefix(maxFailures) {
                out.append(
                    "- **\(result.outcome.rawValue)** `\(MarkdownTable.code(result.id.description))`: "
                        + MarkdownTable.cell(ReportModel.evidenceLine(result))
                )
            }
            if model.problems.count > maxFailures {
                out.append("- … and \(model.problems.count - maxFailures) more")
            }
        }
        if !model.performance.isEmpty {
            out.append("")
            out.append("### Performance")
            out.append("")
            out.append(performanceTable.rendered)
            if let basis = model.ceilingBasis {
                out.append("")
                out.append(MarkdownTable.cell(basis))
            }
            if model.performance.count > maxPerformanceRows {
                out.append("")
                out.append(
                    "… and \(model.performance.count - maxPerformanceRows) more performance cases in report.html"
                )
            }
        }
        if !model.modelPerformance.isEmpty {
            out.append("")
            out.append("### Model performance")
            out.append("")
            out.append(modelPerformanceTable.rendered)
        }
        if !model.notRun.isEmpty {
            out.append("")
            out.append("\(model.notRun.count) planned cases did not run (status \(record.status.rawValue)).")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private var countsTable: MarkdownTable {
        let kinds = CaseKind.allCases.filter { kind in model.record.cases.contains { $0.kind == kind } }
        var table = MarkdownTable(
            ["kind"] + Outcome.allCases.map(\.rawValue) + ["total"],
            rightAligned: Set(1...(Outcome.allCases.count + 1))
        )
        for kind in kinds {
            let cases = model.record.cases.filter { $0.kind == kind }
            table.append(
                [kind.rawValue]
                    + Outcome.allCases.map { outcome in String(cases.filter { $0.outcome == outcome }.count) }
                    + [String(cases.count)]
            )
        }
        if kinds.count != 1 {
            table.append(
                ["all"] + Outcome.allCases.map { String(model.counts[$0, default: 0]) } + [
                    String(model.record.cases.count)
                ],
                strong: true
            )
        }
        return table
    }

    /// The slowest-to-fastest order would hide the point; plan order keeps suites together.
    private var performanceTable: MarkdownTable {
        var table = MarkdownTable(
            ["case", "median", "95% CI", "throughput", "% of roofline", "converged"],
            rightAligned: [1, 3, 4]
        )
        for result in model.performance.prefix(maxPerformanceRows) {
            guard let performance = result.performance else { continue }
            let summary = performance.summary
            table.append([
                result.id.description, Figures.duration(nanoseconds: summary.median),
                "\(Figures.duration(nanoseconds: summary.medianCILow)) – \(Figures.duration(nanoseconds: summary.medianCIHigh))",
                ReportModel.throughput(performance) ?? "—",
                Figures.ceilingPercent(performance.percentOfRoofline, of: performance),
                performance.converged ? "yes" : "no: \(performance.stopReason)",
            ])
        }
        return table
    }
}
