import AssayBench
import AssayCore
import Foundation

/// Builds run records for gate tests: seeded, deterministic sample sets and outcome lists.
enum SyntheticRuns {
    static let targetYAML = """
        id: gate-test
        title: Gate test target
        kind: cpu
        backend:
          builtin: cpu
          threads: 1
        """

    /// `n` samples of `median` ns with normal noise of the given coefficient of variation, from `seed`.
    static func samples(median: Double, cv: Double, n: Int = 50, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            // Box–Muller: two uniforms in (0, 1] → one standard normal.
            let u1 = Swift.max(generator.nextUnit(), 1e-300)
            let u2 = generator.nextUnit()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            return median * (1 + cv * z)
        }
    }

    /// `rounds` rounds of `n` samples each, every round from its own seed (no round effect).
    static func rounds(median: Double, cv: Double, rounds: Int = 3, n: Int = 50, seed: UInt64) -> [[Double]] {
        (0..<UInt64(rounds)).map { samples(median: median, cv: cv, n: n, seed: seed &* 1_000_003 &+ $0) }
    }

    static func performanceCase(_ id: String, samples: [Double], outcome: Outcome = .pass) -> CaseResult {
        performanceCase(id, rounds: [samples], outcome: outcome)
    }

    /// A case measured in rounds: the records as the runner writes them (rounds appended one by one).
    static func performanceCase(_ id: String, rounds: [[Double]], outcome: Outcome = .pass) -> CaseResult {
        let records = rounds.map { samples in
            PerformanceRecord(
                mode: .warm,
                timerKind: .host,
                k: 1,
                n: samples.count,
                warmupCalls: 0,
                samples: samples,
                summary: Statistics.summarize(samples),
                converged: true,
                stopReason: "synthetic",
                totalSeconds: 0,
                measuredSeconds: samples.reduce(0, +) / 1e9
            )
        }
        let record = records.dropFirst().reduce(records[0]) { $0.appendingRound($1) }
        return CaseResult(
            id: try! CaseID(parsing: id),
            kind: .performance,
            op: "matmul",
            dtype: "f32",
            outcome: outcome,
            performance: record
        )
    }

    static func conformanceCase(_ id: String, _ outcome: Outcome, message: String? = nil) -> CaseResult {
        CaseResult(
            id: try! CaseID(parsing: id),
            kind: .conformance,
            op: "add",
            dtype: "f32",
            outcome: outcome,
            message: message
        )
    }

    static func record(
        _ cases: [CaseResult],
        runID: String = "run",
        fingerprint: String = "fp-same",
        suites: [SourceSnapshot<Suite>] = [],
        targetYAML: String = targetYAML
    ) -> RunRecord {
        let descriptor = try! TargetDescriptor.parse(text: targetYAML, file: "Targets/gate-test.yaml")
        return RunRecord(
            runID: runID,
            harnessVersion: "test",
            status: .complete,
            target: SourceSnapshot(path: "Targets/gate-test.yaml", text: targetYAML, value: descriptor),
            suites: suites,
            environment: EnvironmentRecord(fingerprint: fingerprint, components: [:], facts: nil),
            backend: BackendIdentity(
                name: "synthetic",
                version: "0",
                transport: .builtin,
                devices: [],
                timer: "host_monotonic",
                capabilities: [:]
            ),
            plannedCases: cases.map(\.id),
            cases: cases
        )
    }
}
