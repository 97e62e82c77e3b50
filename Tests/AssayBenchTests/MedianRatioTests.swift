import AssayCore
import Testing

@testable import AssayBench

@Suite struct MedianRatioTests {
    /// Synthetic timings: baseline around 1000 ns, current 10% slower, both ±5% uniform noise.
    static func samples(seed: UInt64, scale: Double, count: Int) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in 1000 * scale * (1 + 0.05 * generator.nextSigned()) }
    }

    @Test func coversTheTrueRatio() throws {
        let baseline = Self.samples(seed: 1, scale: 1, count: 200)
        let current = Self.samples(seed: 2, scale: 1.1, count: 200)
        let interval = try #require(MedianRatio.confidenceInterval(baseline: baseline, current: current, seed: 7))
        #expect(interval.low <= 1.1 && 1.1 <= interval.high)
        #expect(interval.low <= interval.ratio && interval.ratio <= interval.high)
        #expect(interval.low > 1.05 && interval.high < 1.15)
        #expect(interval.confidence == 0.95 && interval.resamples == 2000)
    }

    @Test func identicalDistributionsCoverOne() throws {
        let interval = try #require(
            MedianRatio.confidenceInterval(
                baseline: Self.samples(seed: 3, scale: 1, count: 150),
                current: Self.samples(seed: 4, scale: 1, count: 90)
            )
        )
        #expect(interval.low <= 1 && 1 <= interval.high)
    }

    @Test func deterministicForASeed() throws {
        let baseline = Self.samples(seed: 5, scale: 1, count: 60)
        let current = Self.samples(seed: 6, scale: 1.02, count: 61)
        let first = try #require(
            MedianRatio.confidenceInterval(baseline: baseline, current: current, resamples: 500, seed: 99)
        )
        let again = try #require(
            MedianRatio.confidenceInterval(baseline: baseline, current: current, resamples: 500, seed: 99)
        )
        let other = try #require(
            MedianRatio.confidenceInterval(baseline: baseline, current: current, resamples: 500, seed: 100)
        )
        #expect(first == again)
        #expect(first.ratio == other.ratio)
        #expect(first.low != other.low || first.high != other.high)
    }

    /// The O(n) histogram median of a resample equals sorting that resample.
    @Test func resampledMedianMatchesSorting() {
        for n in [1, 2, 7, 10] {
            let sorted = (0..<n).map { Double($0 * $0) }
            var generator = SplitMix64(seed: UInt64(n))
            var replay = SplitMix64(seed: UInt64(n))
            var counts = [Int](repeating: 0, count: n)
            for _ in 0..<20 {
                let fast = MedianRatio.resampledMedian(sorted, counts: &counts, generator: &generator)
                let drawn = (0..<n).map { _ in sorted[replay.nextInt(in: 0...(n - 1))] }.sorted()
                #expect(fast == Statistics.quantile(sorted: drawn, 0.5))
            }
        }
    }

    @Test func refusesWhatItCannotEstimate() {
        #expect(MedianRatio.confidenceInterval(baseline: [], current: [1]) == nil)
        #expect(MedianRatio.confidenceInterval(baseline: [0, 0, 0], current: [1]) == nil)
        #expect(MedianRatio.confidenceInterval(baseline: [1], current: [1], confidence: 1) == nil)
        #expect(MedianRatio.confidenceInterval(baseline: [1], current: [.nan]) == nil)
    }
}
