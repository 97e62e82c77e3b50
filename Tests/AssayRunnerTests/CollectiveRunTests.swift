import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Whole runs of collective suites on multi-rank targets, one plugin process per rank: every
/// op exact on every rank at 2 and 4 ranks (numpy reference ring over loopback), a deliberately
/// wrong rank caught, a rank that crashes or hangs mid-collective ending that case with the
/// rank named while the run goes on, and no rank process left after the run.
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct CollectiveRunTests {
    /// Every op but p2p_copy in every dtype; p2p_copy (every ordered pair, each sampled on
    /// its own) in two, with room for its 12 samplers at 4 ranks on a loaded machine.
    static let everyOp =
        CollectiveOp.allCases.filter { $0 != .p2pCopy }.map { op in
            "  - {op: \(op.rawValue), dtypes: [f64, f32, f16, bf16, int32, int8], sizes: [96, 4 KiB]}"
        }.joined(separator: "\n") + """

              - {op: p2p_copy, dtypes: [f32, int8], sizes: [96, 4 KiB], time_cap_s: 10}
              - {op: all_reduce, dtypes: [f32, bf16], sizes: [1 KiB], in_place: true}
              - {op: broadcast, dtypes: [f32], sizes: [1 KiB], root: 1}
              - {op: reduce, dtypes: [int8], sizes: [1 KiB], root: 1, in_place: true}
            """

    static func suite(_ cases: String) -> String {
        """
        id: coll
        kind: collective
        performance: {time_cap_s: 1, target_ci: 0.5, min_samples: 3, min_measured_s: 0.01}
        cases:
        \(cases)
        """
    }

    func target(ranks: Int, mode: String = "none", fixture: PluginFixture, requestTimeout: Double = 60) throws -> String
    {
        let pids = fixture.folder.appendingPathComponent("pids")
        try FileManager.default.createDirectory(at: pids, withIntermediateDirectories: true)
        return """
            id: coll-numpy
            kind: server
            backend:
              command: [python3, "\(PluginFixtures.path("faulty_collective.py"))", \(mode), "1", "\(fixture.folder.appendingPathComponent("marker").path)", "\(pids.path)", "\(Repository.root.path)"]
              device: cpu
              ranks: \(ranks)
              timeouts: {handshake_s: 60, request_s: \(requestTimeout)}
              max_restarts: 2
            capabilities: {link_gbs: 10}
            """
    }

    /// The pids every rank process wrote; each must be gone once the run has returned.
    func survivors(_ fixture: PluginFixture) throws -> [Int32] {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: fixture.folder.appendingPathComponent("pids").path
        )
        return names.compactMap(Int32.init).filter { !PluginFixtures.waitUntilGone($0, seconds: 5) }
    }

    @Test(arguments: [2, 4])
    func everyCollectiveIsExactOnEveryRank(ranks: Int) throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: try target(ranks: ranks, fixture: fixture),
            suite: Self.suite(Self.everyOp)
        )
        // The SDK also agrees `shm` (the data path), so only the collective feature is pinned here.
        #expect(record.backend.ranks == ranks && record.backend.features?.contains("collective") == true)
        #expect(record.cases.count == (CollectiveOp.allCases.count - 1) * 6 * 2 + 4 + 4)
        let failed = record.cases.filter { $0.outcome != .pass }.map { "\($0.id): \($0.outcome) \($0.message ?? "")" }
        #expect(failed.isEmpty, "\(failed)")
        for result in record.cases where result.outcome == .pass {
            let figures = try #require(result.collective)
            #expect(figures.ranks == ranks && (figures.busGBs ?? 0) > 0 && (figures.percentOfLink ?? 0) > 0)
            let factor = figures.op.busFactor(ranks: ranks)
            #expect(abs((figures.busGBs ?? 0) - (figures.algorithmGBs ?? 0) * factor) <= 1e-9 * (figures.busGBs ?? 0))
            // The peer-to-peer matrix: every ordered pair, the case's figure its slowest.
            if figures.op == .p2pCopy {
                let pairs = try #require(figures.pairs)
                #expect(
                    Set(pairs.map { "\($0.source)→\($0.destination)" }).count == ranks * (ranks - 1)
                        && pairs.allSatisfy { $0.source != $0.destination }
                )
                #expect(abs(pairs.map(\.gbs).min()! - figures.algorithmGBs!) <= 1e-9 * figures.algorithmGBs!)
            }
        }
        #expect(try survivors(fixture).isEmpty)
    }

    @Test func aWrongResultOnOneRankFailsNamingTheRank() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: try target(ranks: 2, mode: "wrong", fixture: fixture),
            suite: Self.suite("  - {op: all_reduce, dtypes: [f32, int8], sizes: [64]}")
        )
        #expect(record.cases.map(\.outcome) == [.fail, .fail])
        #expect(
            record.cases.allSatisfy { $0.message?.hasPrefix("rank 1: 1/") == true },
            "\(record.cases.map(\.message))"
        )
        #expect(record.cases.allSatisfy { $0.message?.contains("rank 0") == false })
    }

    /// A copy that arrives wrong on rank 1 fails the matrix naming the pair and the rank; the
    /// copy into rank 0 is right, and is not blamed.
    @Test func aWrongPeerToPeerCopyFailsNamingThePair() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: try target(ranks: 2, mode: "wrong", fixture: fixture),
            suite: Self.suite("  - {op: p2p_copy, dtypes: [f32], sizes: [64]}")
        )
        #expect(record.cases.map(\.outcome) == [.fail])
        #expect(
            record.cases[0].message == "rank 0→1: rank 1: 1/16 elements wrong; first at [3]: expected -2.0, got -1.0",
            "\(record.cases[0].message ?? "")"
        )
    }

    @Test(
        arguments: [("crash", Outcome.crash, "plugin exited with status 9"), ("hang", Outcome.timeout, "no reply")],
        [2, 4]
    )
    func aRankThatFailsMidCollectiveEndsTheCaseNamingTheRank(fault: (String, Outcome, String), ranks: Int) throws {
        let (fault, outcome, cause) = fault
        let reason = "rank 1 of \(ranks): \(cause)"
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: try target(ranks: ranks, mode: fault, fixture: fixture, requestTimeout: 4),
            suite: Self.suite("  - {op: all_reduce, dtypes: [f32], sizes: [4 KiB, 64, 1 MiB]}")
        )
        #expect(record.cases.map(\.outcome) == [outcome, .pass, .pass], "\(record.cases.map { $0.message ?? "" })")
        let message = record.cases[0].message ?? ""
        #expect(message.contains(reason), "\(message)")
        #expect(record.cases[0].stderrTail?.contains("injected fault: \(fault) in rank 1") == true)
        #expect(try survivors(fixture).isEmpty)
    }

    @Test func aSingleProcessTargetRecordsCollectivesAsUnsupported() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: one-numpy
                kind: cpu
                backend: {command: [python3, "\(Repository.root.path)/Backends/python/numpy_backend.py"], device: cpu}
                """,
            suite: Self.suite("  - {op: all_reduce, sizes: [64]}")
        )
        #expect(record.cases.map(\.outcome) == [.unsupported])
        #expect(record.cases[0].message?.contains("multi-rank target") == true)
    }

    /// A plugin without the feature (ABP 1.0, or 1.1 without `collective`): unsupported, with the reason.
    @Test func ranksWhosePluginHasNoCollectivesAreUnsupported() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: minimal-2rank
                kind: server
                backend: {command: [python3, "\(Repository.root.path)/Backends/python/examples/minimal_backend.py"], device: cpu, ranks: 2}
                """,
            suite: Self.suite("  - {op: all_reduce, sizes: [64]}")
        )
        #expect(record.backend.features?.contains("collective") == false && record.backend.protocolMinor == 1)
        #expect(record.cases.map(\.outcome) == [.unsupported])
        #expect(record.cases[0].message?.contains("did not agree the 'collective' feature") == true)
    }

    /// The same collectives through torch.distributed (gloo on cpu) at 2 ranks.
    @Test(.enabled(if: Python.canImport("torch"), "torch is not importable"))
    func everyCollectiveIsExactThroughTorchGloo() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: torch-gloo
                kind: server
                backend:
                  command: [python3, "\(Repository.root.path)/Backends/python/torch_backend.py"]
                  device: cpu
                  ranks: {count: 2, per_rank: [{env: {OMP_NUM_THREADS: "1"}}, {env: {OMP_NUM_THREADS: "1"}}]}
                  timeouts: {handshake_s: 120, request_s: 120}
                """,
            suite: Self.suite(
                CollectiveOp.allCases.map { "  - {op: \($0.rawValue), dtypes: [f32, bf16, int8], sizes: [96]}" }.joined(
                    separator: "\n"
                )
            )
        )
        #expect(record.backend.name == "torch" && record.backend.ranks == 2)
        let failed = record.cases.filter { $0.outcome != .pass }.map { "\($0.id): \($0.outcome) \($0.message ?? "")" }
        #expect(record.cases.count == CollectiveOp.allCases.count * 3 && failed.isEmpty, "\(failed)")
    }
}
