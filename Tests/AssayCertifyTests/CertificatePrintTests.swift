import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCertify

/// certificate.html prints on exactly one A4 page, even with the most a certificate can hold:
/// a long title and versions, twelve key figures with long case ids, and more waivers than
/// the page lists. Printed by headless Chromium (`.ci/run` installs it); pages counted with
/// pdfinfo, or from the PDF's page objects when poppler is absent.
@Suite(.serialized) struct CertificatePrintTests {
    static let chromium = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Subprocess.locate).first

    static func worstCasePredicate() -> AdaptationPredicate {
        let issued = try! CertifyVerifyTests().issue()
        defer { try? FileManager.default.removeItem(at: issued.directory) }
        var predicate = issued.issued.predicate
        predicate.target.title = String(repeating: "Extremely long accelerator product name ", count: 6)
        predicate.target.versions = Dictionary(
            uniqueKeysWithValues: (0..<8).map {
                ("component-\($0)", "version-string-\($0)-" + String(repeating: "x", count: 40))
            }
        )
        let figure = predicate.keyFigures[0]
        let waiver = predicate.waivers[0]
        predicate.keyFigures = (0..<12).map { index in
            var copy = figure
            copy.caseID = "performance/scaled_dot_product_attention/b8.h16.s4096.t4096.d128.causal\(index)/bf16"
            copy.metric = .percentOfPeak
            copy.value = 61.5
            copy.floor = index % 2 == 0 ? 50 : nil
            return copy
        }
        predicate.peakSource =
            "Vendor datasheet "
            + String(repeating: "with a very long citation and URL https://example.com/x ", count: 5)
        predicate.referenceRun = .init(
            path: "References/" + String(repeating: "reference-machine-", count: 6) + "/run.json",
            sha256: String(repeating: "d", count: 64)
        )
        predicate.waivers = (0..<20).map { index in
            var copy = waiver
            copy.caseID = "conformance/layer_norm/shape4096x16384.eps1e-5.\(index)/bf16"
            copy.reference = "BUG-\(1000 + index)"
            return copy
        }
        return predicate
    }

    @Test func caseIDsBreakOnlyAfterSlashes() {
        #expect(CertificateHTML.caseID("perf/matmul/m1.n2/f32") == "perf/<wbr>matmul/<wbr>m1.n2/<wbr>f32")
        let html = CertificateHTML.render(
            Self.worstCasePredicate(),
            keyID: "k",
            payloadSHA256: "p",
            envelopeName: "c.dsse.json",
            runSHA256: "r"
        )
        #expect(html.contains("word-break: keep-all"))
        #expect(html.contains("<th>run.json sha256</th>") && html.contains("<th>Run attestation sha256</th>"))
        #expect(html.contains("<td>% of peak</td><td class=\"num\">61.5%</td><td class=\"num\">≥ 50%</td>"))
        #expect(html.contains("… and 16 more, listed in the envelope."))
        #expect(
            html.contains("<p class=\"basis\">Peaks: declared peaks from Vendor datasheet with a very long citation")
        )
        #expect(
            html.contains("reference run References/reference-machine-")
                && html.contains("(cut here; whole in the envelope)")
        )
    }

    @Test(
        .enabled(
            if: chromium != nil,
            "chromium is not installed (.ci/run installs it with apt-get); skipping the print test"
        ),
        .hangBackstop
    )
    func printsOnExactlyOneA4Page() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-print")
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let htmlURL = directory.appendingPathComponent("certificate.html")
        let pdfURL = directory.appendingPathComponent("certificate.pdf")
        let html = CertificateHTML.render(
            Self.worstCasePredicate(),
            keyID: String(repeating: "a", count: 64),
            payloadSHA256: String(repeating: "b", count: 64),
            envelopeName: "certificate.dsse.json",
            runSHA256: String(repeating: "c", count: 64)
        )
        try html.write(to: htmlURL, atomically: true, encoding: .utf8)
        let printed = try Subprocess.run([
            Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(pdfURL.path)", htmlURL.absoluteString,
        ])
        #expect(printed.status == 0, "\(printed.output)")
        let pdf = try Data(contentsOf: pdfURL)
        let pages = Self.pageCount(pdf, at: pdfURL)
        #expect(pages == 1)
        keep = pages != 1
        if keep { print("certificate.pdf has \(pages) pages: \(pdfURL.path) (kept)") }
        #expect(
            Self.pageCount(Data("<< /Type /Page >> << /Type /Pages >> << /Type/Page >>".utf8), at: nil) == 2,
            "the fallback counter counts pages"
        )
    }

    /// pdfinfo's "Pages:", else the number of `/Type /Page` objects (not `/Pages`).
    static func pageCount(_ pdf: Data, at url: URL?) -> Int {
        if let url, Subprocess.locate("pdfinfo") != nil, let info = try? Subprocess.run(["pdfinfo", url.path]),
            info.status == 0,
            let line = info.output.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }),
            let count = Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces))
        {
            return count
        }
        let text = String(decoding: pdf, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: #"/Type\s*/Page(?![s\w])"#)
        return pattern.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }
}
