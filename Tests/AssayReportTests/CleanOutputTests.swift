import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

/// External strings cannot become links, images, HTML or table cells in Markdown, and bidi or
/// invisible format characters are shown as visible escapes in every format.
@Suite struct CleanOutputTests {
    static let phish = "[click](https://x/phish) ![](https://x/b.png) <b>x</b> a|b"
    static let invisible: [Unicode.Scalar] = [
        "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}",
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{FEFF}",
    ]

    @Test func markdownEscapesLinkImageHTMLAndTableSyntax() {
        let text = Markup.markdown(Self.phish)
        #expect(text == #"\[click\](https://x/phish) !\[\](https://x/b.png) &lt;b&gt;x&lt;/b&gt; a\|b"#)
        #expect(!text.contains("](") || text.contains(#"\](https"#))
    }

    @Test func everyInvisibleFormatCharacterIsShown() {
        for scalar in Self.invisible {
            let text = "a\(Character(scalar))b"
            let shown = "a⟨U+\(String(scalar.value, radix: 16, uppercase: true))⟩b"
            #expect(Markup.visible(text) == shown)
            #expect(Markup.escape(text) == shown)
            #expect(Markup.markdown(text) == shown)
        }
        #expect(Markup.visible("plain é 中") == "plain é 中")
    }

    @Test func reportsCarryNoLinkAndNoBidiOverride() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-clean")
        defer { try? FileManager.default.removeItem(at: directory) }
        var record = RecordFixture.record()
        record.target.value.title = Self.phish + " \u{202E}evil"
        record.cases[1].message = "boom \u{202E}desrever ![](https://x/c.png)"
        try RecordCoding.encoder().encode(record).write(to: directory.appendingPathComponent("run.json"))
        let written = try ReportWriter.write(try ReportWriter.loadRecord(directory.path), to: directory)
        var other = record
        other.runID = "20261125T080000Z-bbbb0002"
        let comparison = RunComparison([record, other])
        let outputs =
            try written.filter { $0.pathExtension != "json" }.map {
                ($0.lastPathComponent, try String(contentsOf: $0, encoding: .utf8))
            }
            + [("compare.md", comparison.markdown()), ("compare.html", comparison.html())]
        for (name, text) in outputs {
            #expect(
                !text.unicodeScalars.contains { Markup.isInvisibleFormat($0) },
                "\(name) carries a raw format character"
            )
            #expect(text.contains("⟨U+202E⟩"), "\(name) does not show the override")
            if name.hasSuffix(".md") {
                #expect(!text.contains("[click](") && !text.contains("![](https"), "\(name) renders a link or an image")
            }
        }
    }
}

/// Smaller output fixes: each thing said once, and only what was written claimed.
@Suite struct SaidOnceTests {
    @Test func junitSaysUnsupportedOnce() {
        #expect(
            JUnitReport.unsupportedMessage("unsupported: matmul bf16 not declared")
                == "unsupported: matmul bf16 not declared"
        )
        #expect(JUnitReport.unsupportedMessage("no bf16 on this device") == "unsupported: no bf16 on this device")
        #expect(JUnitReport.unsupportedMessage(nil) == "unsupported: not declared by the backend")
    }

    @Test func systemEvidenceIsSaidOnce() {
        var result = CaseResult(
            id: try! CaseID(parsing: "system/os_id/-/none"),
            kind: .system,
            op: "os_id",
            dtype: "none",
            outcome: .fail,
            message: "expected openeuler, observed debian",
            system: SystemObservation(expected: "openeuler", observed: "debian")
        )
        #expect(ReportModel.systemLine(result) == nil)
        result.message = "probe failed"
        #expect(ReportModel.systemLine(result) == "expected openeuler, observed debian")
    }

    @Test func compareMarkdownClaimsCompareHTMLOnlyWhenWritten() {
        var other = RecordFixture.record()
        other.runID = "20261125T080000Z-bbbb0002"
        let comparison = RunComparison([RecordFixture.record(), other])
        #expect(!comparison.markdown().contains("compare.html"))
        #expect(comparison.markdown(withHTML: true).contains("(listed in compare.html)"))
    }
}
