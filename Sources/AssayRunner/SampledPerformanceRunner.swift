import AssayBackend
import AssayBench
import AssayCore
import AssayOps

/// Runs a performance case through the sampler, then judges it against the roofline:
/// the target's declared peaks where it has them, the measured ceilings otherwise.
struct SampledPerformanceRunner: PerformanceCaseRunner {
    let backend: Backend
    let identity: BackendIdentity
    let declared: DeclaredCapabilities
    let measured: MeasuredCeilings?

    func run(_ planned: PlannedCase, problem: OpProblem) throws -> PerformanceRecord {
        var record = try SampledPerformanceRunner.sample(backend: backend, identity: identity, problem: problem,
                                                         settings: planned.performance, seed: planned.seed)
        let (roofline, source) = ceilings(for: problem.dtype)
        record.applyWorkModel(flops: problem.flops, bytes: problem.minimumBytes, roofline: roofline, ceilingSource: source)
        return record
    }

    static func sample(backend: Backend, identity: BackendIdentity, problem: OpProblem, settings: PerformanceSettings, seed: UInt64) throws -> PerformanceRecord {
        let configuration = Sampler.Configuration(mode: settings.mode, timerKind: identity.timer == "host_monotonic" ? .host : .device,
                                                  stoppingRule: StoppingRule(settings), maxClockMHz: identity.devices.first?.maxClockMHz)
        // One untimed call first: input generation and transfer must not eat the time cap.
        _ = try backend.benchmark(BenchmarkRequest(problem: problem, seed: seed, mode: settings.mode, k: 1, samples: 1))
        let sampler = Sampler(configuration: configuration) { k, samples in
            try backend.benchmark(BenchmarkRequest(problem: problem, seed: seed, mode: settings.mode, k: k, samples: samples))
        }
        return try sampler.run()
    }

    /// Declared ceilings win; a missing one is filled from the measured ceilings.
    private func ceilings(for dtype: DType) -> (Roofline, PerformanceRecord.CeilingSource?) {
        let declaredPeak = declared.peakFLOPS(for: dtype), declaredBandwidth = declared.bandwidthBytesPerSecond
        let peak = declaredPeak ?? measured?.gemmFLOPS[dtype.rawValue] ?? measured?.gemmFLOPS[DType.f32.rawValue]
        let bandwidth = declaredBandwidth ?? measured?.copyBytesPerSecond
        let source: PerformanceRecord.CeilingSource? = declaredPeak != nil || declaredBandwidth != nil ? .declared : (peak ?? bandwidth) != nil ? .measured : nil
        return (Roofline(peakFLOPsPerSecond: peak, bandwidthBytesPerSecond: bandwidth), source)
    }
}

/// Measures a target's own ceilings when it declares none: a STREAM-like copy and a
/// three-stream `add` (triad-like) for bandwidth, and a large f32 GEMM for compute.
enum CeilingProbe {
    static func measure(backend: Backend, identity: BackendIdentity, catalogue: OpCatalogue, progress: ProgressReporter) -> MeasuredCeilings {
        let settings = PerformanceSettings(timeCapSeconds: 3, mode: .warm, targetRelativeHalfWidth: 0.02)
        func rate(_ op: String, _ params: AttrMap, perSecond: (OpProblem) -> Double) -> Double? {
            guard identity.supports(op: op, dtype: "f32"),
                  let problem = try? catalogue.problem(op: op, params: params, attrs: [:], dtype: .f32),
                  let record = try? SampledPerformanceRunner.sample(backend: backend, identity: identity, problem: problem, settings: settings, seed: 1),
                  record.summary.n > 0, record.summary.median > 0 else { return nil }
            return perSecond(problem) / (record.summary.median / 1e9)
        }
        progress.note("measuring ceilings (copy, triad-like add, f32 GEMM): the target declares none")
        // 6M f32 per operand: the traffic (48 MB for copy) exceeds common last-level caches, while each
        // buffer stays under glibc's 32 MB mmap ceiling, so the native backend's per-call output
        // comes from the heap instead of fresh page-faulting mappings that would measure the kernel, not memory.
        let elements = AttrValue.ints([6 << 20])
        let copy = rate("copy", ["shape": elements]) { $0.minimumBytes }
        let triad = rate("add", ["a": elements, "b": elements]) { $0.minimumBytes }
        let gemm = rate("matmul", ["m": .int(1024), "n": .int(1024), "k": .int(1024)]) { $0.flops }
        return MeasuredCeilings(copyBytesPerSecond: copy, triadBytesPerSecond: triad, gemmFLOPS: gemm.map { ["f32": $0] } ?? [:])
    }
}
