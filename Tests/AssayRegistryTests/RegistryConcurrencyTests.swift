import AssayRegistry
import AssayTestSupport
import Foundation
import Testing

/// Several stations ingesting into one registry at once lose nothing and store nothing twice.
@Suite(.serialized) struct RegistryConcurrencyTests {
    /// The `assay` built with the tests (in a `--traits PostgreSQL` build, the one that has the
    /// PostgreSQL engine), else the one `swift build` left.
    static var assay: URL? {
        let sibling = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "assay"
        )
        return FileManager.default.isExecutableFile(atPath: sibling.path) ? sibling : Repository.assayExecutable
    }

    /// Starts every command at once, then waits for all; their exit statuses and outputs.
    static func runTogether(_ commands: [[String]], in folder: URL) throws -> [(Int32, String)] {
        let processes = try commands.enumerated().map { index, argv -> (Process, URL) in
            let log = folder.appendingPathComponent("process-\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: argv[0])
            process.arguments = Array(argv.dropFirst())
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return (process, log)
        }
        return processes.map { process, log in
            process.waitUntilExit()
            return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
    }

    @Test(arguments: TestEngine.available)
    func fourStationsIngestingAtOnceStoreEveryRunOnce(engine: TestEngine) throws {
        let assay = try #require(Self.assay, "build assay first")
        let folder = try TemporaryDirectory.make(prefix: "assay-registry-concurrent")
        defer { try? FileManager.default.removeItem(at: folder) }
        // PostgreSQL: the 4 × 20; SQLite (one file, writers take turns) a lighter 4 × 5.
        let perStation = engine == .postgresql ? 20 : 5
        let targets = [
            RegistryFixtures.Target(id: "npu-a", title: "NPU A"), RegistryFixtures.Target(id: "npu-b", title: "NPU B"),
        ]
        var stationFolders: [URL] = []
        for station in 0..<4 {
            let stationFolder = folder.appendingPathComponent("station-\(station)")
            for index in 0..<perStation {
                // Every station writes runs of both targets, so they race on the same target rows.
                let run = station * perStation + index
                try RegistryFixtures.writeRun(
                    RegistryFixtures.record(targets[run % 2], run: run, conformance: 20),
                    in: stationFolder
                )
            }
            stationFolders.append(stationFolder)
        }
        let db = try engine.makeDatabase(in: folder)
        let first = try Self.runTogether(
            stationFolders.map { [assay.path, "registry", "ingest", $0.path, "--db", db] },
            in: folder
        )
        for (status, output) in first { #expect(status == 0, "\(output)") }
        // Again, every station everything: all four race on every run; each is already stored.
        let again = try Self.runTogether(
            stationFolders.map { _ in [assay.path, "registry", "ingest", folder.path, "--db", db] },
            in: folder
        )
        for (status, output) in again {
            #expect(status == 0 && output.contains("\(4 * perStation) unchanged"), "\(output)")
        }

        let registry = try engine.open(db)
        defer { registry.close() }
        let total = 4 * perStation
        #expect(try registry.runs().count == total)
        let duplicates = try registry.database.query(
            "SELECT target_id, run_id FROM runs GROUP BY target_id, run_id HAVING COUNT(*) > 1"
        )
        #expect(duplicates.isEmpty)
        #expect(try registry.database.query("SELECT COUNT(*) FROM cases").first?.first?.int == total * 22)
        #expect(try registry.database.query("SELECT COUNT(*) FROM performance").first?.first?.int == total * 2)
        #expect(try registry.targets().map(\.runs) == [total / 2, total / 2])
    }

    @Test func ingestExitCodesNameWhatWentWrong() throws {
        let assay = try #require(Self.assay, "build assay first")
        let folder = try TemporaryDirectory.make(prefix: "assay-registry-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = RegistryFixtures.Target(id: "npu-c", title: "NPU C")
        let run = try RegistryFixtures.writeRun(RegistryFixtures.record(target, run: 0), in: folder)
        _ = try RegistryFixtures.certify(run)
        let db = folder.appendingPathComponent("r.sqlite").path
        // No trust file: the run is stored, the certificate refused with the reason (exit 1).
        let refused = try Subprocess.run([assay.path, "registry", "ingest", run.path, "--db", db])
        #expect(
            refused.status == 1 && refused.output.contains("refused") && refused.output.contains("--trust"),
            "\(refused.output)"
        )
        let trust = try RegistryFixtures.trustFile([RegistryFixtures.issuer], in: folder)
        let stored = try Subprocess.run([assay.path, "registry", "ingest", run.path, "--db", db, "--trust", trust.path])
        #expect(
            stored.status == 0 && stored.output.contains("1 added") && stored.output.contains("1 unchanged"),
            "\(stored.output)"
        )
        // A malformed run record: exit 2 naming the file.
        let broken = folder.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("{\"schemaVersion\": 1}".utf8).write(to: broken.appendingPathComponent("run.json"))
        let bad = try Subprocess.run([assay.path, "registry", "ingest", broken.path, "--db", db])
        #expect(bad.status == 2 && bad.output.contains(broken.appendingPathComponent("run.json").path), "\(bad.output)")
        let list = try Subprocess.run(
            [assay.path, "registry", "list", "certificates", "--db", db, "--json"],
            standardError: .discarded
        )
        let certificates = try JSONDecoder().decode([CertificateEntry].self, from: list.data)
        #expect(certificates.map(\.targetID) == ["npu-c"])
        let trend = try Subprocess.run([
            assay.path, "registry", "trend", "npu-c", RegistryFixtures.performanceCases[1], "--db", db,
        ])
        #expect(trend.status == 0 && trend.output.contains("driver=1.0"), "\(trend.output)")
        if !RegistryConnection.hasPostgreSQL {
            let noPostgres = try Subprocess.run([assay.path, "registry", "list", "--db", "postgres://u@localhost/x"])
            #expect(noPostgres.status == 2 && noPostgres.output.contains("--traits PostgreSQL"), "\(noPostgres.output)")
        }
    }
}
