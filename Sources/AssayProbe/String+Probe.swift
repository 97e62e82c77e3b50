/// Text helpers the parsers share; written without Foundation so they behave the same
/// on every platform.
extension StringProtocol {
    /// Leading and trailing spaces, tabs and newlines removed (no Foundation needed).
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
            let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

extension String {
    /// Lines without their terminators; empty trailing line dropped.
    var lines: [String] {
        var result = split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if result.last == "" { result.removeLast() }
        return result
    }

    /// Nil for an empty string, so `??` falls through to the next source.
    var nonEmpty: String? { isEmpty ? nil : self }
}
