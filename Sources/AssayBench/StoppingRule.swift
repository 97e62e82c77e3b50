import AssayCore
import Foundation

/// When to stop sampling a performance case. Consulted after every batch with the history
/// of observations; a pure function of that history.
///
/// In order:
/// 1. **converged** when the 95% CI of the median has relative half-width ≤
///    `targetRelativeHalfWidth` (±1%), with at least `minSamples` samples and
///    `minMeasuredSeconds` of measured time (so a lucky early interval does not end the case);
/// 2. **timeCap** (unconverged) when the case's wall time, warm-up included, reached
///    `timeCapSeconds`; the reason gives the half-width reached and the cap;
/// 3. **plateau** (unconverged, "noise plateau at ±x.x%"), in the spirit of nvbench's
///    noise-convergence stop: once at least `plateauMinSamples` samples (and the minimums
///    above) are in, compare the half-width now with the one at the latest decision at
///    least max(`plateauMinSpanSamples`, `plateauSpanFraction`·n) samples back, itself at
///    least `plateauWindowDecisions` decisions back. It is a plateau when the half-width
///    improved by less than `plateauMinImprovement` (5%) relative over that window AND,
///    projecting the usual 1/√n narrowing, reaching the target would take more than
///    `plateauProjectionMargin` times the samples the remaining time allows.
///
/// Why the window scales with n and why the projection: an order-statistic interval from
/// i.i.d. noise narrows as 1/√n (≈ 29% over a window reaching back to n/2) but its
/// estimate jumps around; without the projection a stream at ±30% noise that would
/// converge well within the cap was stopped early about half the time in simulation.
/// With it, early stops happen only where the target is out of reach anyway
/// (drifting clocks, noise too high for the budget), which is when stopping saves time.
public struct StoppingRule: Codable, Sendable, Equatable {
    public var minSamples: Int
    public var minMeasuredSeconds: Double
    /// 0.01 is ±1% of the median.
    public var targetRelativeHalfWidth: Double
    public var timeCapSeconds: Double
    public var plateauMinSamples: Int
    public var plateauWindowDecisions: Int
    public var plateauMinSpanSamples: Int
    public var plateauSpanFraction: Double
    public var plateauMinImprovement: Double
    public var plateauProjectionMargin: Double

    public init(
        minSamples: Int = 10,
        minMeasuredSeconds: Double = 0.5,
        targetRelativeHalfWidth: Double = 0.01,
        timeCapSeconds: Double = 15,
        plateauMinSamples: Int = 100,
        plateauWindowDecisions: Int = 5,
        plateauMinSpanSamples: Int = 30,
        plateauSpanFraction: Double = 0.5,
        plateauMinImprovement: Double = 0.05,
        plateauProjectionMargin: Double = 2
    ) {
        self.minSamples = minSamples
        self.minMeasuredSeconds = minMeasuredSeconds
        self.targetRelativeHalfWidth = targetRelativeHalfWidth
        self.timeCapSeconds = timeCapSeconds
        self.plateauMinSamples = plateauMinSamples
        self.plateauWindowDecisions = plateauWindowDecisions
        self.plateauMinSpanSamples = plateauMinSpanSamples
        self.plateauSpanFraction = plateauSpanFraction
        self.plateauMinImprovement = plateauMinImprovement
        self.plateauProjectionMargin = plateauProjectionMargin
    }

    /// The rule a suite's performance settings ask for, with the default plateau parameters.
    public init(_ settings: PerformanceSettings) {
        self.init(
            minSamples: settings.minSamples,
            minMeasuredSeconds: settings.minMeasuredSeconds,
            targetRelativeHalfWidth: settings.targetRelativeHalfWidth,
            timeCapSeconds: settings.timeCapSeconds
        )
    }

    /// The state of a case after one batch.
    public struct Observation: Sendable, Equatable {
        /// Samples kept so far.
        public var n: Int
        /// Sum of the kept samples' elapsed times.
        public var measuredSeconds: Double
        /// Wall time since the case began, warm-up included.
        public var elapsedSeconds: Double
        /// Relative half-width of the median's 95% CI.
        public var relativeHalfWidth: Double

        public init(n: Int, measuredSeconds: Double, elapsedSeconds: Double, relativeHalfWidth: Double) {
            self.n = n
            self.measuredSeconds = measuredSeconds
            self.elapsedSeconds = elapsedSeconds
            self.relativeHalfWidth = relativeHalfWidth
        }
    }

    /// The decision after the last observation of `history` (oldest first).
    public func decide(_ history: [Observation]) -> StoppingDecision {
        guard let now = history.last else { return .continue }
        let enough = now.n >= minSamples && now.measuredSeconds >= minMeasuredSeconds
        if enough, now.relativeHalfWidth <= targetRelativeHalfWidth { return .converged }
        if now.elapsedSeconds >= timeCapSeconds {
            return .timeCap(reason: timeCapReason(relativeHalfWidth: now.relativeHalfWidth))
        }
        if enough, now.n >= plateauMinSamples, isPlateau(history) {
            return .plateau(
                reason:
                    "noise plateau at \(percent(now.relativeHalfWidth)) (target \(percent(targetRelativeHalfWidth)))"
            )
        }
        return .continue
    }

    /// The stop reason when the time cap ends a case; nil half-width when no sample was kept.
    public func timeCapReason(relativeHalfWidth: Double?) -> String {
        let cap = "time cap \(String(format: "%g", timeCapSeconds)) s"
        guard let relativeHalfWidth else { return "\(cap) reached before any sample was kept" }
        return "\(cap) reached at \(percent(relativeHalfWidth)) (target \(percent(targetRelativeHalfWidth)))"
    }

    /// The stop reason of a converged case.
    public func convergedReason(relativeHalfWidth: Double) -> String {
        "converged at \(percent(relativeHalfWidth)) (target \(percent(targetRelativeHalfWidth)))"
    }

    private func isPlateau(_ history: [Observation]) -> Bool {
        guard let now = history.last else { return false }
        let span = Swift.max(Double(plateauMinSpanSamples), plateauSpanFraction * Double(now.n))
        guard let start = history.lastIndex(where: { Double(now.n - $0.n) >= span }),
            history.count - 1 - start >= plateauWindowDecisions
        else { return false }
        let then = history[start]
        guard then.relativeHalfWidth.isFinite, then.relativeHalfWidth > 0, now.relativeHalfWidth.isFinite else {
            return false
        }
        let improvement = (then.relativeHalfWidth - now.relativeHalfWidth) / then.relativeHalfWidth
        guard improvement < plateauMinImprovement else { return false }
        // Samples still needed if the half-width shrank as 1/√n, against those the time left allows.
        let shrink = now.relativeHalfWidth / targetRelativeHalfWidth
        let needed = Double(now.n) * (shrink * shrink - 1)
        let secondsPerSample = (now.elapsedSeconds - then.elapsedSeconds) / Double(now.n - then.n)
        guard secondsPerSample > 0 else { return false }
        let affordable = Swift.max(timeCapSeconds - now.elapsedSeconds, 0) / secondsPerSample
        return needed > plateauProjectionMargin * affordable
    }

    /// "±3.4%"; two decimals below 0.1% so a quiet case does not read "±0.0%".
    private func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "±∞" }
        return "±" + String(format: fraction < 0.001 ? "%.2f" : "%.1f", fraction * 100) + "%"
    }
}
