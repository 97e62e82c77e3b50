import AssayCertify
import AssayCore
import Foundation

/// The published compatibility list (`assay registry site --out DIR`): `index.html` (targets ×
/// profiles with level, validity and the certificate), `targets/<id>.html` (run history and a
/// trend chart per key performance case), a JSON twin of each page, the certificates as
/// ingested under `certificates/`, and each run's report under `runs/` when it was found.
public struct CompatibilitySite {
    public let registry: Registry
    public var title: String
    /// Where ingested report paths are resolved.
    public var root: URL
    public var now: Date
    /// Trend charts per target page: the performance cases measured in most runs.
    public var keyCases = 6

    public init(registry: Registry, title: String = "Compatibility list", root: URL, now: Date = Date()) {
        self.registry = registry
        self.title = title
        self.root = root
        self.now = now
    }

    struct IndexJSON: Codable {
        struct Row: Codable {
            var target: TargetEntry
            var page: String
            var certificates: [String: SiteCertificate]
        }
        var title: String
        var generatedAt: String
        var profiles: [String]
        var targets: [Row]
    }

    struct SiteCertificate: Codable {
        var entry: CertificateEntry
        var file: String
    }

    struct TargetJSON: Codable {
        struct Trend: Codable {
            var caseID: String
            var points: [TrendPoint]
        }
        var target: TargetEntry
        var certificates: [SiteCertificate]
        var runs: [RunEntry]
        var reports: [String: String]
        var trends: [Trend]
    }

