import AssayBackend
import AssayCore
import AssayOps

/// Measures a target's own ceilings when it declares none: a STREAM-like copy and a
/// three-stream `add` (triad-like) for bandwidth, and a large f32 GEMM for compute.
///
/// Each probe is an ordinary request under the target's `request_s`. The first probe that fails
/// (timeout, crash, protocol violation) ends the measurement: it becomes a run-level event in the
/// record, so a broken plugin delays the first case by at most one deadline and its failure is
/// seen, not swallowed. An op the backend does not support is skipped quietly.
enum CeilingProbe {
    static func measure(backend: Backend, identity: BackendIdentity, catalogue: OpCatalogue, progress: ProgressReporter,
                        events: inout [RunEvent]) -> MeasuredCeilings {
        let settings = PerformanceSettings(timeCapSeconds: 3, mode: .warm, targetRelativeHalfWidth: 0.02)
        var failed = false
        func rate(_ op: String, _ params: AttrMap, perSecond: (OpProblem) -> Double) -> Double? {
            guard !failed, identity.supports(op: op, dtype: "f32"),
                  let problem = try? catalogue.problem(op: op, params: params, attrs: [:], dtype: .f32) else { return nil }
            do {
                let record = try SampledPerformanceRunner.sample(backend: backend, identity: identity, problem: problem, settings: settings, seed: 1)
                guard record.summary.n > 0, record.summary.median > 0 else { return nil }
                return perSecond(problem) / (record.summary.median / 1e9)
            } catch BackendError.unsupported {
                return nil
            } catch {
                failed = true
                var message = "ceiling measurement stopped at the \(op) f32 probe: \(error); the remaining probes are skipped and cases run without measured ceilings"
                // Say what it cost: a killed plugin is started again for the cases, which counts as a restart.
                switch error as? BackendError {
                case .timedOut?, .crashed?, .protocolViolation?: message += " (the plugin was stopped; starting it again for the cases uses one of its restarts)"
                default: break
                }
                events.append(RunEvent(stage: .ceilings, message: message))
                progress.note(message)
                return nil
            }
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
