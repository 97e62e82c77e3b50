import Foundation

/// Why a conformance case failed, or how close a passing one came.
///
/// Fields after `structural` were added with the per-op error model (docs/FORMATS.md); they are
/// optional so records written before them still read.
public struct ConformanceEvidence: Codable, Sendable, Equatable {
    /// One quoted element: where, what was expected, what came back, and what fed it.
    public struct Sample: Codable, Sendable, Equatable {
        public var index: [Int]
        public var expected: Double
        public var actual: Double
        /// The error this element was allowed under the op's error model.
        public var allowance: Double?
        /// |actual − expected| in ulps of the output dtype at the expected value.
        public var ulps: Double?
        /// Why it is quoted: `worst`, `first`, `row`.
        public var role: String?
        /// The input values that feed this element (operands, row statistics, or row/column indices).
        public var inputs: String?
        public init(
            index: [Int],
            expected: Double,
            actual: Double,
            allowance: Double? = nil,
            ulps: Double? = nil,
            role: String? = nil,
            inputs: String? = nil
        ) {
            self.index = index
            self.expected = expected
            self.actual = actual
            self.allowance = allowance
            self.ulps = ulps
            self.role = role
            self.inputs = inputs
        }
    }

    /// Mismatches along one axis, compressed to the indices with the most.
    public struct AxisCount: Codable, Sendable, Equatable {
        public var axis: Int
        /// (index, mismatches) pairs, most first, at most a few.
        public var top: [[Int]]
        /// How many distinct indices along the axis hold a mismatch.
        public var distinct: Int
        public init(axis: Int, top: [[Int]], distinct: Int) {
            self.axis = axis
            self.top = top
            self.distinct = distinct
        }
    }

    public var rtol: Double
    public var atol: Double
    public var maxAbsError: Double
    public var maxRelError: Double
    /// Multi-index of the element furthest beyond its allowance (non-finite misses first), or, in a
    /// passing case, the one that came closest to it.
    public var worstIndex: [Int]?
    public var mismatches: Int
    public var elements: Int
    public var mismatchFraction: Double { elements == 0 ? 0 : Double(mismatches) / Double(elements) }
    /// A few mismatching elements, spread over the tensor: the worst, the first, others from other rows.
    public var samples: [Sample]
    /// Shape or dtype disagreements, or other structural problems.
    public var structural: [String]
    /// The error model applied, in words ("correctly rounded in bf16", "2 ulps of f32", …).
    public var model: String?
    /// Set when the suite overrode the model with rtol/atol: the suite's reason.
    public var overrideReason: String?
    /// Largest distance in ulps of the output dtype over the finite elements.
    public var maxUlps: Double?
    /// Mismatch counts per axis (rank ≥ 2 outputs).
    public var axisCounts: [AxisCount]?
    /// Accepted alternative special values the backend produced instead of the catalogue's limit.
    public var alternatives: [String]?
    /// The output dtype, so values print in their own grid.
    public var dtype: DType?

    public init(
        rtol: Double,
        atol: Double,
        maxAbsError: Double,
        maxRelError: Double,
        worstIndex: [Int]?,
        mismatches: Int,
        elements: Int,
        samples: [Sample],
        structural: [String],
        model: String? = nil,
        overrideReason: String? = nil,
        maxUlps: Double? = nil,
        axisCounts: [AxisCount]? = nil,
        alternatives: [String]? = nil,
        dtype: DType? = nil
    ) {
        self.rtol = rtol
        self.atol = atol
        self.maxAbsError = maxAbsError
        self.maxRelError = maxRelError
        self.worstIndex = worstIndex
        self.mismatches = mismatches
        self.elements = elements
        self.samples = samples
        self.structural = structural
        self.model = model
        self.overrideReason = overrideReason
        self.maxUlps = maxUlps
        self.axisCounts = axisCounts
        self.alternatives = alternatives
        self.dtype = dtype
    }

    /// "expected 3.2, got +inf" in the output dtype's shortest round-trip form.
    public static func describe(expected: Double, actual: Double, dtype: DType?) -> String {
        let grid = dtype ?? .f64
        return "expected \(grid.shortest(expected)), got \(grid.shortest(actual))"
    }
}

extension ConformanceEvidence {
    /// The model line: the op's error model, or the suite's override with its reason.
    public var modelText: String {
        if let overrideReason {
            return
                "suite override: atol \(DType.f64.shortest(atol)) + rtol \(DType.f64.shortest(rtol))·|ref| (\(overrideReason))"
        }
        return model ?? "atol \(DType.f64.shortest(atol)) + rtol \(DType.f64.shortest(rtol))·|ref|"
    }

    /// One quoted element: "[3, 7] (worst): expected 0.1667, got 0.1666; allowed 4.9e-05, 1.0 ulp; row of 32: …".
    public func text(of sample: Sample) -> String {
        var text = "[\(sample.index.map(String.init).joined(separator: ", "))]"
        if let role = sample.role { text += " (\(role))" }
        text += ": " + Self.describe(expected: sample.expected, actual: sample.actual, dtype: dtype)
        if let allowance = sample.allowance { text += "; allowed \(DType.f64.shortest(Self.twoDigits(allowance)))" }
        if let ulps = sample.ulps { text += ", \(DType.f64.shortest(Self.twoDigits(ulps))) ulp" }
        if let inputs = sample.inputs { text += "; \(inputs)" }
        return text
    }

    /// "axis 0: 16 indices; axis 1: index 5 ×16" — where the misses concentrate.
    public var axisText: String? {
        guard let axisCounts, !axisCounts.isEmpty else { return nil }
        return axisCounts.map { count in
            "axis \(count.axis): " + count.top.map { "\($0[0]) ×\($0[1])" }.joined(separator: ", ")
                + (count.distinct > count.top.count ? " (\(count.distinct) indices)" : "")
        }.joined(separator: "; ")
    }

    static func twoDigits(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let scale = pow(10, Double(Int((log10(abs(x))).rounded(.down))) - 2)
        return (x / scale).rounded() * scale
    }
}
