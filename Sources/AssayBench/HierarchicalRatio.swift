import Foundation

/// The ratio of two sides measured as runs × rounds × samples, with a confidence interval
/// from a random-effects model (Kalibera & Jones, "Rigorous Benchmarking in Reasonable
/// Time", ISMM 2013): most of the variance lives between executions, so the samples of one
/// round are summarized first (log of their median) and the interval comes from the spread
/// of those summaries, not from the samples as if they were independent.
///
/// Model: log y = μ_side + run effect + round effect + sample noise. Each round gives one
/// value, log(median of its samples); each run the mean of its rounds. The unit is the run
/// when either side holds several runs (a baseline with history, or several current runs in
/// fresh processes: run-to-run variance is seen, the two-sample t on both sides' run means),
/// otherwise the round. With n_b and n_c units, the difference of the side means has
/// the pooled two-sample t interval on n_b + n_c − 2 degrees of freedom, exponentiated into a
/// ratio interval. Closed form, so deterministic. With one unit per side there is no
/// between-unit variance and no interval: the data cannot separate a change from noise.
///
/// Round floor (run level): the variance of a run's value is σ_run² + σ_round²/R, so it is at
/// least the pooled within-run variance of the rounds (every run of both sides, many degrees of
/// freedom) over R. The run-level variance, from 3–5 runs, is taken no smaller than that. Why:
/// with 2–4 degrees of freedom the run variance is often small by chance, and real rounds have
/// heavy right tails (a neighbour's burst slows one round of every case): the t test, asked
/// for p < α/7 after Holm, then flagged the current run's slow round as a regression 1.4–4% of
/// the time instead of 0.7% (docs/DECISIONS.md, "Gate: why A/A false alarms exceeded nominal").
/// The current side's variance is also never below its own runs' round spread: pooled over
/// every run, one slow round of the current run is diluted among the baseline's (its false
/// alarms reached 1.0% with 8 baseline runs). The degrees of freedom stay those of the run
/// level, so the floors only make the interval wider.
///
/// Why not a two-level bootstrap: with 3–5 rounds per side a percentile bootstrap
/// under-covers (its variance is (n−1)/n of the truth and it uses normal, not t, tails), which
/// is exactly the regime of CI runs; the t interval is exact for normal unit means.
public enum HierarchicalRatio {
    /// `baseline` and `current` are runs, each a list of rounds, each a list of samples (ns).
    /// nil when a round is empty or has a non-positive or non-finite median.
    public static func estimate(
        baseline: [[[Double]]],
        current: [[[Double]]],
        confidence: Double = 0.95
    ) -> HierarchicalEstimate? {
        guard let baseRuns = runValues(baseline), let currentRuns = runValues(current),
            !baseRuns.isEmpty, !currentRuns.isEmpty
        else { return nil }
        let level: HierarchicalEstimate.Level = baseRuns.count > 1 || currentRuns.count > 1 ? .runs : .rounds
        let baseUnits = level == .runs ? baseRuns.map(\.mean) : baseRuns[0].rounds
        let currentUnits = level == .runs ? currentRuns.map(\.mean) : currentRuns[0].rounds
        let baseMean = mean(baseUnits)
        let currentMean = mean(currentUnits)
        let difference = currentMean - baseMean
        let degrees = baseUnits.count + currentUnits.count - 2
        var estimate = HierarchicalEstimate(
            ratio: exp(difference),
            low: nil,
            high: nil,
            pValue: nil,
            degreesOfFreedom: degrees,
            level: level,
            baselineUnits: baseUnits.count,
            currentUnits: currentUnits.count,
            unitSpread: nil
        )
        guard degrees >= 1 else { return estimate }
        let squares =
            baseUnits.reduce(0) { $0 + ($1 - baseMean) * ($1 - baseMean) }
            + currentUnits.reduce(0) { $0 + ($1 - currentMean) * ($1 - currentMean) }
        var variance = squares / Double(degrees)
        var currentVariance = variance
        if level == .runs, let floor = roundFloor(baseRuns + currentRuns) {
            estimate.roundFloor = floor.squareRoot()
            variance = Swift.max(variance, floor)
            // The current run's own rounds, not diluted among the baseline's: its slow round widens its side.
            currentVariance = Swift.max(variance, roundFloor(currentRuns) ?? 0)
            if currentVariance > variance { estimate.currentRoundFloor = currentVariance.squareRoot() }
        }
        let spread = variance.squareRoot()
        let standardError = (variance / Double(baseUnits.count) + currentVariance / Double(currentUnits.count))
            .squareRoot()
        let quantile = StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: Double(degrees))
        estimate.unitSpread = spread
        estimate.low = exp(difference - quantile * standardError)
        estimate.high = exp(difference + quantile * standardError)
        estimate.pValue =
            standardError > 0
            ? StudentT.twoSidedP(difference / standardError, degreesOfFreedom: Double(degrees))
            : (difference == 0 ? 1 : 0)
        return estimate
    }

    /// The pooled within-run variance of the rounds' log-medians over the mean rounds per run:
    /// a lower bound of a run value's variance. nil when no run has two rounds.
    static func roundFloor(_ runs: [(rounds: [Double], mean: Double)]) -> Double? {
        let degrees = runs.reduce(0) { $0 + $1.rounds.count - 1 }
        guard degrees > 0 else { return nil }
        let squares = runs.reduce(0.0) { sum, run in
            sum + run.rounds.reduce(0) { $0 + ($1 - run.mean) * ($1 - run.mean) }
        }
        let meanRounds = Double(runs.reduce(0) { $0 + $1.rounds.count }) / Double(runs.count)
        return squares / Double(degrees) / meanRounds
    }

    /// Per run: its rounds' log-medians and their mean.
    static func runValues(_ runs: [[[Double]]]) -> [(rounds: [Double], mean: Double)]? {
        var values: [(rounds: [Double], mean: Double)] = []
        for run in runs where !run.isEmpty {
            var rounds: [Double] = []
            for round in run {
                guard !round.isEmpty else { return nil }
                let median = Statistics.quantile(sorted: round.sorted(), 0.5)
                guard median.isFinite, median > 0 else { return nil }
                rounds.append(log(median))
            }
            values.append((rounds, mean(rounds)))
        }
        return values
    }

    private static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}
