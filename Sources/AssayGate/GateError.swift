/// Why the gate refused to compare two runs (exit code 2).
public enum GateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The runs were taken on different environments; comparing them would blame the code
    /// for the machine. `--allow-different-target` overrides.
    case differentTargets(baseline: String, current: String)

    public var description: String {
        switch self {
        case .differentTargets(let baseline, let current):
            return "the runs were taken on different targets: baseline fingerprint \(baseline), current fingerprint \(current) "
                + "(pass --allow-different-target to compare them anyway)"
        }
    }
}
