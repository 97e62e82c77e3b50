import AssayCore
import Foundation

/// The copy of a run record the registry keeps for the gate: every field as recorded, but
/// each performance case's raw samples replaced by one value per round, the round's median
/// (rounds then count one sample each). The gate's statistics use only round medians
/// (docs/FORMATS.md, "Gate"), so a registry baseline judges exactly as the original run would.
enum RunReduction {
    static func reduced(_ record: RunRecord) -> RunRecord {
        var record = record
        record.cases = record.cases.map { result in
            guard var performance = result.performance, !performance.samples.isEmpty else { return result }
            let groups = performance.roundSamples
            performance.samples = groups.map(Self.median)
            if let rounds = performance.rounds, rounds.count == groups.count, rounds.count > 1 {
                performance.rounds = rounds.map {
                    var round = $0
                    round.samples = 1
                    return round
                }
            } else {
                performance.rounds = nil
            }
            var result = result
            result.performance = performance
            return result
        }
        return record
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
