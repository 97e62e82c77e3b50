import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import Foundation

/// Measures a target's own ceilings when it declares none, by the STREAM rules: a copy and a
/// three-stream `add` (triad-like) whose arrays are each at least 4× the last-level cache, and a
/// large f32 GEMM, each the best of `trials` trials, on the same backend (so with the same
/// threading) as the cases; every trial's rate is recorded.
///
/// Each trial is an ordinary request under the target's `request_s`. The first trial that fails
/// (timeout, crash, protocol violation) ends the measurement: it becomes a run-level event in the
/// record, so a broken plugin delays the first case by at most one deadline and its failure is
/// seen, not swallowed. An op the backend does not support is skipped quietly.
enum CeilingProbe {
    static let trials = 3
    /// Assumed when the cache size cannot be read (a common server last-level cache).
    static let assumedCacheBytes = 32 << 20

    static func measure(
        backend: Backend,
        identity: BackendIdentity,
        catalogue: OpCatalogue,
        progress: ProgressReporter,
        events: inout [RunEvent]
    ) -> MeasuredCeilings {
        let settings = PerformanceSettings(timeCapSeconds: 1, mode: .warm, targetRelativeHalfWidth: 0.02)
        var trialRates: [String: [Double]] = [:]
        var failed = false
        func stop(at op: String, _ error: Error) {
            failed = true
            var message =
                "ceiling measurement stopped at the \(op) f32 probe: \(error); the remaining probes are skipped and cases run without measured ceilings"
            // Say what it cost: a killed plugin is started again for the cases, which counts as a restart.
            switch error as? BackendError {
            case .timedOut?, .crashed?, .protocolViolation?:
                message += " (the plugin was stopped; starting it again for the cases uses one of its restarts)"
            default: break
            }
            events.append(RunEvent(stage: .ceilings, message: message))
            progress.note(message)
        }
        func best(_ name: String, _ op: String, _ params: AttrMap, perSecond: (OpProblem) -> Double) -> Double? {
            guard !failed, identity.supports(op: op, dtype: .f32),
                let problem = try? catalogue.problem(op: op, params: params, attrs: [:], dtype: .f32)
            else { return nil }
            var rates: [Double] = []
            for trial in 0..<trials where !failed {
                do {
                    let record = try SampledPerformanceRunner.sample(
                        backend: backend,
                        identity: identity,
                        problem: problem,
                        settings: settings,
                        seed: UInt64(trial + 1)
                    )
                    if record.summary.n > 0, record.summary.median > 0 {
                        rates.append(perSecond(problem) / (record.summary.median / 1e9))
                    }
                } catch BackendError.unsupported {
                    break
                } catch {
                    stop(at: op, error)
                }
            }
            trialRates[name] = rates
            return rates.max()
        }
        progress.note(
            "measuring ceilings (copy, triad-like add, f32 GEMM; best of \(trials)): the target declares none"
        )
        let cache = lastLevelCacheBytes()
        // f32 arrays of at least 4× the cache each: elements × 4 bytes ≥ 4 × cache.
        let elements = max(6 << 20, cache ?? assumedCacheBytes)
        let shape = AttrValue.ints([elements])
        let copy = best("copy", "copy", ["shape": shape]) { $0.minimumBytes }
        let triad = best("triad", "add", ["a": shape, "b": shape]) { $0.minimumBytes }
        let gemm = best("gemm.f32", "matmul", ["m": .int(1024), "n": .int(1024), "k": .int(1024)]) { $0.flops }
        var ceilings = MeasuredCeilings(
            copyBytesPerSecond: copy,
            triadBytesPerSecond: triad,
            gemmFLOPS: gemm.map { ["f32": $0] } ?? [:]
        )
        ceilings.trials = trialRates
        ceilings.arrayBytes = Double(elements * 4)
        ceilings.lastLevelCacheBytes = cache.map(Double.init)
        return ceilings
    }

    /// The largest CPU cache Linux reports (`/sys/devices/system/cpu/cpu0/cache/index*/size`,
    /// e.g. `32768K`); nil where it cannot be read.
    static func lastLevelCacheBytes(root: String = "/sys/devices/system/cpu/cpu0/cache") -> Int? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
        let sizes = entries.filter { $0.hasPrefix("index") }.compactMap { entry -> Int? in
            guard let text = try? String(contentsOfFile: "\(root)/\(entry)/size", encoding: .utf8) else { return nil }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let scale = trimmed.hasSuffix("K") ? 1 << 10 : trimmed.hasSuffix("M") ? 1 << 20 : 1
            return Int(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "KM"))).map { $0 * scale }
        }
        return sizes.max()
    }
}
