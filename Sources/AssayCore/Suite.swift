/// What tests (`Suites/<id>.yaml`): entries of op × dtypes × shapes × attrs. See docs/FORMATS.md.
public struct Suite: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var description: String?
    /// Seed of the input generator for every case in the suite.
    public var seed: UInt64
    public var performance: PerformanceSettings
    /// Bytes a case may need at most (`memory_budget`); nil: the harness default or `--memory-budget`.
    public var memoryBudgetBytes: Int?
    public var entries: [SuiteEntry]

    public init(
        id: String,
        title: String,
        description: String? = nil,
        seed: UInt64 = 20_260_101,
        performance: PerformanceSettings = .init(),
        memoryBudgetBytes: Int? = nil,
        entries: [SuiteEntry]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.seed = seed
        self.performance = performance
        self.memoryBudgetBytes = memoryBudgetBytes
        self.entries = entries
    }
}

/// Sampling settings for the performance cases of a suite.
public struct PerformanceSettings: Codable, Sendable, Equatable {
    public var timeCapSeconds: Double
    public var mode: PerformanceMode
    /// Target relative half-width of the median's 95% CI.
    public var targetRelativeHalfWidth: Double
    public var minSamples: Int
    public var minMeasuredSeconds: Double
    /// Rounds per performance case (suite `rounds:`, `assay run --rounds`): fresh sampler runs,
    /// interleaved across cases, each under time_cap_s / rounds. nil means `defaultRounds`.
    public var rounds: Int?

    /// Three rounds: the fewest that give the gate's between-round variance 4 degrees of
    /// freedom against a one-run baseline (docs/DECISIONS.md, "Gate rounds").
    public static let defaultRounds = 3

    public var effectiveRounds: Int { rounds ?? Self.defaultRounds }

    public init(
        timeCapSeconds: Double = 15,
        mode: PerformanceMode = .warm,
        targetRelativeHalfWidth: Double = 0.01,
        minSamples: Int = 10,
        minMeasuredSeconds: Double = 0.5,
        rounds: Int? = nil
    ) {
        self.timeCapSeconds = timeCapSeconds
        self.mode = mode
        self.targetRelativeHalfWidth = targetRelativeHalfWidth
        self.minSamples = minSamples
        self.minMeasuredSeconds = minMeasuredSeconds
        self.rounds = rounds
    }
}

/// The family of input values a conformance case uses.
public enum InputValues: String, Codable, Sendable, CaseIterable {
    /// Seeded uniform random values rounded to the dtype.
    case random
    /// Random values with the op's special values (±0, ±inf, NaN, subnormals, near-max) planted.
    case special
    /// Random values scaled to large finite magnitudes (±1e4; ±6e4 in f16, near its maximum).
    case large
    /// Every data element equal (one seeded value): equal-value rows.
    case constant
    /// 0.25 plus a small random spread whose variance is about the op's `eps` (1e-5 when it has none).
    case smallVariance = "small_variance"
    /// Subnormal inputs (docs/OPS.md, "Subnormal cases"): the first data input all subnormal,
    /// later ones alternately subnormal and ±[1, 2), so sums and products stay subnormal.
    case subnormal
}

/// One line of a suite: expands to dtypes × shapes × attrs × values cases.
public struct SuiteEntry: Codable, Sendable, Equatable {
    public var kind: CaseKind
    /// The op (conformance, performance) …
    public var op: String?
    /// … or the system check.
    public var check: String?
    public var dtypes: [DType]
    /// Problem parameters per shape (`{m: 512, n: 512, k: 512}`, `{shape: [4, 1024]}`).
    public var shapes: [AttrMap]
    /// Attribute variants; each variant is one set of attributes.
    public var attrs: [AttrMap]
    public var values: [InputValues]
    public var rtol: Double?
    public var atol: Double?
    /// Why the suite loosens (or tightens) the op's error model with rtol/atol; required with them.
    public var toleranceReason: String?
    public var mode: PerformanceMode?
    public var timeCapSeconds: Double?
    /// Line in the suite file, for messages about this entry.
    public var line: Int?
    /// Collective cases: the sizes in bytes (nccl-tests sizes), whether in place, and the root rank.
    public var sizes: [Int]?
    public var inPlace: Bool?
    public var root: Int?
    /// Model cases: the graph (Models/<graph>.yaml), its dims per case, the verdict thresholds per
    /// dtype, and how many greedy decoding steps to compare (graphs with token input and logits).
    public var graph: String?
    public var dims: [[String: Int]]?
    public var thresholds: [String: ModelThreshold]?
    public var greedySteps: Int?
    /// Model performance cases (`measure: performance`): what a run times; nil for correctness.
    public var phase: ModelPhase?

    public init(
        kind: CaseKind,
        op: String? = nil,
        check: String? = nil,
        dtypes: [DType] = [],
        shapes: [AttrMap] = [],
        attrs: [AttrMap] = [[:]],
        values: [InputValues] = [.random],
        rtol: Double? = nil,
        atol: Double? = nil,
        mode: PerformanceMode? = nil,
        timeCapSeconds: Double? = nil,
        line: Int? = nil
    ) {
        self.kind = kind
        self.op = op
        self.check = check
        self.dtypes = dtypes
        self.shapes = shapes
        self.attrs = attrs
        self.values = values
        self.rtol = rtol
        self.atol = atol
        self.mode = mode
        self.timeCapSeconds = timeCapSeconds
        self.line = line
    }
}

/// A problem an op catalogue finds in a suite entry, located by field (and list index).
public struct SuiteEntryProblem: Sendable, Equatable {
    /// Top-level key of the entry: `op`, `dtypes`, `shapes`, `attrs`, `check`.
    public var field: String
    public var index: Int?
    public var message: String
    public init(field: String, index: Int? = nil, message: String) {
        self.field = field
        self.index = index
        self.message = message
    }
}

/// Knows which ops, params, attrs and checks exist (the op catalogue and the system checks),
/// so a suite can be rejected at load time with the file and line of the mistake.
public protocol SuiteEntryValidating: Sendable {
    func problems(in entry: SuiteEntry) -> [SuiteEntryProblem]
    /// The same, and also each case's bytes against a memory budget: the suite's own
    /// `memory_budget` when it sets one (nil otherwise); a validator may apply its own default.
    func problems(in entry: SuiteEntry, suiteBudget: MemoryBudget?) -> [SuiteEntryProblem]
}

extension SuiteEntryValidating {
    public func problems(in entry: SuiteEntry, suiteBudget: MemoryBudget?) -> [SuiteEntryProblem] {
        problems(in: entry)
    }
}
