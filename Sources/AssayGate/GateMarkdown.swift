import AssayCore
import Foundation

/// The gate's Markdown summary, short enough for a pull-request comment.
public enum GateMarkdown {
    /// Above this many performance cases the full list is collapsed in a `<details>` block.
    public static let collapseAbove = 20

    public static func render(_ report: GateReport) -> String {
        var lines: [String] = []
        let icon = ["pass": "✅", "regression": "❌", "inconclusive": "⚠️"][report.status.rawValue] ?? ""
        lines.append("## Assay gate: \(icon) \(report.status.rawValue) (exit \(report.status.exitCode))")
        lines.append("")
        lines.append(
            "Baseline `\(report.baseline.runID)` (\(report.baseline.targetID)) → current `\(report.current.runID)` (\(report.current.targetID)); "
                + "\(report.comparedCases) cases in both, \(report.performance.count) performance cases compared; "
                + "threshold \(percent(report.options.threshold)), α = \(report.options.alpha) (Holm); "
                + "baseline \(report.baselineHistory?.count ?? 1) run(s), current \(report.currentRuns?.count ?? 1) run(s)"
                + (report.currentRuns != nil && report.confirmation != nil ? " and the confirmation re-run." : ".")
        )
        if report.performance.contains(where: { $0.note == PerformanceJudge.noVarianceNote }) {
            lines.append("")
            lines.append(
                "> One baseline run and one round per side: the gate cannot separate a change from run-to-run noise, "
                    + "so no case is called `same`. Measure with `--rounds 2` or more, save several baseline runs, "
                    + "or pass several current runs."
            )
        }
        if report.differentTargets {
            lines.append("")
            lines.append(
                "> Runs not comparable (compared anyway with --allow-different-target): "
                    + report.identity.differences.map { "\($0.field) `\($0.baseline)` vs `\($0.current)`" }.joined(
                        separator: "; "
                    ) + "."
            )
        }
        lines.append("")
        lines.append("| | count |")
        lines.append("|---|---|")
        for kind in ConformanceFinding.Kind.allCases {
            lines.append("| conformance \(kind.rawValue) | \(report.findings(kind).count) |")
        }
        for verdict in PerformanceComparison.Verdict.allCases {
            lines.append("| performance \(verdict.rawValue) | \(report.verdicts(verdict).count) |")
        }
        let conformanceRows = report.conformance.filter { $0.kind != .new || $0.currentOutcome?.isAcceptable == false }
        if !conformanceRows.isEmpty {
            lines.append("")
            lines.append("### Conformance changes")
            lines.append("")
            lines.append("| case | change | baseline | current | fails gate | message |")
            lines.append("|---|---|---|---|---|---|")
            for finding in conformanceRows {
                lines.append(
                    "| `\(finding.id)` | \(finding.kind.rawValue) | \(finding.baselineOutcome?.rawValue ?? "—") | "
                        + "\(finding.currentOutcome?.rawValue ?? "—") | \(finding.failsGate ? "yes" : "no") | \(cell(finding.message)) |"
                )
            }
        }
        if let confirmation = report.confirmation, !confirmation.isEmpty {
            lines += [
                "", "### Confirmation re-run", "", "| case | before | ratio before | after | ratio after | rounds |",
                "|---|---|---|---|---|---|",
            ]
            for row in confirmation {
                lines.append(
                    "| `\(row.id)` | \(row.before.rawValue) | \(ratioText(row.ratioBefore)) | \(row.after?.rawValue ?? "not re-measured") | "
                        + "\(ratioText(row.ratioAfter)) | \(row.rounds) |"
                )
            }
        }
        table("Performance regressions", report.verdicts(.regressed), into: &lines)
        table("Inconclusive", report.verdicts(.inconclusive), into: &lines)
        table("Improvements", report.verdicts(.improved), into: &lines)
        // Every case with its ratio and CI: a uniform small shift shows even when no single case is a verdict.
        if !report.performance.isEmpty {
            let ratios = report.performance.compactMap(\.ratio).sorted()
            let middle = ratios.isEmpty ? nil : ratios[ratios.count / 2]
            let collapsed = report.performance.count > collapseAbove
            lines.append("")
            lines.append("### All performance cases (median ratio \(ratioText(middle)))")
            if collapsed { lines += ["", "<details><summary>\(report.performance.count) cases</summary>"] }
            table(nil, report.performance, into: &lines)
            if collapsed { lines += ["", "</details>"] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func table(_ title: String?, _ rows: [PerformanceComparison], into lines: inout [String]) {
        guard !rows.isEmpty else { return }
        if let title { lines += ["", "### \(title)"] }
        lines.append("")
        lines.append(
            "| case | verdict | ratio | 95% CI | τ | p (Holm) | units (df) | baseline median | current median | n |"
        )
        lines.append("|---|---|---|---|---|---|---|---|---|---|")
        for row in rows {
            lines.append(
                "| `\(row.id)`\(row.confirmed ? " (confirmed)" : "") | \(row.verdict.rawValue) | \(ratioText(row.ratio)) | \(intervalText(row)) | \(percent(row.tau)) | "
                    + "\(figure(row.adjustedPValue)) | \(unitsText(row)) | \(nanoseconds(row.baselineMedian)) | \(nanoseconds(row.currentMedian)) | "
                    + "\(row.baselineSamples)/\(row.currentSamples) |"
            )
        }
    }

    /// e.g. "3+3 rounds (4)" or "5+1 runs (4)".
    static func unitsText(_ row: PerformanceComparison) -> String {
        guard let estimate = row.estimate else { return "—" }
        return
            "\(estimate.baselineUnits)+\(estimate.currentUnits) \(estimate.level.rawValue) (\(estimate.degreesOfFreedom))"
    }

    static func ratioText(_ ratio: Double?) -> String { ratio.map { String(format: "%.4f", $0) } ?? "—" }
    static func intervalText(_ row: PerformanceComparison) -> String {
        guard let low = row.ratioLow, let high = row.ratioHigh else { return row.note ?? "—" }
        return String(format: "[%.4f, %.4f]", low, high)
    }
    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    static func figure(_ value: Double) -> String {
        value < 1e-4 ? String(format: "%.2e", value) : String(format: "%.4f", value)
    }
    static func nanoseconds(_ value: Double) -> String {
        if value >= 1e6 { return String(format: "%.3f ms", value / 1e6) }
        if value >= 1e3 { return String(format: "%.3f µs", value / 1e3) }
        return String(format: "%.1f ns", value)
    }
    private static func cell(_ text: String?) -> String { Markup.markdown(text ?? "") }
}
