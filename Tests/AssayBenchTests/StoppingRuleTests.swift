import AssayCore
import Testing

@testable import AssayBench

@Suite struct StoppingRuleTests {
    /// Feeds `value(i)` to the rule in batches of 5, each sample taking `secondsPerSample` of
    /// measured and wall time, until the rule stops; returns the decision and the last observation.
    static func drive(
        _ rule: StoppingRule,
        secondsPerSample: Double,
        seed: UInt64 = 11,
        value: (Int, inout SplitMix64) -> Double
    ) -> (StoppingDecision, StoppingRule.Observation) {
        var generator = SplitMix64(seed: seed)
        var sorted: [Double] = []
        var history: [StoppingRule.Observation] = []
        while true {
            for _ in 0..<5 { sorted.append(value(sorted.count, &generator)) }
            sorted.sort()
            let interval = Statistics.medianInterval(sorted: sorted)
            let seconds = Double(sorted.count) * secondsPerSample
            history.append(
                .init(
                    n: sorted.count,
                    measuredSeconds: seconds,
                    elapsedSeconds: 0.1 + seconds,
                    relativeHalfWidth: Statistics.relativeHalfWidth(
                        interval,
                        median: Statistics.quantile(sorted: sorted, 0.5)
                    )
                )
            )
            let decision = rule.decide(history)
            if decision.stops { return (decision, history.last!) }
        }
    }

    @Test func quietStreamConverges() {
        let (decision, last) = Self.drive(StoppingRule(), secondsPerSample: 0.001) { _, g in
            1000 * (1 + 0.001 * g.nextSigned())
        }
        #expect(decision == .converged)
        #expect(last.n >= 10 && last.measuredSeconds >= 0.5)
        #expect(last.relativeHalfWidth <= 0.01)
    }

    @Test func heavyNoiseIsUnconvergedWithAReason() {
        // ±30% noise needs ~3500 samples for ±1%; at 50 ms a sample the 15 s cap allows 300.
        let (decision, last) = Self.drive(StoppingRule(), secondsPerSample: 0.05) { _, g in
            1000 * (1 + 0.3 * g.nextSigned())
        }
        #expect(!decision.isConverged)
        switch decision {
        case let .timeCap(reason): #expect(reason.hasPrefix("time cap 15 s reached at ±"))
        case let .plateau(reason): #expect(reason.hasPrefix("noise plateau at ±"))
        default: Issue.record("expected an unconverged stop, got \(decision)")
        }
        #expect(last.relativeHalfWidth > 0.01)
    }

    @Test func timeCapWithoutPlateauStatesTheHalfWidthReached() {
        var rule = StoppingRule()
        rule.plateauMinSamples = .max
        let (decision, last) = Self.drive(rule, secondsPerSample: 0.05) { _, g in 1000 * (1 + 0.3 * g.nextSigned()) }
        #expect(decision == .timeCap(reason: rule.timeCapReason(relativeHalfWidth: last.relativeHalfWidth)))
        #expect(last.elapsedSeconds >= 15)
    }

    /// A clock drifting 0.2% per sample keeps the median moving, so the CI stops narrowing.
    @Test func driftingStreamPlateaus() {
        let (decision, last) = Self.drive(StoppingRule(), secondsPerSample: 0.01) { i, g in
            1000 * (1 + 0.002 * Double(i)) * (1 + 0.2 * g.nextSigned())
        }
        guard case let .plateau(reason) = decision else {
            Issue.record("expected a plateau, got \(decision)")
            return
        }
        #expect(reason.hasPrefix("noise plateau at ±"))
        #expect(last.elapsedSeconds < 15)
        #expect(last.n >= StoppingRule().plateauMinSamples)
    }

    /// Moderate noise that reaches ±1% well inside the cap is never cut short by the plateau rule.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func convergeableNoiseIsNotMistakenForAPlateau(seed: UInt64) {
        let (decision, _) = Self.drive(StoppingRule(), secondsPerSample: 0.002, seed: seed) { _, g in
            1000 * (1 + 0.3 * g.nextSigned())
        }
        #expect(decision == .converged)
    }

    @Test func convergenceNeedsMinimumSamplesAndTime() {
        let rule = StoppingRule()
        func decide(n: Int, measured: Double) -> StoppingDecision {
            rule.decide([.init(n: n, measuredSeconds: measured, elapsedSeconds: measured, relativeHalfWidth: 0.001)])
        }
        #expect(decide(n: 9, measured: 1) == .continue)
        #expect(decide(n: 50, measured: 0.4) == .continue)
        #expect(decide(n: 10, measured: 0.5) == .converged)
        #expect(rule.decide([]) == .continue)
    }

    @Test func flatHalfWidthPlateausOnlyWhenTheTargetIsOutOfReach() {
        let rule = StoppingRule()
        // ±5% flat from n = 10 to 200, 10 ms per sample: ±1% would need ~4800 more samples, 1300 fit.
        let slow = stride(from: 10, through: 200, by: 5).map {
            StoppingRule.Observation(
                n: $0,
                measuredSeconds: Double($0) * 0.01,
                elapsedSeconds: 0.1 + Double($0) * 0.01,
                relativeHalfWidth: 0.05
            )
        }
        #expect(rule.decide(slow) == .plateau(reason: "noise plateau at ±5.0% (target ±1.0%)"))
        // The same flat stretch at 10 µs a sample: plenty of time left, so keep sampling.
        let fast = slow.map {
            StoppingRule.Observation(
                n: $0.n,
                measuredSeconds: 0.6,
                elapsedSeconds: 0.6 + Double($0.n) * 1e-5,
                relativeHalfWidth: 0.05
            )
        }
        #expect(rule.decide(fast) == .continue)
        // Still improving by more than 5% over the window: no plateau.
        let improving = slow.map {
            StoppingRule.Observation(
                n: $0.n,
                measuredSeconds: $0.measuredSeconds,
                elapsedSeconds: $0.elapsedSeconds,
                relativeHalfWidth: 0.5 / Double($0.n).squareRoot()
            )
        }
        #expect(rule.decide(improving) == .continue)
    }

    @Test func reasonsAreReadable() {
        let rule = StoppingRule()
        #expect(rule.timeCapReason(relativeHalfWidth: 0.0163) == "time cap 15 s reached at ±1.6% (target ±1.0%)")
        #expect(rule.timeCapReason(relativeHalfWidth: nil) == "time cap 15 s reached before any sample was kept")
        #expect(rule.convergedReason(relativeHalfWidth: 0.008) == "converged at ±0.8% (target ±1.0%)")
        #expect(rule.convergedReason(relativeHalfWidth: 0.00034) == "converged at ±0.03% (target ±1.0%)")
    }

    @Test func takesItsSettingsFromASuite() {
        let rule = StoppingRule(
            PerformanceSettings(
                timeCapSeconds: 30,
                targetRelativeHalfWidth: 0.02,
                minSamples: 20,
                minMeasuredSeconds: 1
            )
        )
        #expect(
            rule.timeCapSeconds == 30 && rule.targetRelativeHalfWidth == 0.02 && rule.minSamples == 20
                && rule.minMeasuredSeconds == 1
        )
    }
}
