import AssayBench
import AssayCore
import Foundation

/// `assay gate --history DIR`: E-Divisive means over each performance case's series of run
/// medians, oldest run first; reports where a series shifted and by how much.
public enum HistoryAnalysis {
    public static func analyze(_ runs: [RunRecord], detector: EDivisive = EDivisive()) -> [CaseHistory] {
        let ordered = runs.sorted { $0.startedAt < $1.startedAt }
        var order: [CaseID] = []
        var series: [CaseID: (runs: [String], medians: [Double])] = [:]
        for run in ordered {
            for result in run.cases {
                guard let performance = result.performance, let median = runMedian(performance) else { continue }
                if series[result.id] == nil { order.append(result.id) }
                series[result.id, default: ([], [])].runs.append(run.runID)
                series[result.id, default: ([], [])].medians.append(median)
            }
        }
        return order.map { id in
            let (runIDs, medians) = series[id]!
            return CaseHistory(id: id, runs: runIDs, medians: medians, changePoints: detector.changePoints(medians))
        }
    }

    /// exp(mean of the log round medians); nil without a positive finite median.
    static func runMedian(_ performance: PerformanceRecord) -> Double? {
        let logs = performance.roundSamples.map { Statistics.quantile(sorted: $0.sorted(), 0.5) }
        guard !logs.isEmpty, logs.allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        return exp(logs.map(log).reduce(0, +) / Double(logs.count))
    }

    public static func markdown(_ histories: [CaseHistory], runs: Int, detector: EDivisive) -> String {
        let shifted = histories.filter { !$0.changePoints.isEmpty }
        var lines = [
            "## Assay gate history: \(shifted.count) of \(histories.count) performance cases shifted", "",
            "\(runs) run(s); E-Divisive means (Matteson & James 2014), α = 1, significance \(detector.significance), "
                + "\(detector.permutations) permutations, minimum segment \(detector.minimumSize) runs.", "",
        ]
        guard !shifted.isEmpty else { return (lines + ["No change points.", ""]).joined(separator: "\n") }
        lines += [
            "| case | runs | shift at run | median before | median after | ratio | p |",
            "|---|---|---|---|---|---|---|",
        ]
        for history in shifted {
            for point in history.changePoints {
                lines.append(
                    "| `\(history.id)` | \(history.medians.count) | #\(point.index + 1) `\(history.runs[point.index])` | "
                        + "\(GateMarkdown.nanoseconds(point.medianBefore)) | \(GateMarkdown.nanoseconds(point.medianAfter)) | "
                        + "\(GateMarkdown.ratioText(point.ratio)) | \(GateMarkdown.figure(point.pValue)) |"
                )
            }
        }
        return (lines + [""]).joined(separator: "\n")
    }
}
