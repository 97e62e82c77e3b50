import AssayCore
import AssayTestSupport
import Foundation

@testable import AssayGate

/// The synthetic study of the gate's error rates (no timing): gates of seven cases, each side
/// simulated from a `RandomEffectsModel`, judged by the real `PerformanceJudge`, and the
/// verdicts counted over every case comparison. The gate calibration measures the same rates
/// on real runs (Benchmarks/gate-calibration); here the truth is known.
struct GateRateStudy {
    /// Per-case noise scales, like perf-smoke's seven cases (copy quiet, matmul noisy).
    static let scales = [1.0, 1.3, 0.5, 0.8, 1.0, 0.6, 1.2]
    static let ids = (0..<scales.count).map { try! CaseID(parsing: "perf/case\($0)/n1/f32") }

    var model: RandomEffectsModel
    var baselineRuns: Int
    var rounds: Int
    /// Current runs per gate (fresh processes of the same build).
    var currentRuns = 1
    var samples = 5

    struct Counts: CustomStringConvertible {
        var regressed = 0
        var improved = 0
        var same = 0
        var inconclusive = 0
        var total: Int { regressed + improved + same + inconclusive }
        func rate(_ count: Int) -> Double { Double(count) / Double(Swift.max(1, total)) }
        var falseAlarms: Int { regressed + improved }
        var description: String {
            "regressed \(regressed), improved \(improved), same \(same), inconclusive \(inconclusive) of \(total)"
        }
    }

    /// One point of a curve: the A/A counts over `aaGates` gates and the detections over `gates`
    /// gates each (1.05 and 1.10 slowdowns `regressed`, 0.90 speed-ups `improved`).
    struct Point {
        var aa: Counts
        var slow5: Counts
        var slow10: Counts
        var fast10: Counts
        static func percent(_ rate: Double) -> String { String(format: "%.1f%%", 100 * rate) }
        var rates: String {
            "A/A false alarms \(aa.falseAlarms)/\(aa.total) = \(Self.percent(aa.rate(aa.falseAlarms))); "
                + "1.05 caught \(Self.percent(slow5.rate(slow5.regressed))), "
                + "1.10 caught \(Self.percent(slow10.rate(slow10.regressed))), "
                + "0.90 improved \(Self.percent(fast10.rate(fast10.improved)))"
        }
    }

    func point(aaGates: Int, gates: Int, seed: UInt64) -> Point {
        Point(
            aa: counts(ratio: 1, gates: aaGates, seed: seed),
            slow5: counts(ratio: 1.05, gates: gates, seed: seed &+ 100),
            slow10: counts(ratio: 1.10, gates: gates, seed: seed &+ 200),
            fast10: counts(ratio: 0.90, gates: gates, seed: seed &+ 300)
        )
    }

    /// `gates` gates whose current side is `ratio` times the baseline in every case.
    func counts(ratio: Double, gates: Int, seed: UInt64, options: GateOptions = GateOptions()) -> Counts {
        var generator = SplitMix64(seed: seed)
        var counts = Counts()
        let levels = Self.scales.indices.map { 1000 * Double($0 + 1) }
        for _ in 0..<gates {
            let baseline = model.runs(
                levels: levels,
                scales: Self.scales,
                runs: baselineRuns,
                rounds: rounds,
                samples: samples,
                &generator
            )
            let current = model.runs(
                levels: levels.map { $0 * ratio },
                scales: Self.scales,
                runs: currentRuns,
                rounds: rounds,
                samples: samples,
                &generator
            )
            let pairs = Self.ids.indices.map { c in
                PerformanceJudge.Pair(id: Self.ids[c], baseline: baseline.map { $0[c] }, current: current.map { $0[c] })
            }
            for comparison in PerformanceJudge.judge(pairs, options: options) {
                switch comparison.verdict {
                case .regressed: counts.regressed += 1
                case .improved: counts.improved += 1
                case .same: counts.same += 1
                case .inconclusive: counts.inconclusive += 1
                }
            }
        }
        return counts
    }
}
