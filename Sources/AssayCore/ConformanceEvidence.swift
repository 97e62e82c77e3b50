/// Why a conformance case failed, or how close a passing one came.
public struct ConformanceEvidence: Codable, Sendable, Equatable {
    /// One mismatching element: where, what was expected, what came back.
    public struct Sample: Codable, Sendable, Equatable {
        public var index: [Int]
        public var expected: Double
        public var actual: Double
        public init(index: [Int], expected: Double, actual: Double) {
            self.index = index; self.expected = expected; self.actual = actual
        }
    }

    public var rtol: Double
    public var atol: Double
    public var maxAbsError: Double
    public var maxRelError: Double
    /// Multi-index of the element with the largest error beyond tolerance (or largest error overall).
    public var worstIndex: [Int]?
    public var mismatches: Int
    public var elements: Int
    public var mismatchFraction: Double { elements == 0 ? 0 : Double(mismatches) / Double(elements) }
    /// A few mismatching elements.
    public var samples: [Sample]
    /// Shape or dtype disagreements, or other structural problems.
    public var structural: [String]

    public init(rtol: Double, atol: Double, maxAbsError: Double, maxRelError: Double, worstIndex: [Int]?,
                mismatches: Int, elements: Int, samples: [Sample], structural: [String]) {
        self.rtol = rtol; self.atol = atol; self.maxAbsError = maxAbsError; self.maxRelError = maxRelError
        self.worstIndex = worstIndex; self.mismatches = mismatches; self.elements = elements
        self.samples = samples; self.structural = structural
    }
}
