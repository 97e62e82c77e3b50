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

        /// The figure in percent (0–100) that can meet a floor: against the peaks the descriptor
        /// declares (as the run recorded it), else against the profile's reference run. A measured
        /// ceiling alone never meets a floor (it may understate the target, and a target need not
        /// be fast against itself), and neither does a declared peak the case exceeded (the
        /// datasheet figure is then wrong). Above its reference a case counts as 100%: it beats it.
        public func judge(_ result: CaseResult, reference: ReferencePeaks? = nil) -> Judged {
            guard let record = result.performance else { return .none("it was not measured") }
            if record.ceilingSource == .declared {
                guard !record.exceedsCeiling else {
                    return .none("it achieved more than the declared peak, so the declared figure is wrong")
                }
                if let value = pick(record.percentOfPeak, record.percentOfRoofline), value.isFinite {
                    return .figure(value, .declared)
                }
            }
            if let point = reference?.point(for: record, dtype: result.dtype),
                let value = pick(point.percentOfPeak, point.percentOfRoofline), value.isFinite
            {
                return .figure(Swift.min(value, 100), .reference)
            }
            if record.ceilingSource == .measured {
                return .none(
                    "only a measured ceiling, which cannot meet a floor: declare the peaks (with their source) in the descriptor, or name a reference_run in the profile"
                )
            }
            return .none("no \(ceilingName) declared or in a reference run for it")
        }

        private func pick(_ peak: Double?, _ roofline: Double?) -> Double? {
            switch self {
            case .percentOfPeak: peak
            case .percentOfRoofline: roofline
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

    /// What a floor's figure was judged against.
    public enum Basis: String, Sendable, Codable {
        /// The peaks the target's descriptor declares, with their source.
        case declared
        /// The figures of the reference run the profile names.
        case reference
    }

    /// A figure that can meet a floor, or why the case has none.
    public enum Judged: Sendable, Equatable {
        case figure(Double, Basis)
        case none(String)
    }

    public var match: Match
    public var metric: Metric
    /// A fraction (0.5 = 50%); records hold percentages, so compare with `min * 100`.
    public var min: Double
    /// The id of the level that needs this floor.
    public var level: String

    public init(match: Match, metric: Metric, min: Double, level: String) {
        self.match = match
        self.metric = metric
        self.min = min
        self.level = level
    }
}
