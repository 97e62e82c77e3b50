import Foundation

/// Why the registry refused something. `badInput` is the harness's "bad input" (exit 2),
/// naming the file (and field) at fault; `refused` is an input that is well-formed but not
/// admissible (an unverifiable certificate), with the reason.
public enum RegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    case badInput(file: String, message: String)
    case refused(file: String, reason: String)
    case notFound(String)

    public var description: String {
        switch self {
        case .badInput(let file, let message): return "\(file): \(message)"
        case .refused(let file, let reason): return "\(file): refused: \(reason)"
        case .notFound(let message): return message
        }
    }
}
