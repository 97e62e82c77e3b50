import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import AssayPlanning

/// Runs a performance case through the sampler, then judges it against the roofline:
/// the target's declared peaks where it has them, the measured ceilings otherwise.
struct SampledPerformanceRunner: PerformanceCaseRunner {
    let backend: Backend
    let identity: BackendIdentity
    let declared: DeclaredCapabilities
    let measured: MeasuredCeilings?

    func run(_ work: OpCase) throws -> PerformanceRecord {
        try judged(
            SampledPerformanceRunner.sample(
                backend: backend,
                identity: identity,
                problem: work.problem,
                settings: work.performance,
                seed: work.seed
            ),
            problem: work.problem
        )
    }

    func run(_ work: OpCase, continuing previous: PerformanceRecord) throws -> PerformanceRecord {
        let next = try SampledPerformanceRunner.sample(
            backend: backend,
            identity: identity,
            problem: work.problem,
            settings: work.performance,
            seed: work.seed
        )
        return judged(previous.appendingRound(next), problem: work.problem)
    }

    func run(_ work: GraphCase, into result: inout CaseResult, continuing previous: PerformanceRecord?) throws {
        try ModelPerformanceRunner(performance: self).run(work, into: &result, continuing: previous)
    }

    private func judged(_ sampled: PerformanceRecord, problem: OpProblem) -> PerformanceRecord {
        judged(sampled, flops: problem.flops, bytes: problem.minimumBytes, dtype: problem.dtype)
    }

    /// The record placed on the roofline of its dtype from its work model (an op's, or a graph's).
    func judged(_ sampled: PerformanceRecord, flops: Double, bytes: Double, dtype: DType) -> PerformanceRecord {
        var record = sampled
        let (roofline, source) = ceilings(for: dtype)
        record.applyWorkModel(flops: flops, bytes: bytes, roofline: roofline, ceilingSource: source)
        return record
    }

    /// One round of an op: a sampler run under the round's share of the case's time cap.
    /// The energy counters read around each round (the machine's; tests may pass a fixture tree's).
    static func sample(
        backend: Backend,
        identity: BackendIdentity,
        problem: OpProblem,
        settings caseSettings: PerformanceSettings,
        seed: UInt64,
        energy counters: EnergyCounters = EnergyCounters()
    ) throws -> PerformanceRecord {
        try sample(identity: identity, settings: caseSettings, energy: counters) { k, samples in
            try backend.benchmark(
                BenchmarkRequest(problem: problem, seed: seed, mode: caseSettings.mode, k: k, samples: samples)
            )
        }
    }

    /// One round of anything the backend times as k back-to-back calls per sample (an op, a
    /// graph): the same sampler, stopping rule and energy reading for every kind of case.
    static func sample(
        identity: BackendIdentity,
        settings caseSettings: PerformanceSettings,
        energy counters: EnergyCounters = EnergyCounters(),
        benchmark: @escaping Sampler.Measure
    ) throws -> PerformanceRecord {
        var settings = caseSettings
        settings.timeCapSeconds /= Double(max(1, caseSettings.effectiveRounds))
        settings.minMeasuredSeconds /= Double(max(1, caseSettings.effectiveRounds))
        let configuration = Sampler.Configuration(
            mode: settings.mode,
            timerKind: identity.timer.kind,
            stoppingRule: StoppingRule(settings),
            maxClockMHz: identity.devices.first?.maxClockMHz
        )
        // One untimed call first: input generation and transfer must not eat the time cap.
        _ = try benchmark(1, 1)
        var calls = 0
        let sampler = Sampler(configuration: configuration) { k, samples in
            calls += k * samples
            return try benchmark(k, samples)
        }
        let start = counters.snapshot()
        var record = try sampler.run()
        record.energy = counters.energy(from: start, to: counters.snapshot(), calls: calls)
        return record
    }

    /// Declared ceilings win, measured ones fill in (one rule, `CeilingPrecedence`, which the report draws by too).
    private func ceilings(for dtype: DType) -> (Roofline, PerformanceRecord.CeilingSource?) {
        CeilingPrecedence(declared: declared, measured: measured).roofline(for: dtype)
    }
}
