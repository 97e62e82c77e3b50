import AssayCore
import AssayFleet
import AssayTestSupport
import Foundation
import Testing

/// `assay fleet` with the default local executor: no scheduler, the targets one after another.
struct LocalFleetTests {
    @Test("a local fleet runs every target here, collects the right counts, and a resume finds nothing to redo")
    func localFleet() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let good = try fixture.cpuDescriptor(id: "good")
        let failing = try fixture.cpuDescriptor(id: "failing-system", extra: SlurmFleetTests.failingSystem)
        let submitted = try Subprocess.run(
            [
                fixture.assay.path, "fleet", "submit", "--target", good.path, "--target", failing.path,
                "--suite", "system",
            ],
            in: fixture.folder
        )
        #expect(submitted.status == 1, "a failing target makes a local submit exit 1: \(submitted.output)")
        let fleet = try fixture.fleetFolder()
        let manifest = try fixture.manifest(fleet)
        #expect(manifest.executor == "local")
        #expect(manifest.targets.map { $0.attempts.map(\.jobID) } == [["local-0-good"], ["local-0-failing-system"]])

        let status = try Subprocess.run([fixture.assay.path, "fleet", "status", fleet.path], in: fixture.folder)
        #expect(status.status == 0)
        #expect(status.output.contains("local-0-good") && status.output.contains("COMPLETED"), "\(status.output)")
        #expect(status.output.contains("FAILED (exit 1)"), "\(status.output)")

        let collected = try Subprocess.run([fixture.assay.path, "fleet", "collect", fleet.path], in: fixture.folder)
        #expect(collected.status == 1, "\(collected.output)")
        let summary = try fixture.summary(fleet)
        let rows = Dictionary(uniqueKeysWithValues: summary.rows.map { ($0.targetID, $0) })
        for (id, row) in rows {
            let record = try fixture.record(try #require(row.runDirectory))
            #expect(row.passed == record.outcomeCounts[.pass, default: 0], "\(id)")
            #expect(row.failed == record.cases.filter { !$0.outcome.isAcceptable }.count, "\(id)")
            #expect(row.done == record.plannedCases.count && record.status == .complete, "\(id)")
        }
        #expect(rows["good"]?.failed == 0 && rows["failing-system"]?.failed == 2)
        #expect(!summary.allGood)

        let resumed = try Subprocess.run(
            [fixture.assay.path, "fleet", "submit", "--resume", fleet.path],
            in: fixture.folder
        )
        #expect(resumed.status == 1, "nothing changed: the failing target still fails")
        #expect(
            resumed.output.contains("good: not submitted: run") && resumed.output.contains("is complete"),
            "\(resumed.output)"
        )
        #expect(try fixture.manifest(fleet).targets.allSatisfy { $0.attempts.count == 1 })
    }

    @Test("with a profile and a station key, each finished run is certified and the summary shows its level")
    func certifiedFleet() throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(
            at: fixture.folder.appendingPathComponent("keys"),
            withIntermediateDirectories: true
        )
        let keygen = try Subprocess.run([fixture.assay.path, "keygen", "--out", "keys/lab"], in: fixture.folder)
        #expect(keygen.status == 0, "\(keygen.output)")
        try Data("station_key: keys/lab.key\n".utf8).write(to: fixture.folder.appendingPathComponent("assay.yaml"))
        let good = try fixture.cpuDescriptor(id: "good")
        let failing = try fixture.cpuDescriptor(id: "failing-system", extra: SlurmFleetTests.failingSystem)
        let submitted = try Subprocess.run(
            [
                fixture.assay.path, "fleet", "submit", "--target", good.path, "--target", failing.path,
                "--suite", "system", "--suite", "smoke", "--profile", "os-platform",
            ],
            in: fixture.folder
        )
        #expect(submitted.status == 1, "\(submitted.output)")
        let fleet = try fixture.fleetFolder()
        _ = try Subprocess.run([fixture.assay.path, "fleet", "collect", fleet.path], in: fixture.folder)
        let rows = Dictionary(uniqueKeysWithValues: try fixture.summary(fleet).rows.map { ($0.targetID, $0) })
        #expect(rows["good"]?.certificate?.level == "compatible" && rows["good"]?.certificate?.profile == "os-platform")
        #expect(
            rows["good"]?.certificate.map {
                FileManager.default.fileExists(atPath: fleet.appendingPathComponent($0.link).path)
            } == true
        )
        #expect(rows["failing-system"]?.certificate == nil, "a run whose system checks fail is not certified")
        let html = try String(contentsOf: fleet.appendingPathComponent("summary.html"), encoding: .utf8)
        #expect(html.contains("compatible (os-platform)"))
    }

    @Test(
        "bad input is refused before anything runs",
        arguments: [
            (["--target", "no-such-target"], "no-such-target"),
            (["--target", "local-cpu", "--suite", "no-such-suite"], "no-such-suite"),
            (["--target", "local-cpu", "--target", "local-cpu"], "already in this fleet"),
            (["--target", "local-cpu", "--executor", "kubernetes"], "--executor must be local or slurm"),
            (["--resume", "/nonexistent/fleet"], "no fleet manifest here"),
            (["--resume", "/nonexistent/fleet", "--target", "local-cpu"], "--resume takes the fleet's own targets"),
        ]
    )
    func badInput(arguments: [String], message: String) throws {
        let fixture = try FleetFixture()
        defer { fixture.remove() }
        let result = try Subprocess.run([fixture.assay.path, "fleet", "submit"] + arguments, in: fixture.folder)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent("Reports/fleets").path))
    }
}
