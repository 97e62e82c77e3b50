import AssayCore
import Foundation

/// The gate's Markdown summary, short enough for a pull-request comment.
public enum GateMarkdown {
    /// τ from which a `same` verdict is listed as weak.
    public static let wideTau = 0.10

    public static func render(_ report: GateReport) -> String {
        var lines: [String] = []
        let icon = ["pass": "✅", "regression": "❌", "inconclusive": "⚠️"][report.status.rawValue] ?? ""
        lines.append("## Assay gate: \(icon) \(report.status.rawValue) (exit \(report.status.exitCode))")
        lines.append("")
        lines.append("Baseline `\(report.baseline.runID)` (\(report.baseline.targetID)) → current `\(report.current.runID)` (\(report.current.targetID)); "
                     + "\(report.comparedCases) cases in both, \(report.performance.count) performance cases compared; "
                     + "threshold \(percent(report.options.threshold)), α = \(report.options.alpha) (Holm).")
        if report.differentTargets {
            lines.append("")
            lines.append("> Runs not comparable (compared anyway with --allow-different-target): "
                         + report.identity.differences.map { "\($0.field) `\($0.baseline)` vs `\($0.current)`" }.joined(separator: "; ") + ".")
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
                lines.append("| `\(finding.id)` | \(finding.kind.rawValue) | \(finding.baselineOutcome?.rawValue ?? "—") | "
                             + "\(finding.currentOutcome?.rawValue ?? "—") | \(finding.failsGate ? "yes" : "no") | \(cell(finding.message)) |")
            }
        }
        table("Performance regressions", report.verdicts(.regressed), into: &lines)
        table("Inconclusive", report.verdicts(.inconclusive), into: &lines)
        table("Improvements", report.verdicts(.improved), into: &lines)
        // A "same" under a τ the baseline's own spread inflated says little; show it.
        table("Same, but the baseline is too noisy to see changes below τ ≥ \(percent(wideTau))",
              report.verdicts(.same).filter { $0.tau >= wideTau }, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func table(_ title: String, _ rows: [PerformanceComparison], into lines: inout [String]) {
        guard !rows.isEmpty else { return }
        lines.append("")
        lines.append("### \(title)")
        lines.append("")
        lines.append("| case | ratio | 95% CI | τ | p (Holm) | baseline median | current median | n |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for row in rows {
            lines.append("| `\(row.id)`\(row.confirmed ? " (confirmed)" : "") | \(ratioText(row.ratio)) | \(intervalText(row)) | \(percent(row.tau)) | "
                         + "\(figure(row.adjustedPValue)) | \(nanoseconds(row.baselineMedian)) | \(nanoseconds(row.currentMedian)) | "
                         + "\(row.baselineSamples)/\(row.currentSamples) |")
        }
    }

    static func ratioText(_ ratio: Double?) -> String { ratio.map { String(format: "%.4f", $0) } ?? "—" }
    static func intervalText(_ row: PerformanceComparison) -> String {
        guard let low = row.ratioLow, let high = row.ratioHigh else { return row.note ?? "—" }
        return String(format: "[%.4f, %.4f]", low, high)
    }
    static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    static func figure(_ value: Double) -> String { value < 1e-4 ? String(format: "%.2e", value) : String(format: "%.4f", value) }
    static func nanoseconds(_ value: Double) -> String {
        if value >= 1e6 { return String(format: "%.3f ms", value / 1e6) }
        if value >= 1e3 { return String(format: "%.3f µs", value / 1e3) }
        return String(format: "%.1f ns", value)
    }
    private static func cell(_ text: String?) -> String { Markup.markdown(text ?? "") }
}
