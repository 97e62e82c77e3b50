import AssayCore

/// Several runs side by side — targets against each other, or builds before and after — keyed
/// by case id: each run's outcome and, for performance cases, its median and its ratio to the
/// first run's median.
public struct RunComparison: Sendable {
    public struct Row: Sendable {
        public var id: CaseID
        /// One entry per run, nil where that run has no result for the case.
        public var results: [CaseResult?]

        /// Median time per call in each run (ns); nil where not measured.
        public var medians: [Double?] { results.map { $0?.performance.map(\.summary.median) } }

        /// Each run's median over the first run's (time: above 1 is slower); nil where either is missing.
        public var ratios: [Double?] {
            let base = medians.first ?? nil
            return medians.map { median in
                guard let base, let median, base > 0, base.isFinite, median.isFinite else { return nil }
                return median / base
            }
        }

        public var isPartial: Bool { results.contains { $0 == nil } }
        public var outcomesDiffer: Bool { Set(results.map { $0?.outcome.rawValue ?? "absent" }).count > 1 }
        public var isPerformance: Bool { results.contains { $0?.kind == .performance } }
    }

    public let runs: [RunRecord]
    public let rows: [Row]

    public init(_ runs: [RunRecord]) {
        self.runs = runs
        var order: [CaseID] = []
        var seen = Set<CaseID>()
        for run in runs {
            for id in run.plannedCases + run.cases.map(\.id) where seen.insert(id).inserted { order.append(id) }
        }
        let indexed = runs.map { run in Dictionary(run.cases.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        }
        rows = order.map { id in Row(id: id, results: indexed.map { $0[id] }) }
    }

    /// `local-cpu 20261124T074058Z` — short enough for a column header.
    public func label(_ index: Int) -> String {
        let run = runs[index]
        return
            "#\(index + 1) \(run.target.value.id) \(run.runID.split(separator: "-").first.map(String.init) ?? run.runID)"
    }

    /// `×1.23` time relative to run 1.
    public static func ratioText(_ ratio: Double?) -> String {
        guard let ratio else { return "—" }
        return "×" + Figures.significant(ratio)
    }

    /// The text of one run's cell: outcome, and median for performance cases.
    public static func cellText(_ result: CaseResult?) -> String {
        guard let result else { return "absent" }
        guard let performance = result.performance, performance.summary.n > 0 else { return result.outcome.rawValue }
        return "\(result.outcome.rawValue), \(Figures.duration(nanoseconds: performance.summary.median))"
    }
}
