import AssayCore
import Foundation

/// The printable rendering of a certificate: one self-contained HTML page (inline CSS, no
/// scripts, nothing fetched) laid out for A4. It is a courtesy copy; the DSSE envelope is
/// what verifies. Every string from the predicate is escaped.
public enum CertificateHTML {
    public static func render(_ predicate: AdaptationPredicate, keyID: String, payloadSHA256: String, envelopeName: String) -> String {
        let target = predicate.target
        let identity = [target.vendor, target.model].compactMap { $0 }.joined(separator: " ")
        let versions = target.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let counts = predicate.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Adaptation certificate — \(escape(target.title))</title>
            <style>
            @page { size: A4; margin: 16mm; }
            body { font-family: "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: #1a1a1a; max-width: 178mm; margin: 0 auto; font-size: 10.5pt; }
            h1 { font-size: 20pt; margin: 0 0 2mm; letter-spacing: 0.02em; }
            h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 0.4mm solid #444; padding-bottom: 1mm; }
            .verdict { border: 0.6mm solid #1f6f3f; padding: 4mm; margin: 4mm 0; }
            .verdict strong { font-size: 14pt; color: #1f6f3f; text-transform: uppercase; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: 1mm 2mm; border-bottom: 0.2mm solid #ccc; vertical-align: top; }
            th { width: 45mm; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .mono { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8.5pt; word-break: break-all; }
            footer { margin-top: 8mm; font-size: 8.5pt; color: #555; }
            tr, .verdict { page-break-inside: avoid; }
            </style>
            </head>
            <body>
            <h1>Adaptation certificate</h1>
            <div>\(escape(predicate.profile.title)) — profile <span class="mono">\(escape(predicate.profile.id))</span> version \(escape(predicate.profile.version))</div>
            <div class="verdict"><strong>\(escape(predicate.result))</strong> · level <strong>\(escape(predicate.level))</strong><br>
            Valid from \(escape(predicate.notBefore)) until \(escape(predicate.notAfter))</div>
            <h2>Target</h2>
            <table>
            \(row("Title", target.title))
            \(row("Id / kind", "\(target.id) (\(target.kind))"))
            \(row("Vendor / model", identity.isEmpty ? "—" : identity))
            \(row("Versions", versions.isEmpty ? "—" : versions))
            \(row("Descriptor sha256", target.descriptorSHA256, mono: true))
            \(row("Waiver file sha256", predicate.waiverFile.map { "\($0.sha256) (\($0.path))" } ?? "none", mono: true))
            \(row("Environment fingerprint", predicate.environmentFingerprint, mono: true))
            </table>
            <h2>Run</h2>
            <table>
            \(row("Run", predicate.run.id, mono: true))
            \(row("Suites", predicate.run.suites.joined(separator: ", ")))
            \(row("Backend", predicate.run.backend))
            \(row("Started / finished", "\(predicate.run.startedAt) / \(predicate.run.finishedAt ?? "—")"))
            \(row("Harness", "\(predicate.harnessVersion) (issued with \(predicate.issuingHarnessVersion))"))
            </table>
            <h2>Case counts</h2>
            <table>
            \(counts.map { "<tr><th>\(escape($0.key))</th><td class=\"num\">\($0.value)</td></tr>" }.joined(separator: "\n"))
            </table>
            <h2>Key figures</h2>
            \(keyFigures(predicate.keyFigures))
            <h2>Waivers applied</h2>
            \(waivers(predicate.waivers))
            <h2>Signature</h2>
            <table>
            \(row("Issuer", predicate.issuer))
            \(row("Issued at", predicate.issuedAt))
            \(row("Signing key id", keyID, mono: true))
            \(row("Payload sha256", payloadSHA256, mono: true))
            \(row("Profile sha256", predicate.profile.sha256, mono: true))
            </table>
            <footer>This page is a rendering of the signed certificate <span class="mono">\(escape(envelopeName))</span> \
            (DSSE envelope, in-toto statement, Ed25519). Check it with <span class="mono">assay verify \(escape(envelopeName)) --pubkey ISSUER.pub</span>; \
            the page itself proves nothing.</footer>
            </body>
            </html>

            """
    }

    /// Delegates to the shared `Markup.escape`, so every document Assay writes escapes alike.
    static func escape(_ text: String) -> String { Markup.escape(text) }

    private static func row(_ label: String, _ value: String, mono: Bool = false) -> String {
        "<tr><th>\(escape(label))</th><td\(mono ? " class=\"mono\"" : "")>\(escape(value))</td></tr>"
    }

    private static func keyFigures(_ figures: [AdaptationPredicate.KeyFigure]) -> String {
        guard !figures.isEmpty else { return "<p>No performance cases were measured.</p>" }
        let rows = figures.map { figure in
            "<tr><td class=\"mono\">\(escape(figure.caseID))</td><td>\(escape(figure.metric.rawValue))</td>"
                + "<td class=\"num\">\(escape(ProfileEvaluation.percentText(figure.value)))</td></tr>"
        }
        return "<table>\n<tr><th>Case</th><th>Metric</th><th>Value</th></tr>\n\(rows.joined(separator: "\n"))\n</table>"
    }

    private static func waivers(_ waivers: [AdaptationPredicate.AppliedWaiver]) -> String {
        guard !waivers.isEmpty else { return "<p>None.</p>" }
        let rows = waivers.map { waiver in
            "<tr><td class=\"mono\">\(escape(waiver.caseID))</td><td>\(escape(waiver.category))</td>"
                + "<td>\(escape(waiver.reference))</td><td>\(escape(waiver.expires))</td></tr>"
        }
        return "<table>\n<tr><th>Case</th><th>Category</th><th>Reference</th><th>Expires</th></tr>\n\(rows.joined(separator: "\n"))\n</table>"
    }
}
