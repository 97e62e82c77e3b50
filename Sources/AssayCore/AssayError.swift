/// Errors of the vocabulary layer that are not tied to an input file (those are `InputError`).
public enum AssayError: Error, CustomStringConvertible, Sendable {
    case invalidTensor(String)
    case invalidCaseID(String)
    case invalidShape(String)
    case io(String)

    public var description: String {
        switch self {
        case .invalidTensor(let message): return "invalid tensor: \(message)"
        case .invalidCaseID(let message): return "invalid case id: \(message)"
        case .invalidShape(let message): return "invalid shape: \(message)"
        case .io(let message): return message
        }
    }
}
