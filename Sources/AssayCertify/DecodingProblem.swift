import Foundation

/// One-line descriptions of JSONDecoder failures for error messages.
enum DecodingProblem {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return at(context) + context.debugDescription
        case .keyNotFound(let key, let context):
            return at(context) + "missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return at(context) + "expected \(type)"
        case .valueNotFound(let type, let context):
            return at(context) + "expected \(type), found null"
        @unknown default:
            return "\(error)"
        }
    }

    private static func at(_ context: DecodingError.Context) -> String {
        guard !context.codingPath.isEmpty else { return "" }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return "at \(path.hasPrefix(".") ? String(path.dropFirst()) : path): "
    }
}
