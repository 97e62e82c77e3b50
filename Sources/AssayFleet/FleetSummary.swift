import AssayCertify
import AssayCore
import Foundation

/// `assay fleet collect`'s result: one row per target (`summary.json`; `summary.md` and
/// `summary.html` render it). Links are relative to the fleet folder.
public struct FleetSummary: Codable, Sendable {
    public static let currentFormat = "assay-fleet-summary/1"

    public struct Figure: Codable, Sendable, Equatable {
        /// `best FLOP/s`, `best bandwidth`.
        public var name: String
        public var value: Double
        /// `FLOP/s`, `B/s`.
        public var unit: String
        public var caseID: String
    }

    public struct Certificate: Codable, Sendable, Equatable {
        public var profile: String
        public var level: String
        public var notAfter: String
        public var link: String
    }

    public struct Row: Codable, Sendable {
        public var targetID: String
        public var title: String?
        public var jobID: String?
        public var jobState: String?
        public var runStatus: String?
        public var done: Int
        public var planned: Int
        public var passed: Int
        public var failed: Int
        public var counts: [String: Int]
        public var figures: [Figure]
        public var certificate: Certificate?
        /// `report.html` of the run, relative to the fleet folder.
        public var report: String?
        public var runDirectory: String?

        /// Complete, with every case acceptable.
        public var isGood: Bool { runStatus == RunRecord.Status.complete.rawValue && failed == 0 }
    }

    public var format: String
    public var fleetID: String
    public var executor: String
    public var suites: [String]
    public var profile: String?
    public var collectedAt: Date
    public var rows: [Row]

    /// Every target's run complete with no failed case.
    public var allGood: Bool { rows.allSatisfy(\.isGood) }

    /// Gathers the rows from the fleet's run directories.
    public static func collect(
        manifest: FleetManifest,
        statuses: [FleetInspector.TargetStatus],
        fleet: FleetDirectory,
        at date: Date = Date()
    ) -> FleetSummary {
        let rows = statuses.map { status -> Row in
            var row = Row(
                targetID: status.targetID,
                title: nil,
                jobID: status.jobID,
                jobState: status.jobState?.name,
                runStatus: status.runStatus?.rawValue,
                done: status.done,
                planned: status.planned,
                passed: status.passed,
                failed: status.failed,
                counts: status.counts,
                figures: [],
                certificate: nil,
                report: nil,
                runDirectory: status.runDirectory
            )
            guard let path = status.runDirectory else { return row }
            let directory = URL(fileURLWithPath: path)
            if let record = try? RunRecord.load(contentsOf: directory.appendingPathComponent("run.json")) {
                row.title = record.target.value.title
                row.figures = figures(record.cases)
            }
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("report.html").path) {
                row.report = relativePath(directory.appendingPathComponent("report.html"), from: fleet.url)
            }
            row.certificate = certificate(in: directory, fleet: fleet)
            return row
        }
        return FleetSummary(
            format: currentFormat,
            fleetID: manifest.id,
            executor: manifest.executor,
            suites: manifest.suites,
            profile: manifest.profile,
            collectedAt: date,
            rows: rows
        )
    }

    /// Writes `summary.json`, `summary.md` and `summary.html` into the fleet folder; returns their paths.
    public func write(to fleet: FleetDirectory) throws -> [URL] {
        let files = [
            ("summary.json", try RecordCoding.encoder().encode(self)),
            ("summary.md", Data(FleetSummaryPages.markdown(self).utf8)),
            ("summary.html", Data(FleetSummaryPages.html(self).utf8)),
        ]
        return try files.map { name, data in
            let url = fleet.url.appendingPathComponent(name)
            do { try data.write(to: url, options: .atomic) } catch {
                throw InputError(
                    file: url.path,
                    message: "cannot write the fleet summary: \(error.localizedDescription)"
                )
            }
            return url
        }
    }

    /// The highest throughput and bandwidth any passing performance case reached.
    static func figures(_ cases: [CaseResult]) -> [Figure] {
        let measured = cases.filter { $0.kind == .performance && $0.outcome == .pass }
        func best(_ name: String, unit: String, _ value: (PerformanceRecord) -> Double?) -> Figure? {
            let candidates = measured.compactMap { result in result.performance.flatMap(value).map { (result.id, $0) } }
                .filter { $0.1.isFinite }
            return candidates.max { $0.1 < $1.1 }.map {
                Figure(name: name, value: $0.1, unit: unit, caseID: $0.0.description)
            }
        }
        return [
            best("best throughput", unit: "FLOP/s", \.flopsPerSecond),
            best("best bandwidth", unit: "B/s", \.bytesPerSecond),
        ].compactMap { $0 }
    }

    /// The level the run's certificate states (read from its envelope; `assay verify` checks the signature).
    static func certificate(in directory: URL, fleet: FleetDirectory) -> Certificate? {
        let url = directory.appendingPathComponent(CertificateIssuer.defaultEnvelopeName)
        guard let data = FileManager.default.contents(atPath: url.path),
            let envelope = try? DSSEEnvelope(jsonData: data), let payload = try? envelope.decodedPayload(),
            let statement = try? JSONDecoder().decode(InTotoStatement<AdaptationPredicate>.self, from: payload)
        else { return nil }
        let predicate = statement.predicate
        return Certificate(
            profile: predicate.profile.id,
            level: predicate.level,
            notAfter: predicate.notAfter,
            link: relativePath(CertificateIssuer.htmlURL(for: url), from: fleet.url)
        )
    }

    /// `to` relative to the folder `from` (`../Reports/x/…`), so the pages work when the shared folders move together.
    static func relativePath(_ to: URL, from folder: URL) -> String {
        let target = to.standardizedFileURL.pathComponents
        let base = folder.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, base.count), target[common] == base[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }
}