    /// Writes the site; returns the number of HTML pages.
    @discardableResult
    public func write(to folder: URL) throws -> Int {
        let manager = FileManager.default
        for sub in ["targets", "certificates", "runs"] {
            try manager.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let targets = try registry.targets()
        let certificates = try registry.certificates(at: now)
        let allRuns = Dictionary(grouping: try registry.runs(), by: \.targetID)
        var siteCertificates: [String: [SiteCertificate]] = [:]
        for certificate in certificates {
            let file = "certificates/\(certificate.payloadSHA256).dsse.json"
            if let envelope = try registry.envelope(certificate.payloadSHA256) {
                try Data(envelope.utf8).write(to: folder.appendingPathComponent(file), options: .atomic)
            }
            siteCertificates[certificate.targetID, default: []].append(SiteCertificate(entry: certificate, file: file))
        }
        let profiles = Array(Set(certificates.map(\.profileID))).sorted()
        var rows: [IndexJSON.Row] = []
        for target in targets {
            let page = "targets/\(SitePage.slug(target.id)).html"
            // Per profile: the newest valid certificate, else the newest one.
            var best: [String: SiteCertificate] = [:]
            for certificate in siteCertificates[target.id] ?? [] {
                let current = best[certificate.entry.profileID]
                if current == nil || (current!.entry.validity != .valid && certificate.entry.validity == .valid) {
                    best[certificate.entry.profileID] = certificate
                }
            }
            rows.append(.init(target: target, page: page, certificates: best))
            try writeTarget(
                target,
                page: page,
                certificates: siteCertificates[target.id] ?? [],
                runs: allRuns[target.id] ?? [],
                folder: folder
            )
        }
        let index = IndexJSON(title: title, generatedAt: RFC3339.string(from: now), profiles: profiles, targets: rows)
        try encode(index, to: folder.appendingPathComponent("index.json"))
        try Data(SitePage.html(title: title, body: indexBody(index), script: SitePage.filterScript).utf8)
            .write(to: folder.appendingPathComponent("index.html"), options: .atomic)
        return targets.count + 1
    }

    private func encode<Value: Encodable>(_ value: Value, to url: URL) throws {
        try RecordCoding.encoder().encode(value).write(to: url, options: .atomic)
    }

    private func indexBody(_ index: IndexJSON) -> String {
        func options(_ key: String, _ values: [String]) -> String {
            "<label>\(key) <select data-filter=\"\(key == "level" ? "levels" : key)\"><option value=\"\">all</option>"
                + Set(values).sorted().map { "<option value=\"\(Markup.escape($0))\">\(Markup.escape($0))</option>" }
                .joined() + "</select></label>"
        }
        let targets = index.targets
        var html =
            "<h1>\(Markup.escape(index.title))</h1>\n<p class=\"muted\">\(targets.count) targets, generated \(Markup.escape(index.generatedAt)); machine-readable: <a href=\"index.json\">index.json</a></p>\n"
        html +=
            "<p class=\"filters\">" + options("vendor", targets.compactMap(\.target.vendor))
            + options("kind", targets.map(\.target.kind))
            + options("os", targets.compactMap(\.target.os))
            + options(
                "level",
                targets.flatMap { $0.certificates.values.filter { $0.entry.validity == .valid }.map(\.entry.level) }
            )
            + " <span class=\"muted\"><span id=\"shown\">\(targets.count)</span> shown</span></p>\n"
        html +=
            "<table id=\"matrix\"><thead><tr><th>target</th><th>vendor</th><th>kind</th><th>OS</th><th>runs</th>"
            + index.profiles.map { "<th>\(Markup.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in targets {
            let target = row.target
            let levels = row.certificates.values.filter { $0.entry.validity == .valid }.map(\.entry.level).sorted()
                .joined(separator: " ")
            html +=
                "<tr data-target=\"\(Markup.escape(target.id))\" data-vendor=\"\(Markup.escape(target.vendor ?? ""))\" data-kind=\"\(Markup.escape(target.kind))\" data-os=\"\(Markup.escape(target.os ?? ""))\" data-levels=\"\(Markup.escape(levels))\">"
            html +=
                "<td><a href=\"\(row.page)\">\(Markup.escape(target.id))</a><br><span class=\"muted\">\(Markup.escape(target.title))</span></td>"
            html +=
                "<td>\(SitePage.escape(target.vendor))</td><td>\(Markup.escape(target.kind))</td><td>\(SitePage.escape(target.os))</td><td>\(target.runs)</td>"
            for profile in index.profiles {
                guard let certificate = row.certificates[profile] else {
                    html += "<td class=\"muted\">–</td>"
                    continue
                }
                html += certificateCell(certificate, prefix: "")
            }
            html += "</tr>\n"
        }
        html += "</tbody></table>\n" + verifyHelp(prefix: "")
        return html
    }

    private func certificateCell(_ certificate: SiteCertificate, prefix: String) -> String {
        let entry = certificate.entry
        return
            "<td class=\"\(entry.validity.rawValue)\"><span class=\"level\">\(Markup.escape(entry.level))</span> (\(entry.validity.rawValue))<br>"
            + "\(Markup.escape(String(entry.notBefore.prefix(10)))) – \(Markup.escape(String(entry.notAfter.prefix(10))))<br>"
            + "<a href=\"\(prefix)\(certificate.file)\">certificate</a> <span class=\"muted\">issuer key \(Markup.escape(String(entry.issuerKeyID.prefix(16))))…</span></td>"
    }

    private func verifyHelp(prefix: String) -> String {
        """
        <h2>How to verify a certificate</h2>
        <p>Each certificate is the DSSE envelope the issuer signed. With the issuer's public key (its key id is shown; \
        ask the issuer for the PEM file and check that its id matches), run
        <code>assay verify \(prefix)certificates/&lt;sha256&gt;.dsse.json --pubkey issuer.pub.pem</code>; add
        <code>--run RUN_DIR</code> to check that a run record is the certified one. Only the envelope verifies; these pages are a rendering of it.</p>
        """
    }

    private func writeTarget(
        _ target: TargetEntry,
        page: String,
        certificates: [SiteCertificate],
        runs: [RunEntry],
        folder: URL
    ) throws {
        var reports: [String: String] = [:]
        for run in runs {
            guard let path = run.reportPath else { continue }
            let source = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: root.path, isDirectory: true))
                .standardizedFileURL
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            let file = "runs/\(SitePage.slug(target.id))/\(SitePage.slug(run.runID)).html"
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(file).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            let destination = folder.appendingPathComponent(file)
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.copyItem(at: source, to: destination)
            reports[run.runID] = file
        }
        let cases = try registry.performanceCases(target: target.id).sorted {
            ($0.runs, $1.caseID) > ($1.runs, $0.caseID)
        }.prefix(keyCases)
        let trends = try cases.map {
            TargetJSON.Trend(caseID: $0.caseID, points: try registry.trend(target: target.id, caseID: $0.caseID))
        }
        let json = TargetJSON(target: target, certificates: certificates, runs: runs, reports: reports, trends: trends)
        try encode(json, to: folder.appendingPathComponent(String(page.dropLast(5)) + ".json"))

