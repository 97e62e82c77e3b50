/// What a model case found (run.json `model`, docs/FORMATS.md "Model cases"): how the graph ran,
/// each output against the float64 reference, greedy decoding, and on a failure the first node
/// whose output is outside its op's own error model given its actual inputs.
public struct ModelEvidence: Codable, Sendable, Equatable {
    /// The graph id and its dims as run.
    public var graph: String
    public var dims: [String: Int]
    /// `in-process` (native), `node-by-node` (every node an op request), or `graph` (the backend's own).
    public var execution: String
    public var threshold: ModelThreshold
    public var outputs: [ModelOutputComparison]
    public var greedy: GreedyComparison?
    public var firstDivergentNode: DivergentNode?

    public init(
        graph: String,
        dims: [String: Int],
        execution: String,
        threshold: ModelThreshold,
        outputs: [ModelOutputComparison],
        greedy: GreedyComparison? = nil,
        firstDivergentNode: DivergentNode? = nil
    ) {
        self.graph = graph
        self.dims = dims
        self.execution = execution
        self.threshold = threshold
        self.outputs = outputs
        self.greedy = greedy
        self.firstDivergentNode = firstDivergentNode
    }
}

/// One graph output against its reference.
public struct ModelOutputComparison: Codable, Sendable, Equatable {
    public var name: String
    public var elements: Int
    public var maxAbsError: Double
    public var meanAbsError: Double
    /// maxAbsError / max|reference|, meanAbsError / mean|reference| (0 when the reference is all 0).
    public var maxRelError: Double
    public var meanRelError: Double
    public var cosine: Double
    /// Non-finite values where the reference is finite.
    public var nonFinite: Int
    /// Logits (last axis the vocabulary): positions whose top-1 agrees, whose top-5 sets agree,
    /// and the mean KL(reference ‖ actual) of the softmax distributions.
    public var top1Agreement: Double?
    public var top5Agreement: Double?
    public var klDivergence: Double?

    public init(
        name: String,
        elements: Int,
        maxAbsError: Double,
        meanAbsError: Double,
        maxRelError: Double,
        meanRelError: Double,
        cosine: Double,
        nonFinite: Int
    ) {
        self.name = name
        self.elements = elements
        self.maxAbsError = maxAbsError
        self.meanAbsError = meanAbsError
        self.maxRelError = maxRelError
        self.meanRelError = meanRelError
        self.cosine = cosine
        self.nonFinite = nonFinite
    }
}

/// Greedy decoding on the backend against the reference, from the same prompt.
public struct GreedyComparison: Codable, Sendable, Equatable {
    public var steps: Int
    /// Steps whose token equals the reference's before the first difference (== steps: all agree).
    public var matchingSteps: Int
    public var expectedTokens: [Int]
    public var actualTokens: [Int]

    public init(steps: Int, matchingSteps: Int, expectedTokens: [Int], actualTokens: [Int]) {
        self.steps = steps
        self.matchingSteps = matchingSteps
        self.expectedTokens = expectedTokens
        self.actualTokens = actualTokens
    }
}

/// The first node (in graph order) whose backend output is outside its op's error model when the
/// op's float64 reference runs on the node's actual inputs from the backend.
public struct DivergentNode: Codable, Sendable, Equatable {
    public var name: String
    public var op: String
    /// The node's line in the graph file.
    public var line: Int?
    /// The op conformance verdict on that node (mismatching elements, the worst one).
    public var message: String
    public var evidence: ConformanceEvidence

    public init(name: String, op: String, line: Int?, message: String, evidence: ConformanceEvidence) {
        self.name = name
        self.op = op
        self.line = line
        self.message = message
        self.evidence = evidence
    }
}
