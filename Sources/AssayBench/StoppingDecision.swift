/// What the stopping rule says after a batch of samples.
public enum StoppingDecision: Sendable, Equatable {
    /// Take another batch.
    case `continue`
    /// The median's CI is within the target half-width, with enough samples and measured time.
    case converged
    /// Unconverged: the CI stopped narrowing and cannot reach the target in the time left.
    case plateau(reason: String)
    /// Unconverged: the case's time cap is spent.
    case timeCap(reason: String)

    public var stops: Bool { self != .continue }
    public var isConverged: Bool { self == .converged }
}