        var html =
            "<p><a href=\"../index.html\">← \(Markup.escape(title))</a> · machine-readable: <a href=\"\(SitePage.slug(target.id)).json\">\(SitePage.slug(target.id)).json</a></p>\n"
        html += "<h1>\(Markup.escape(target.id))</h1><p>\(Markup.escape(target.title))</p>\n"
        html +=
            "<table><tr><th>kind</th><td>\(Markup.escape(target.kind))</td></tr><tr><th>vendor</th><td>\(SitePage.escape(target.vendor))</td></tr>"
            + "<tr><th>model</th><td>\(SitePage.escape(target.model))</td></tr><tr><th>OS</th><td>\(SitePage.escape(target.os))</td></tr></table>\n"
        html += "<h2>Certificates</h2>\n"
        if certificates.isEmpty {
            html += "<p class=\"muted\">none</p>\n"
        } else {
            html +=
                "<table><tr><th>profile</th><th>level, validity</th><th>run</th><th>issuer</th><th>issued</th></tr>\n"
            for certificate in certificates {
                let entry = certificate.entry
                html +=
                    "<tr><td>\(Markup.escape(entry.profileID)) \(Markup.escape(entry.profileVersion))<br><span class=\"muted\">\(Markup.escape(entry.profileTitle))</span></td>"
                    + certificateCell(certificate, prefix: "../")
                    + "<td>\(Markup.escape(entry.runID))</td><td>\(Markup.escape(entry.issuer))</td><td>\(Markup.escape(entry.issuedAt))</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += "<h2>Performance trends</h2>\n"
        if trends.isEmpty { html += "<p class=\"muted\">no performance cases measured</p>\n" }
        for trend in trends {
            html +=
                "<h3><code>\(Markup.escape(trend.caseID))</code></h3>\n"
                + TrendChart.svg(caseID: trend.caseID, points: trend.points) + "\n"
        }
        html +=
            "<h2>Run history</h2>\n<table><tr><th>run</th><th>started</th><th>status</th><th>backend</th><th>versions</th><th>outcomes</th><th>station</th></tr>\n"
        for run in runs.reversed() {
            let counts = run.counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
            let versions = run.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", "
            )
            let name =
                reports[run.runID].map { "<a href=\"../\($0)\">\(Markup.escape(run.runID))</a>" }
                ?? Markup.escape(run.runID)
            html +=
                "<tr><td>\(name)</td><td>\(Markup.escape(run.startedAt))</td><td>\(Markup.escape(run.status))</td><td>\(Markup.escape(run.backend))</td>"
                + "<td>\(Markup.escape(versions))</td><td>\(Markup.escape(counts))</td><td>\(run.attested ? "attested by " + SitePage.escape(run.station) : "unattested")</td></tr>\n"
        }
        html += "</table>\n" + verifyHelp(prefix: "../")
        try Data(SitePage.html(title: "\(target.id) – \(title)", body: html).utf8).write(
            to: folder.appendingPathComponent(page),
            options: .atomic
        )
    }
}
