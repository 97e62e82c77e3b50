import AssayCore
import Testing

@testable import AssayBench

/// Reference values from numpy 2.4 / scipy 1.17 (script /tmp/ref_stats.py at the time of writing):
///
///     x = np.array([...the 20 values below...])
///     np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95, 0.99])     # type 7
///     x.mean(); x.std(ddof=1); x.std(ddof=1) / x.mean()
///     q1, q3 = np.quantile(x, [.25, .75]); iqr = q3 - q1
///     d = np.where(x < q1, q1 - x, np.where(x > q3, x - q3, 0))
///     (d > 3*iqr).sum(); ((d > 1.5*iqr) & (d <= 3*iqr)).sum()
///     stats.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.95)   # exact order statistics
@Suite struct StatisticsTests {
    static let data: [Double] = [
        1012.5, 998.1, 1003.7, 1000.2, 995.4, 1021.9, 1001.1, 999.8, 1004.6, 997.3,
        1250.0, 1000.9, 1002.2, 996.8, 1008.4, 1500.0, 999.1, 1003.0, 994.2, 1001.7,
    ]

    @Test func quantilesFollowNumpyLinearInterpolation() {
        let s = Statistics.summarize(Self.data)
        #expect(s.n == 20)
        #expect(isClose(s.p5, 995.34))
        #expect(isClose(s.p25, 998.85))
        #expect(isClose(s.median, 1001.4000000000001))
        #expect(isClose(s.p75, 1005.55))
        #expect(isClose(s.p95, 1262.5000000000002))
        #expect(isClose(s.p99, 1452.4999999999998))
        #expect(s.min == 994.2)
        #expect(s.max == 1500.0)
    }

    @Test func momentsAndSpread() {
        let s = Statistics.summarize(Self.data)
        #expect(isClose(s.mean, 1039.545))
        #expect(isClose(s.stddev, 121.84129226169593))
        #expect(isClose(s.cv, 0.11720636649851225))
        #expect(isClose(s.iqr, 6.699999999999932, relative: 1e-9))
    }

    @Test func tukeyFencesCountWithoutDropping() {
        let s = Statistics.summarize(Self.data)
        // 1021.9 lies between the fences; 1250 and 1500 beyond 3·IQR.
        #expect(s.mildOutliers == 1)
        #expect(s.severeOutliers == 2)
        #expect(s.n == Self.data.count)
    }

    @Test func medianCIMatchesScipyQuantileTest() {
        let s = Statistics.summarize(Self.data)
        #expect(s.medianCILow == 999.1)
        #expect(s.medianCIHigh == 1004.6)
        #expect(s.medianCIMethod == .binomialExact)
        #expect(isClose(s.medianCIRelativeHalfWidth, (1004.6 - 999.1) / 2 / 1001.4000000000001))
    }

    /// j = max{j : 1 − 2·binom.cdf(j − 1, n, ½) ≥ 0.95} from scipy.stats.binom.
    @Test(arguments: [(6, 1), (10, 2), (20, 6), (21, 6), (50, 18), (100, 40), (200, 86)])
    func exactRanks(n: Int, rank: Int) {
        let result = Statistics.medianCILowerRank(n: n)
        #expect(result.rank == rank)
        #expect(result.method == .binomialExact)
    }

    /// Beyond 200 the normal approximation; the ranks agree with the exact ones that
    /// scipy's quantile_test gives on x = 1…n (low = rank j, high = rank n + 1 − j).
    @Test(arguments: [(201, 87), (500, 228), (1000, 469), (2001, 957)])
    func normalApproximationRanks(n: Int, rank: Int) {
        let interval = Statistics.medianInterval(sorted: (1...n).map(Double.init))
        #expect(interval.method == .binomialNormal)
        #expect(interval.low == Double(rank))
        #expect(interval.high == Double(n + 1 - rank))
    }

    @Test func emptySampleIsNaNWithoutCrashing() {
        let s = Statistics.summarize([])
        #expect(s.n == 0)
        #expect(s.median.isNaN && s.medianCILow.isNaN && s.medianCIHigh.isNaN && s.mean.isNaN)
        #expect(s.mildOutliers == 0 && s.severeOutliers == 0)
        #expect(s.medianCIMethod == SummaryStatistics.MedianCIMethod.none)
    }

    @Test func singleSampleIsAPoint() {
        let s = Statistics.summarize([42])
        #expect(s.median == 42 && s.p5 == 42 && s.p99 == 42 && s.min == 42 && s.max == 42)
        #expect(s.medianCILow == 42 && s.medianCIHigh == 42)
        #expect(s.stddev == 0 && s.cv == 0 && s.iqr == 0 && s.medianCIRelativeHalfWidth == 0)
        #expect(s.medianCIMethod == .minMax)
    }

    /// numpy: np.quantile([1, 2], [.05, .25, .5, .75, .95, .99]) = [1.05 1.25 1.5 1.75 1.95 1.99]; std(ddof=1) = 0.7071067811865476.
    @Test func twoSamplesUseMinMaxInterval() {
        let s = Statistics.summarize([2, 1])
        #expect(isClose(s.p5, 1.05) && isClose(s.p25, 1.25) && s.median == 1.5)
        #expect(isClose(s.p75, 1.75) && isClose(s.p95, 1.95) && isClose(s.p99, 1.99))
        #expect(isClose(s.stddev, 0.7071067811865476))
        #expect(s.medianCILow == 1 && s.medianCIHigh == 2)
        #expect(s.medianCIMethod == .minMax)
        #expect(isClose(s.medianCIRelativeHalfWidth, 0.5 / 1.5))
    }

    @Test func zeroMedianDoesNotProduceNaN() {
        let point = Statistics.summarize([0, 0, 0])
        #expect(point.medianCIRelativeHalfWidth == 0 && point.cv == 0)
        let spread = Statistics.summarize([-1, 0, 1])
        #expect(spread.medianCIRelativeHalfWidth == .infinity)
    }
}
