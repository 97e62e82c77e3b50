/// What a model performance case times (a suite's `phase:`): a prefill over the whole prompt, or
/// one decode step over a key/value cache.
public enum ModelPhase: String, Codable, Sendable, CaseIterable {
    /// Every token of the prompt in one run: latency per run and tokens/s (batch × seq tokens).
    case prefill
    /// One new token per sequence over the cache: latency per step is the time per output token.
    case decode
}

/// The model figures of a model performance case (run.json `model_performance`, docs/FORMATS.md
/// "Model performance"): how the graph ran, the tokens one run processes, and from the median time
/// per run the latency, tokens/s and time per output token; the allocator's peak where the
/// backend reports one. The samples, FLOPs, bytes and roofline are in the case's `performance`.
public struct ModelPerformance: Codable, Sendable, Equatable {
    public var graph: String
    public var dims: [String: Int]
    /// `in-process` (native), `node-by-node` (every node an op request), or `graph` (the backend's own).
    public var execution: String
    public var phase: ModelPhase
    /// Tokens one run processes: batch × seq for prefill, batch for a decode step.
    public var tokens: Int
    /// Median time of one graph run, ms.
    public var latencyMilliseconds: Double?
    /// tokens / median run time.
    public var tokensPerSecond: Double?
    /// Median run time / tokens, ms: for a decode step, the time per output token.
    public var millisecondsPerToken: Double?
    /// The FLOPs and bytes of one run as the whole graph is counted (docs/FORMATS.md): the
    /// nodes' FLOPs; the bytes a fused run must move (weights, inputs, outputs once) and the
    /// bytes node-by-node execution moves (every node's own minimum traffic).
    public var flops: Double
    public var bytes: Double
    public var nodeBytes: Double
    /// The device allocator's peak during the timed runs, bytes (`benchmark_graph`'s `peak_bytes`).
    public var peakBytes: Double?
    /// Why there is no peak: the backend does not report one.
    public var peakNote: String?
    /// SHA-256 of the graph file's text the case ran: `assay gate --confirm` re-measures the case
    /// only when the file it finds now has the same digest (nil in records written before).
    public var graphSHA256: String?

    public init(
        graph: String,
        dims: [String: Int],
        execution: String,
        phase: ModelPhase,
        tokens: Int,
        flops: Double,
        bytes: Double,
        nodeBytes: Double
    ) {
        self.graph = graph
        self.dims = dims
        self.execution = execution
        self.phase = phase
        self.tokens = tokens
        self.flops = flops
        self.bytes = bytes
        self.nodeBytes = nodeBytes
    }

    /// Fills latency, tokens/s and time per token from the median nanoseconds per run.
    public mutating func apply(medianNanoseconds: Double) {
        guard medianNanoseconds > 0, medianNanoseconds.isFinite, tokens > 0 else { return }
        latencyMilliseconds = medianNanoseconds / 1e6
        tokensPerSecond = Double(tokens) / medianNanoseconds * 1e9
        millisecondsPerToken = medianNanoseconds / 1e6 / Double(tokens)
    }
}
