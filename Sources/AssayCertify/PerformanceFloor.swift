import AssayCore

/// A minimum share of a ceiling that matching performance cases must reach for a level.
public struct PerformanceFloor: Sendable, Equatable {
    /// Which performance cases the floor applies to.
    public enum Match: Sendable, Equatable, CustomStringConvertible {
        /// A glob over case ids, e.g. `*/matmul/*/bf16`.
        case caseID(String)
        /// An op, and optionally a dtype.
        case op(String, dtype: String?)

        public func matches(_ result: CaseResult) -> Bool {
            switch self {
            case .caseID(let pattern): Glob.matches(pattern: pattern, text: result.id.description)
            case .op(let op, let dtype): result.op == op && (dtype == nil || result.dtype == dtype)
            }
        }

        public var description: String {
            switch self {
            case .caseID(let pattern): pattern
            case .op(let op, nil): "op \(op)"
            case .op(let op, let dtype?): "op \(op) \(dtype)"
            }
        }
    }

    /// Which figure of the performance record is compared.
    public enum Metric: String, Sendable, CaseIterable, Codable {
        case percentOfPeak = "percent_of_peak"
        case percentOfRoofline = "percent_of_roofline"

        /// The figure in percent (0–100) against the ceilings the descriptor declares; nil when
        /// the run had no such ceiling. A measured ceiling alone never meets a floor (it may
        /// understate the target, and a target need not be fast against itself), and neither
        /// does a declared one that the case exceeded (the datasheet figure is then wrong).
        public func percent(of record: PerformanceRecord) -> Double? {
            guard record.ceilingSource == .declared, !record.exceedsCeiling else { return nil }
            switch self {
            case .percentOfPeak: return record.percentOfPeak
            case .percentOfRoofline: return record.percentOfRoofline
            }
        }

        /// Words for messages: "peak", "roofline".
        public var ceilingName: String {
            switch self {
            case .percentOfPeak: "peak"
            case .percentOfRoofline: "roofline"
            }
        }
    }

    public var match: Match
    public var metric: Metric
    /// A fraction (0.5 = 50%); records hold percentages, so compare with `min * 100`.
    public var min: Double
    /// The id of the level that needs this floor.
    public var level: String

    public init(match: Match, metric: Metric, min: Double, level: String) {
        self.match = match; self.metric = metric; self.min = min; self.level = level
    }
}
