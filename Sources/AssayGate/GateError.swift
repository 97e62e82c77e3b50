/// Why the gate refused to compare two runs (exit code 2).
public enum GateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The runs differ in target, descriptor, backend or environment; comparing them would blame
    /// the code for the machine or the setup. Names every part that differs.
    /// `--allow-different-target` overrides.
    case differentTargets([Comparability.Difference])

    public var description: String {
        switch self {
        case .differentTargets(let differences):
            return "the runs are not comparable: " + differences.map(\.description).joined(separator: "; ")
                + " (pass --allow-different-target to compare them anyway)"
        }
    }
}
