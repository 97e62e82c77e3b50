import AssayCore
import AssayTestSupport
import Testing

@testable import AssayBench

/// The sampler's bimodality flag on synthetic samples (no timing).
struct BimodalityTests {
    func normal(_ count: Int, median: Double, cv: Double, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in median * (1 + cv * RandomEffectsModel.normal(&generator)) }
    }

    @Test func flagsTheFastSlowKernel() throws {
        // The native small GEMM: 24 µs or 1.15 ms per call.
        let samples =
            (normal(120, median: 24_000, cv: 0.03, seed: 1) + normal(80, median: 1_150_000, cv: 0.05, seed: 2)).sorted()
        let found = try #require(Bimodality.assess(sorted: samples))
        #expect(abs(found.fastMode - 24_000) < 1_000 && abs(found.slowMode - 1_150_000) < 50_000)
        #expect(abs(found.slowFraction - 0.4) < 0.01)
        // Two modes only 10% apart with 1% noise are separated too.
        #expect(
            Bimodality.assess(
                sorted: (normal(100, median: 100, cv: 0.01, seed: 3) + normal(100, median: 110, cv: 0.01, seed: 4))
                    .sorted()
            ) != nil
        )
    }

    @Test func unimodalSamplesAreNotFlagged() {
        for seed in UInt64(10)..<30 {
            #expect(
                Bimodality.assess(sorted: normal(200, median: 1000, cv: 0.05, seed: seed).sorted()) == nil,
                "seed \(seed)"
            )
        }
        let uniform = (0..<200).map { 1000 + Double($0) }
        #expect(Bimodality.assess(sorted: uniform) == nil)
        // A few outliers (preemptions) are not a second mode.
        #expect(
            Bimodality.assess(
                sorted: (normal(196, median: 1000, cv: 0.02, seed: 5) + [5000, 6000, 5500, 7000]).sorted()
            ) == nil
        )
    }

    @Test func samplerDoesNotReportABimodalCaseAsConverged() throws {
        // Every third sample on the slow path; the median converges at once, on the fast one.
        let flipping = SyntheticBackend(clock: FakeClock()) { sample, generator in
            (sample % 3 == 0 ? 1_150_000 : 24_000) * (1 + 0.01 * generator.nextSigned())
        }
        let rule = StoppingRule(
            minSamples: 30,
            minMeasuredSeconds: 0.001,
            targetRelativeHalfWidth: 0.05,
            timeCapSeconds: 100
        )
        let record = try flipping.sampler(Sampler.Configuration(mode: .warm, timerKind: .host, stoppingRule: rule))
            .run()
        #expect(!record.converged, "\(record.stopReason)")
        #expect(record.stopReason.hasPrefix("bimodal"), "\(record.stopReason)")
        // The same sampler on a steady backend converges.
        let steady = SyntheticBackend(clock: FakeClock(), nanoseconds: 24_000, noise: 0.01)
        let steadyRecord = try steady.sampler(Sampler.Configuration(mode: .warm, timerKind: .host, stoppingRule: rule))
            .run()
        #expect(steadyRecord.converged, "\(steadyRecord.stopReason)")
    }
}
