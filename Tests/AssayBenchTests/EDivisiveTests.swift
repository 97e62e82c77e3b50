import AssayCore
import AssayTestSupport
import Testing

@testable import AssayBench

/// E-Divisive means on synthetic histories of run medians (no timing).
struct EDivisiveTests {
    /// `count` run medians at 1000 ns with 2% normal noise, times `shifts[i]` from index i on.
    func history(count: Int, shifts: [Int: Double], seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var level = 1000.0
        return (0..<count).map { index in
            if let factor = shifts[index] { level *= factor }
            return level * (1 + 0.02 * RandomEffectsModel.normal(&generator))
        }
    }

    @Test func findsAPlantedShiftWhereAndHowMuch() {
        for seed in UInt64(1)...10 {
            let points = EDivisive().changePoints(history(count: 40, shifts: [25: 1.10], seed: seed))
            #expect(points.count == 1, "seed \(seed): \(points)")
            guard let point = points.first else { continue }
            #expect(abs(point.index - 25) <= 1, "seed \(seed): \(point)")
            #expect(abs(point.ratio - 1.10) < 0.03 && point.pValue <= 0.05, "seed \(seed): \(point)")
        }
    }

    @Test func findsTwoPlantedShifts() {
        let points = EDivisive().changePoints(history(count: 60, shifts: [20: 1.08, 40: 0.90], seed: 3))
        #expect(points.map(\.index).count == 2, "\(points)")
        #expect(points.contains { abs($0.index - 20) <= 1 } && points.contains { abs($0.index - 40) <= 1 }, "\(points)")
    }

    /// Without a shift, the detector reports a change in about α of the series, not more.
    @Test func steadyHistoriesHaveNoChangePointsAtTheStatedSignificance() {
        var falseAlarms = 0
        for seed in UInt64(100)..<140
        where !EDivisive().changePoints(history(count: 40, shifts: [:], seed: seed)).isEmpty { falseAlarms += 1 }
        // α = 0.05 over 40 series: ~2 expected; 6 or more has probability < 1.5%.
        #expect(falseAlarms <= 5, "\(falseAlarms) of 40 steady series")
    }

    /// A deliberately wrong detector — the best split kept without the permutation test —
    /// "finds" a change in every steady series: the test above tells them apart.
    @Test func withoutThePermutationTestEverySteadySeriesShifts() {
        let detector = EDivisive()
        let steady = (UInt64(100)..<110).map { history(count: 40, shifts: [:], seed: $0) }
        #expect(steady.allSatisfy { detector.bestSplit($0, boundaries: [0, $0.count]) != nil })
    }

    @Test func deterministicForASeed() {
        let series = history(count: 30, shifts: [15: 1.05], seed: 9)
        #expect(EDivisive().changePoints(series) == EDivisive().changePoints(series))
        #expect(EDivisive().changePoints([1, 2, 3]).isEmpty)
    }
}
