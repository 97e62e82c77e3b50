import AssayCertify
import AssayCore
import AssayRegistry
import AssayTestSupport
import Foundation
import Testing

/// Ingest, list and trend, the same on every engine.
@Suite(.serialized) struct RegistryIngestTests {
    static let a = RegistryFixtures.Target(id: "npu-a", title: "NPU A", driver: "1.0")
    static let b = RegistryFixtures.Target(id: "cpu-b", title: "CPU B", vendor: "Other", kind: "cpu", os: "13")

    /// Two targets, three runs of A (driver 1.0, 1.0, 1.1) and one of B; A's last run certified.
    static func lab(in folder: URL) throws -> (reports: URL, certificate: URL, trust: URL) {
        let reports = folder.appendingPathComponent("Reports")
        var last: URL?
        for index in 0..<3 {
            var target = a
            if index == 2 { target.driver = "1.1" }
            last = try RegistryFixtures.writeRun(RegistryFixtures.record(target, run: index), in: reports, report: true)
        }
        try RegistryFixtures.writeRun(RegistryFixtures.record(b, run: 0), in: reports)
        let certificate = try RegistryFixtures.certify(last!)
        return (
            reports, certificate,
            try RegistryFixtures.trustFile([RegistryFixtures.stranger, RegistryFixtures.issuer], in: folder)
        )
    }

    static func options(_ trust: URL?, folder: URL) throws -> IngestOptions {
        IngestOptions(
            issuers: try trust.map { try StationTrust(files: [$0]) },
            stations: StationTrust(keys: [RegistryFixtures.station.publicKey]),
            root: folder
        )
    }

    static func count(_ registry: Registry, _ table: String) throws -> Int {
        try registry.database.query("SELECT COUNT(*) FROM \(table)").first?.first?.int ?? -1
    }

