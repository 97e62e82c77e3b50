import AssayCore
import Foundation

/// The printable rendering of a certificate: one self-contained HTML page (inline CSS, no
/// scripts, nothing fetched) that prints on one A4 page. It is a courtesy copy; the DSSE
/// envelope is what verifies, and the run.json and run attestation digests on it let a printout
/// be matched to its records. Every string from the predicate is escaped; a case id breaks only
/// after a `/`, never inside a token; any other long string wraps inside its cell.
public enum CertificateHTML {
    /// Waivers listed on the page at most (the rest are counted; the envelope holds them all),
    /// so the page stays one page.
    static let waiverLimit = 4
    /// Characters of one free-text field shown on the page; a longer one is cut with a note
    /// (the envelope holds it whole), so no descriptor string can push the page past one.
    static let textLimit = 160

    public static func render(
        _ predicate: AdaptationPredicate,
        keyID: String,
        payloadSHA256: String,
        envelopeName: String,
        runSHA256: String
    ) -> String {
        let target = predicate.target
        let identity = clip([target.vendor, target.model].compactMap { $0 }.joined(separator: " "))
        let versions = clip(
            target.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        )
        let counts = predicate.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Adaptation certificate — \(escape(target.title))</title>
            <style>
            @page { size: A4; margin: 12mm; }
            body { font-family: "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: #1a1a1a; max-width: 186mm; margin: 0 auto; font-size: 8pt; line-height: 1.2; }
            h1 { font-size: 16pt; margin: 0 0 1mm; letter-spacing: 0.02em; }
            h2 { font-size: 9pt; margin: 2.5mm 0 0.8mm; border-bottom: 0.3mm solid #444; padding-bottom: 0.5mm; }
            .verdict { border: 0.5mm solid #1f6f3f; padding: 2mm 3mm; margin: 2mm 0; }
            .verdict strong { font-size: 11pt; color: #1f6f3f; text-transform: uppercase; }
            table { border-collapse: collapse; width: 100%; table-layout: fixed; }
            th, td { text-align: left; padding: 0.3mm 1.5mm; border-bottom: 0.2mm solid #ccc; vertical-align: top; overflow-wrap: anywhere; }
            th { width: 40mm; font-weight: 600; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            .mono { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 7.5pt; word-break: break-all; }
            .case { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 7pt; word-break: keep-all; overflow-wrap: normal; }
            .figures th { width: auto; }
            .figures col.case-col { width: 72%; }
            .waivers col.case-col { width: 62%; }
            .counts td, .counts th { width: auto; }
            .basis { margin: 0.8mm 0 0; overflow-wrap: anywhere; }
            footer { margin-top: 3mm; font-size: 7.5pt; color: #555; }
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
            \(row("Title", clip(target.title)))
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
            \(row("Backend", clip(predicate.run.backend)))
            \(row("Started / finished", "\(predicate.run.startedAt) / \(predicate.run.finishedAt ?? "—")"))
            \(row("Harness", "\(predicate.harnessVersion) (issued with \(predicate.issuingHarnessVersion))"))
            </table>
            <h2>Case counts</h2>
            <table class="counts"><tr>\(counts.map { "<th>\(escape($0.key))</th><td class=\"num\">\($0.value)</td>" }.joined())</tr></table>
            <h2>Key figures</h2>
            \(keyFigures(predicate.keyFigures))
            \(peakBasis(predicate))
            <h2>Waivers applied</h2>
            \(waivers(predicate.waivers))
            <h2>Signature</h2>
            <table>
            \(row("Issuer / issued at", "\(clip(predicate.issuer)) / \(predicate.issuedAt)"))
            \(row("Signing key id", keyID, mono: true))
            \(row("Payload sha256", payloadSHA256, mono: true))
            \(row("Profile sha256", predicate.profile.sha256, mono: true))
            \(row("run.json sha256", runSHA256, mono: true))
            \(row("Run attestation sha256", predicate.runAttestation?.sha256 ?? "— (no run attestation)", mono: true))
            \(row("Station key id", predicate.runAttestation?.stationKeyID ?? "—", mono: true))
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

    /// `text`, cut to `textLimit` characters with a note when longer.
    static func clip(_ text: String) -> String {
        text.count <= textLimit ? text : String(text.prefix(textLimit)) + "… (cut here; whole in the envelope)"
    }

    /// A case id that may wrap only after its `/` separators.
    static func caseID(_ id: String) -> String {
        id.split(separator: "/", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(
            separator: "/<wbr>"
        )
    }

    private static func keyFigures(_ figures: [AdaptationPredicate.KeyFigure]) -> String {
        guard !figures.isEmpty else {
            return "<p>No performance case was measured against a declared peak or a reference run.</p>"
        }
        let rows = figures.map { figure in
            "<tr><td class=\"case\">\(caseID(figure.caseID))</td><td>% of \(escape(figure.metric.ceilingName))\(figure.basis == .reference ? " (reference run)" : "")</td>"
                + "<td class=\"num\">\(escape(ProfileEvaluation.percentText(figure.value)))</td>"
                + "<td class=\"num\">\(figure.floor.map { "≥ " + escape(ProfileEvaluation.percentText($0)) } ?? "—")</td></tr>"
        }
        return "<table class=\"figures\"><col class=\"case-col\"><col><col><col>\n"
            + "<tr><th>Case</th><th>Metric</th><th class=\"num\">Value</th><th class=\"num\">Floor</th></tr>\n\(rows.joined(separator: "\n"))\n</table>"
    }

    /// What the key figures are shares of: the declared peaks' source, the reference run's digest.
    private static func peakBasis(_ predicate: AdaptationPredicate) -> String {
        var parts: [String] = []
        if let source = predicate.peakSource { parts.append("declared peaks from \(escape(clip(source)))") }
        if let reference = predicate.referenceRun {
            parts.append(
                "reference run \(escape(clip(reference.path))), sha256 <span class=\"mono\">\(escape(reference.sha256))</span>"
            )
        }
        return parts.isEmpty ? "" : "<p class=\"basis\">Peaks: \(parts.joined(separator: "; "))</p>"
    }

    private static func waivers(_ waivers: [AdaptationPredicate.AppliedWaiver]) -> String {
        guard !waivers.isEmpty else { return "<p>None.</p>" }
        let rows = waivers.prefix(waiverLimit).map { waiver in
            "<tr><td class=\"case\">\(caseID(waiver.caseID))</td><td>\(escape(waiver.category))</td>"
                + "<td>\(escape(waiver.reference))</td><td>\(escape(String(waiver.expires.prefix(10))))</td></tr>"
        }
        let more =
            waivers.count > waiverLimit
            ? "\n<p>… and \(waivers.count - waiverLimit) more, listed in the envelope.</p>" : ""
        return "<table class=\"figures waivers\"><col class=\"case-col\"><col><col><col>\n"
            + "<tr><th>Case</th><th>Category</th><th>Reference</th><th>Expires</th></tr>\n\(rows.joined(separator: "\n"))\n</table>\(more)"
    }
}
