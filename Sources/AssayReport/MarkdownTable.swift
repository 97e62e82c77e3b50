import AssayCore
import Foundation

/// A GitHub-flavoured Markdown table whose cells cannot break out of it: text goes through
/// `Markup.escape` (GitHub renders inline HTML) and pipes and line breaks are neutralised.
public struct MarkdownTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Columns aligned right (numbers).
    public var rightAligned: Set<Int> = []

    public init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header; self.rightAligned = rightAligned
    }

    public mutating func append(_ row: [String]) { rows.append(row) }

    public var rendered: String {
        let rule = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        return ([header.map(Self.cell), rule] + rows.map { $0.map(Self.cell) })
            .map { "| " + $0.joined(separator: " | ") + " |" }
            .joined(separator: "\n")
    }

    /// Escapes one cell (or any inline text) for Markdown.
    public static func cell(_ text: String) -> String {
        Markup.escape(text, quotes: false)
            .replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "`", with: "\\`")
            .replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
