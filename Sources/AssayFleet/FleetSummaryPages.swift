import AssayCore
import Foundation

/// `summary.md` and `summary.html`: the fleet summary as a page, one row per target.
enum FleetSummaryPages {
    static let columns = [
        "Target", "Job", "State", "Run", "Cases", "Pass", "Fail", "Other", "Key figures", "Certificate", "Report",
    ]

    /// Each row's cells as plain text, with the link targets of the last two cells.
    static func cells(_ row: FleetSummary.Row) -> (texts: [String], certificateLink: String?, reportLink: String?) {
        let other = row.done - row.passed - row.failed
        let figures = row.figures.map { "\($0.name) \(format($0.value, unit: $0.unit)) (\($0.caseID))" }.joined(
            separator: "; "
        )
        let certificate = row.certificate.map { "\($0.level) (\($0.profile))" } ?? "—"
        let texts = [
            row.title.flatMap { $0 == row.targetID ? nil : "\(row.targetID) — \($0)" } ?? row.targetID,
            row.jobID ?? "—", row.jobState ?? "unknown",
            row.runStatus ?? "not started", "\(row.done)/\(row.planned)", "\(row.passed)", "\(row.failed)", "\(other)",
            figures.isEmpty ? "—" : figures, certificate, row.report == nil ? "—" : "report",
        ]
        return (texts, row.certificate?.link, row.report)
    }

    static func markdown(_ summary: FleetSummary) -> String {
        func cell(_ text: String) -> String {
            Markup.escape(text, quotes: false).replacingOccurrences(of: "|", with: "\\|")
        }
        var lines = [
            "# Fleet \(summary.fleetID)", "",
            "Executor \(summary.executor); suites \(summary.suites.joined(separator: ", "))"
                + (summary.profile.map { "; profile \($0)" } ?? "") + "; collected \(stamp(summary.collectedAt)).", "",
            "| " + columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: columns.count),
        ]
        for row in summary.rows {
            var (texts, certificateLink, reportLink) = cells(row)
            texts = texts.map(cell)
            if let certificateLink { texts[9] = "[\(texts[9])](\(certificateLink))" }
            if let reportLink { texts[10] = "[report](\(reportLink))" }
            lines.append("| " + texts.joined(separator: " | ") + " |")
        }
        lines += ["", summary.allGood ? "Every run is complete and passed." : "Not every run is complete and passed."]
        return lines.joined(separator: "\n") + "\n"
    }

    static func html(_ summary: FleetSummary) -> String {
        func text(_ value: String) -> String { Markup.escape(value) }
        var body = "<tr>" + columns.map { "<th>\(text($0))</th>" }.joined() + "</tr>\n"
        for row in summary.rows {
            var (texts, certificateLink, reportLink) = cells(row)
            texts = texts.map(text)
            if let certificateLink { texts[9] = "<a href=\"\(text(certificateLink))\">\(texts[9])</a>" }
            if let reportLink { texts[10] = "<a href=\"\(text(reportLink))\">report</a>" }
            body +=
                "<tr class=\"\(row.isGood ? "good" : "bad")\">" + texts.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Fleet \(text(summary.fleetID))</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
            tr.good td:nth-child(3),tr.good td:nth-child(4){color:#060}tr.bad td:nth-child(4){color:#a00}</style></head>
            <body><h1>Fleet \(text(summary.fleetID))</h1>
            <p>Executor \(text(summary.executor)); suites \(text(summary.suites.joined(separator: ", ")))\(summary.profile.map { "; profile " + text($0) } ?? ""); collected \(text(stamp(summary.collectedAt))).</p>
            <table>
            \(body)</table>
            <p>\(summary.allGood ? "Every run is complete and passed." : "Not every run is complete and passed.")</p>
            </body></html>

            """
    }

    /// `1.23 GFLOP/s`, `45.6 GB/s`.
    static func format(_ value: Double, unit: String) -> String {
        let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        guard let (scale, prefix) = prefixes.first(where: { value >= $0.0 }) else {
            return String(format: "%.3g", value) + " \(unit)"
        }
        return String(format: "%.3g", value / scale) + " \(prefix)\(unit)"
    }

    static func stamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
