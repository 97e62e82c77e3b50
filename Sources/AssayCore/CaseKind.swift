/// What a case tests.
public enum CaseKind: String, Codable, Sendable, CaseIterable {
    /// Correctness against the float64 reference.
    case conformance
    /// Throughput with statistics.
    case performance
    /// A system check: a probe compared with the target's expectations.
    case system
    /// A collective over the ranks of a multi-rank target: checked on every rank, then timed.
    case collective
    /// A model graph (Models/) run end to end and judged against its float64 reference.
    case model
}

/// How performance samples are taken.
public enum PerformanceMode: String, Codable, Sendable, CaseIterable {
    /// Samples back to back.
    case warm
    /// Caches flushed (a buffer of twice the last-level cache written, untimed) before each sample.
    case cold
}
