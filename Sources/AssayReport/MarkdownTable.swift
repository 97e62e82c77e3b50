import AssayCore
import Foundation

/// A GitHub-flavoured Markdown table whose cells cannot break out of it: text goes through
/// `Markup.markdown` (HTML, link, image and table syntax escaped, line breaks neutralised).
public struct MarkdownTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Columns aligned right (numbers).
    public var rightAligned: Set<Int> = []

    public init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    /// Rows whose first cell is shown in bold (totals); the text itself is still escaped.
    public var strongRows: Set<Int> = []

    public mutating func append(_ row: [String], strong: Bool = false) {
        if strong { strongRows.insert(rows.count) }
        rows.append(row)
    }

    public var rendered: String {
        let rule = header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
        let body = rows.enumerated().map { index, row in
            row.enumerated().map { column, text in
                column == 0 && strongRows.contains(index) ? "**\(Self.cell(text))**" : Self.cell(text)
            }
        }
        return ([header.map(Self.cell), rule] + body)
            .map { "| " + $0.joined(separator: " | ") + " |" }
            .joined(separator: "\n")
    }

    /// Escapes one cell (or any inline text) for Markdown.
    public static func cell(_ text: String) -> String { Markup.markdown(text) }

    /// Text inside a code span (ids, run ids).
    public static func code(_ text: String) -> String { Markup.markdownCode(text) }
}
