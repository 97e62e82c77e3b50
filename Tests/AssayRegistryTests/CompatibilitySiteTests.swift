import AssayCertify
import AssayCore
import AssayRegistry
import AssayTestSupport
import Foundation
import Testing

/// The published compatibility list: links that resolve, hostile descriptor text kept inert,
/// and pages that a real browser renders (headless Chromium).
@Suite(.serialized) struct CompatibilitySiteTests {
    static let chromium = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Subprocess.locate).first
    static let hostileTitle = "<script>alert('pwned')</script> \u{202E}gnp.exe <img src=x onerror=alert(1)>"

    /// A registry with a hostile target beside ordinary ones, certificates, reports; the site of it.
    static func site(in folder: URL) throws -> URL {
        let reports = folder.appendingPathComponent("Reports")
        let hostile = RegistryFixtures.Target(
            id: "npu-evil",
            title: hostileTitle,
            vendor: "Evil\" onmouseover=\"alert(2)"
        )
        let plain = RegistryFixtures.Target(id: "cpu-ok", title: "CPU OK", vendor: "Other", kind: "cpu", os: "13")
        var last: URL?
        for index in 0..<4 {
            var target = hostile
            if index >= 2 { target.driver = "2.0" }
            last = try RegistryFixtures.writeRun(RegistryFixtures.record(target, run: index), in: reports, report: true)
        }
        _ = try RegistryFixtures.certify(last!)
        _ = try RegistryFixtures.certify(
            try RegistryFixtures.writeRun(RegistryFixtures.record(plain, run: 0), in: reports)
        )
        let registry = try RegistryConnection.open(folder.appendingPathComponent("r.sqlite").path, relativeTo: folder)
        defer { registry.close() }
        let trust = try RegistryFixtures.trustFile([RegistryFixtures.issuer], in: folder)
        let outcomes = try registry.ingest(
            IngestInputs(paths: [reports.path], relativeTo: folder),
            options: IngestOptions(issuers: try StationTrust(files: [trust]), root: folder)
        )
        #expect(outcomes.allSatisfy { $0.action == .added }, "\(outcomes)")
        let out = folder.appendingPathComponent("site")
        let pages = try CompatibilitySite(
            registry: registry,
            title: "Lab list",
            root: folder,
            now: RegistryFixtures.base.addingTimeInterval(86400)
        ).write(to: out)
        #expect(pages == 3)
        return out
    }

    static func files(_ folder: URL, suffix: String) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(suffix) }
    }

    /// Every href and src of every page: internal, relative, and resolving to a file of the site.
    static func brokenLinks(_ site: URL) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        var broken: [String] = []
        for page in files(site, suffix: ".html") {
            let html = try String(contentsOf: page, encoding: .utf8)
            for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
                let link = String(html[Range(match.range(at: 1), in: html)!])
                let path =
                    link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
                    ?? ""
                if link.contains(":") || link.hasPrefix("/") {
                    broken.append("\(page.lastPathComponent): external \(link)")
                    continue
                }
                if path.isEmpty { continue }
                let target = URL(fileURLWithPath: path, relativeTo: page.deletingLastPathComponent())
                    .standardizedFileURL
                if !FileManager.default.fileExists(atPath: target.path)
                    || !target.path.hasPrefix(site.standardizedFileURL.path)
                {
                    broken.append("\(page.lastPathComponent): \(link)")
                }
            }
        }
        return broken
    }

    @Test func everyInternalLinkResolvesAndHostileTextIsInert() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-site")
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = try Self.site(in: folder)
        let broken = try Self.brokenLinks(site)
        #expect(broken.isEmpty, "\(broken)")
        let pages = Self.files(site, suffix: ".html")
        #expect(pages.count == 3 + 4, "index, two targets, four copied reports")
        for page in pages.filter({ !$0.path.contains("/runs/") }) {
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(!html.contains("<script>alert"), "\(page.lastPathComponent)")
            #expect(!html.contains("<img src=x"), "\(page.lastPathComponent)")
            #expect(!html.contains("onmouseover=\"alert"), "\(page.lastPathComponent)")
            #expect(!html.unicodeScalars.contains("\u{202E}"), "a bidi override reorders the text around it")
            #expect(html.components(separatedBy: "<script>").count <= 2, "only the page's own script")
            #expect(html.contains("default-src 'none'"))
        }
        let target = try String(contentsOf: site.appendingPathComponent("targets/npu-evil.html"), encoding: .utf8)
        #expect(
            target.contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;")
                || target.contains("&lt;script&gt;alert(")
        )
        #expect(target.contains("⟨U+202E⟩"))
        #expect(target.components(separatedBy: "<svg class=\"trend\"").count == 3, "a chart per performance case")
        #expect(target.contains("driver 2.0"), "the version change is marked on the chart")
        // The JSON twins carry the same data for machines.
        struct Index: Decodable {
            struct Row: Decodable {
                var target: TargetEntry
                var page: String
            }
            var targets: [Row]
            var profiles: [String]
        }
        let index = try JSONDecoder().decode(
            Index.self,
            from: Data(contentsOf: site.appendingPathComponent("index.json"))
        )
        #expect(index.targets.map(\.target.id) == ["cpu-ok", "npu-evil"] && index.profiles == ["lab-basic"])
        #expect(index.targets.last?.target.title == Self.hostileTitle)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("targets/npu-evil.json").path))
        // The published certificate is the envelope as issued: it still verifies.
        let certificate = try #require(
            Self.files(site.appendingPathComponent("certificates"), suffix: ".dsse.json").first
        )
        let verified = try CertificateCheck.verify(
            envelopeJSON: Data(contentsOf: certificate),
            trustedKey: RegistryFixtures.issuer.publicKey,
            expectedSubjects: nil,
            at: RegistryFixtures.base.addingTimeInterval(86400)
        )
        #expect(["npu-evil", "cpu-ok"].contains(verified.predicate.target.id))
    }

    @Test(
        .enabled(
            if: chromium != nil,
            "chromium is not installed (.ci/run installs it with apt-get); skipping the site rendering test"
        ),
        .hangBackstop
    )
    func chromiumRendersTheIndexAndATargetPage() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-site")
        defer { try? FileManager.default.removeItem(at: folder) }
        let site = try Self.site(in: folder)
        let profile = folder.appendingPathComponent("profile").path
        let browser = [
            Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--window-size=1100,900",
        ]
        for page in ["index.html", "targets/npu-evil.html"] {
            let png = folder.appendingPathComponent(page.replacingOccurrences(of: "/", with: "_") + ".png")
            let shot = try Subprocess.run(
                browser + ["--screenshot=\(png.path)", site.appendingPathComponent(page).absoluteString]
            )
            #expect(shot.status == 0, "\(shot.output)")
            #expect(try Self.distinctColours(png) > 8, "\(page) renders as more than a blank page")
        }
        // The script ran: the shown count is filled in, and a filter in the link hides the other rows.
        let all = try Subprocess.run(
            browser + ["--dump-dom", site.appendingPathComponent("index.html").absoluteString],
            standardError: .discarded
        )
        #expect(all.output.contains("<span id=\"shown\">2</span>"), "\(all.output.prefix(400))")
        #expect(!all.output.contains("<img src=\"x\""), "the hostile markup never became an element")
        let filtered = try Subprocess.run(
            browser + ["--dump-dom", site.appendingPathComponent("index.html").absoluteString + "#vendor=Other"],
            standardError: .discarded
        )
        #expect(filtered.output.contains("<span id=\"shown\">1</span>"), "\(filtered.output.prefix(400))")
        #expect(
            filtered.output.contains("data-target=\"npu-evil\"")
                && filtered.output.range(of: #"<tr data-target="npu-evil"[^>]*hidden"#, options: .regularExpression)
                    != nil
        )
    }

    /// How many distinct pixel colours a PNG has (zlib-decoded in Python; filters undone).
    static func distinctColours(_ png: URL) throws -> Int {
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            pos, idat, width, height, bpp = 8, b'', 0, 0, 4
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + length]; pos += 12 + length
                if kind == b'IHDR':
                    width, height, depth, colour = struct.unpack('>IIBB', body[:10]); bpp = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
                elif kind == b'IDAT': idat += body
            raw, stride, prev, colours = zlib.decompress(idat), width * bpp, bytearray(width * bpp), set()
            for y in range(height):
                f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
                for i in range(stride):
                    a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
                    if f == 1: line[i] = (line[i] + a) & 255
                    elif f == 2: line[i] = (line[i] + b) & 255
                    elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                if y % 4 == 0: colours.update(bytes(line[x:x + bpp]) for x in range(0, stride, bpp * 4))
                prev = line
            print(len(colours))
            """
        let result = try Python.run(script, [png.path])
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
