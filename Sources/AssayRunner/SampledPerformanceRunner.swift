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

    private func judged(_ sampled: PerformanceRecord, problem: OpProblem) -> PerformanceRecord {
        var record = sampled
        let (roofline, source) = ceilings(for: problem.dtype)
        record.applyWorkModel(
            flops: problem.flops,
            bytes: problem.minimumBytes,
            roofline: roofline,
            ceilingSource: source
        )
        return record
    }

    /// One round: a sampler run under the round's share of the case's time cap.
    /// The energy counters read around each round (the machine's; tests may pass a fixture tree's).
    static func sample(
        backend: Backend,
        identity: BackendIdentity,
        problem: OpProblem,
        settings caseSettings: PerformanceSettings,
        seed: UInt64,
        energy counters: EnergyCounters = EnergyCounters()
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
        _ = try backend.benchmark(BenchmarkRequest(problem: problem, seed: seed, mode: settings.mode, k: 1, samples: 1))
        var calls = 0
        let sampler = Sampler(configuration: configuration) { k, samples in
            calls += k * samples
            return try backend.benchmark(
                BenchmarkRequest(problem: problem, seed: seed, mode: settings.mode, k: k, samples: samples)
            )
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