    /// Runs `body` with the lab ingested into a fresh registry of `engine` (or, with `ingest`
    /// false, an empty one), removing everything afterwards.
    static func withLab(
        _ engine: TestEngine,
        ingest: Bool = true,
        trust: Bool = true,
        _ body: (Registry, (reports: URL, certificate: URL, trust: URL), URL) throws -> Void
    ) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lab = try Self.lab(in: folder)
        let registry = try engine.open(try engine.makeDatabase(in: folder))
        defer { registry.close() }
        if ingest {
            _ = try registry.ingest(
                IngestInputs(paths: [lab.reports.path], relativeTo: folder),
                options: Self.options(trust ? lab.trust : nil, folder: folder)
            )
        }
        try body(registry, lab, folder)
    }

    @Test(arguments: TestEngine.available)
    func ingestStoresEverythingOnceAndListsIt(engine: TestEngine) throws {
        try Self.withLab(engine, ingest: false) { registry, lab, folder in
            let inputs = try IngestInputs(paths: [lab.reports.path], relativeTo: folder)
            #expect(inputs.runs.count == 4 && inputs.certificates.count == 1)
            let first = try registry.ingest(inputs, options: Self.options(lab.trust, folder: folder))
            #expect(first.map(\.action) == [.added, .added, .added, .added, .added], "\(first)")
            let tables = ["targets", "runs", "cases", "performance", "certificates"]
            let counts = try tables.map { try Self.count(registry, $0) }
            #expect(counts == [2, 4, 24, 8, 1])

            // The same inputs again change nothing.
            let second = try registry.ingest(inputs, options: Self.options(lab.trust, folder: folder))
            #expect(second.allSatisfy { $0.action == .unchanged }, "\(second)")
            #expect(try tables.map { try Self.count(registry, $0) } == counts)

            let targets = try registry.targets()
            #expect(targets.map(\.id) == ["cpu-b", "npu-a"])
            #expect(targets.first { $0.id == "npu-a" }?.runs == 3)
            #expect(targets.first { $0.id == "npu-a" }?.os == "debian 12")
            #expect(try registry.targets(.init(vendor: "Other")).map(\.id) == ["cpu-b"])
            #expect(try registry.targets(.init(kind: "accelerator", os: "debian 12")).map(\.id) == ["npu-a"])
            let runs = try registry.runs(.init(target: "npu-a"))
            #expect(
                runs.count == 3
                    && runs.allSatisfy { $0.attested && $0.station == "station-1" && $0.counts["pass"] == 6 }
            )
            #expect(runs.map { $0.versions["driver"] } == ["1.0", "1.0", "1.1"])
            #expect(runs.first?.reportPath == "Reports/npu-a/\(runs[0].runID)/report.html")

            let certificates = try registry.certificates(at: RegistryFixtures.base.addingTimeInterval(86400))
            #expect(certificates.count == 1)
            #expect(certificates.first?.level == "compatible" && certificates.first?.validity == .valid)
            #expect(certificates.first?.issuerKeyID == RegistryFixtures.issuer.keyID)
            #expect(
                try registry.certificates(at: RegistryFixtures.base.addingTimeInterval(86400 * 90)).first?.validity
                    == .expired
            )
            #expect(try registry.certificates(.init(profile: "other")).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func trendFollowsACaseAcrossRunsWithVersions(engine: TestEngine) throws {
        try Self.withLab(engine, trust: false) { registry, _, _ in
            let points = try registry.trend(target: "npu-a", caseID: RegistryFixtures.performanceCases[0])
            #expect(points.count == 3)
            // Medians 1000 + run index (the fixture's), in run order, with the driver beside each.
            #expect(points.map { $0.medianNanoseconds.map { $0.rounded() } } == [1000, 1001, 1002])
            #expect(points.map { $0.versions["driver"] } == ["1.0", "1.0", "1.1"])
            #expect(points.allSatisfy { ($0.ciLowNanoseconds ?? .infinity) <= ($0.medianNanoseconds ?? 0) })
            #expect(try registry.trend(target: "npu-a", caseID: "performance/none/x/f32").isEmpty)
            #expect(try registry.performanceCases(target: "npu-a").map(\.runs) == [3, 3])
        }
    }

    @Test(arguments: TestEngine.available)
    func unverifiableCertificatesAreRefusedWithTheReason(engine: TestEngine) throws {
        try Self.withLab(engine, ingest: false) { registry, lab, folder in
            let certificate = try IngestInputs(paths: [lab.certificate.path], relativeTo: folder)

            let untrusted = try RegistryFixtures.trustFile(
                [RegistryFixtures.stranger],
                in: folder,
                name: "stranger.pem"
            )
            let wrongKey = try registry.ingest(certificate, options: Self.options(untrusted, folder: folder))
            #expect(wrongKey.map(\.action) == [.refused])
            #expect(wrongKey.first?.detail.contains("not signed by any of the 1 trusted issuer key(s)") == true)

            let noTrust = try registry.ingest(certificate, options: Self.options(nil, folder: folder))
            #expect(noTrust.first?.action == .refused && noTrust.first?.detail.contains("--trust") == true)

            // The run beside it is no longer the certified one.
            let runJSON = lab.certificate.deletingLastPathComponent().appendingPathComponent("run.json")
            try (try Data(contentsOf: runJSON) + Data(" ".utf8)).write(to: runJSON)
            let tampered = try registry.ingest(certificate, options: Self.options(lab.trust, folder: folder))
            #expect(tampered.first?.action == .refused)
            #expect(tampered.first?.detail.contains("run.json") == true, "\(tampered)")
            #expect(try Self.count(registry, "certificates") == 0)

            // A run whose attestation no longer matches is refused too, and nothing of it stored.
            let run = try registry.ingest(
                IngestInputs(paths: [runJSON.path], relativeTo: folder),
                options: Self.options(nil, folder: folder)
            )
            #expect(run.first?.action == .refused && run.first?.detail.contains("does not hold up") == true, "\(run)")
            #expect(try Self.count(registry, "runs") == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aFailedIngestLeavesNothingOfTheRun(engine: TestEngine) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        var record = RegistryFixtures.record(Self.a, run: 0)
        record.cases.append(record.cases[0])  // the same case twice: its second row violates the key
        let directory = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try RecordCoding.encoder().encode(record).write(to: directory.appendingPathComponent("run.json"))
        let registry = try engine.open(try engine.makeDatabase(in: folder))
        defer { registry.close() }
        #expect(throws: DatabaseError.self) {
            try registry.ingest(
                IngestInputs(paths: [directory.path], relativeTo: folder),
                options: IngestOptions(root: folder)
            )
        }
        for table in ["targets", "runs", "cases", "performance"] {
            #expect(try Self.count(registry, table) == 0, "\(table)")
        }
    }

    @Test(arguments: TestEngine.available)
    func schemaIsMigratedForwardAndRecorded(engine: TestEngine) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try engine.makeDatabase(in: folder)
        let old = try engine.open(db)
        // Back to version 1 as an older harness left it: no indexes, one migration row.
        for index in ["runs_by_start", "performance_by_case", "certificates_by_target"] {
            try old.database.execute("DROP INDEX \(index)")
        }
        try old.database.execute("DELETE FROM schema_migrations WHERE version = 2")
        old.close()
        let reopened = try engine.open(db)
        #expect(try RegistrySchema.versions(reopened.database) == [1, 2])
        try reopened.database.execute(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', 'x')"
        )
        reopened.close()
        #expect(throws: RegistryError.self) { try engine.open(db) }
    }
}
