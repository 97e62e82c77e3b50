import AssayCertify
import AssayCore
import AssayGate
import AssayRegistry
import AssayTestSupport
import Foundation
import Testing

/// `--baseline registry:TARGET[@RUN-ID]`: the runs the registry keeps judge exactly as the
/// original run records do, though only one median per round is stored.
@Suite(.serialized) struct RegistryBaselineTests {
    @Test(arguments: TestEngine.available)
    func registryBaselineJudgesLikeTheOriginalRuns(engine: TestEngine) throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = RegistryFixtures.Target(id: "npu-g", title: "NPU G")
        let originals = (0..<3).map {
            RegistryFixtures.record(target, run: $0, medians: [1000 + Double($0), 2000 - Double($0)])
        }
        for record in originals { try RegistryFixtures.writeRun(record, in: folder) }
        // 5% slower on the first case: a regression the gate must see either way.
        let current = RegistryFixtures.record(target, run: 9, medians: [1050, 2000])
        let registry = try engine.open(try engine.makeDatabase(in: folder))
        defer { registry.close() }
        _ = try registry.ingest(
            IngestInputs(paths: [folder.path], relativeTo: folder),
            options: IngestOptions(root: folder)
        )

        let (stored, source) = try RegistryBaseline("registry:npu-g").load(from: registry)
        #expect(stored.map(\.runID) == originals.map(\.runID))
        #expect(source.hasSuffix("registry:npu-g"))
        #expect(
            stored.allSatisfy { $0.cases.compactMap(\.performance).allSatisfy { $0.samples.count == 3 } },
            "one median per round is kept"
        )
        let fromRegistry = try Gate.compare(baselines: stored, currents: [current])
        let fromFiles = try Gate.compare(baselines: originals, currents: [current])
        #expect(fromRegistry.status == .regression)
        #expect(fromRegistry.status == fromFiles.status)
        #expect(fromRegistry.performance.map(\.verdict) == fromFiles.performance.map(\.verdict))
        for (a, b) in zip(fromRegistry.performance, fromFiles.performance) {
            #expect(
                abs((a.ratio ?? 0) - (b.ratio ?? 1)) < 1e-12 && abs((a.ratioLow ?? 0) - (b.ratioLow ?? 1)) < 1e-12,
                "\(a.id)"
            )
        }

        let one = try RegistryBaseline("registry:npu-g@\(originals[1].runID)").load(from: registry).0
        #expect(one.map(\.runID) == [originals[1].runID])
        #expect(throws: RegistryError.self) { try RegistryBaseline("registry:npu-g@missing").load(from: registry) }
        #expect(throws: RegistryError.self) { try RegistryBaseline("registry:nobody").load(from: registry) }
        #expect(throws: RegistryError.self) { try RegistryBaseline("registry:npu-g@") }
    }

    @Test func theGateCommandReadsARegistryBaseline() throws {
        let assay = try #require(Repository.assayExecutable, "build assay first")
        let folder = try TemporaryDirectory.make(prefix: "assay-registry")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = RegistryFixtures.Target(id: "npu-g", title: "NPU G")
        for index in 0..<3 {
            try RegistryFixtures.writeRun(
                RegistryFixtures.record(target, run: index, medians: [1000, 2000]),
                in: folder
            )
        }
        let current = try RegistryFixtures.writeRun(
            RegistryFixtures.record(target, run: 9, medians: [1300, 2000]),
            in: folder.appendingPathComponent("current")
        )
        let db = folder.appendingPathComponent("r.sqlite").path
        let ingest = try Subprocess.run([
            assay.path, "registry", "ingest", folder.appendingPathComponent("npu-g").path, "--db", db,
        ])
        #expect(ingest.status == 0, "\(ingest.output)")
        let gate = try Subprocess.run([
            assay.path, "gate", "--baseline", "registry:npu-g", "--registry-db", db, "--current", current.path,
        ])
        #expect(gate.status == 1, "\(gate.output)")
        #expect(gate.output.contains("regress"))
        let unknown = try Subprocess.run([
            assay.path, "gate", "--baseline", "registry:npu-g@nope", "--registry-db", db, "--current", current.path,
        ])
        #expect(unknown.status == 2 && unknown.output.contains("no run nope of target npu-g"), "\(unknown.output)")
    }
}
