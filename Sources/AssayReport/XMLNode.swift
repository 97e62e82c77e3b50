import AssayCore

/// A tiny markup tree for HTML, inline SVG and JUnit XML. Text and attribute values are
/// escaped when rendered, so no caller can forget to: the only unescaped content is
/// `trusted`, which holds the report's own fixed CSS.
public struct XMLNode: Sendable {
    enum Content: Sendable {
        case element(name: String, attributes: [(String, String)], children: [XMLNode])
        case text(String)
        case trusted(String)
    }

    /// How empty elements are written.
    public enum Dialect: Sendable {
        /// `<x/>` for every empty element.
        case xml
        /// `<br/>` only for void HTML elements and SVG leaves; `<td></td>` otherwise, because
        /// an HTML parser reads `<td/>` as an open tag. Both forms are also well-formed XML.
        case html
    }

    let content: Content

    public static func element(
        _ name: String,
        _ attributes: KeyValuePairs<String, String?> = [:],
        @NodeBuilder _ children: () -> [XMLNode] = { [] }
    ) -> XMLNode {
        let kept = attributes.compactMap { key, value in value.map { (key, $0) } }
        return XMLNode(content: .element(name: name, attributes: kept, children: children()))
    }

    public static func text(_ text: String) -> XMLNode { XMLNode(content: .text(text)) }

    /// Fixed markup written by this module (the stylesheet); never data from a record.
    static func trusted(_ markup: String) -> XMLNode { XMLNode(content: .trusted(markup)) }

    public func rendered(_ dialect: Dialect) -> String {
        var out = ""
        render(into: &out, dialect: dialect)
        return out
    }

    func render(into out: inout String, dialect: Dialect) {
        switch content {
        case .text(let text): out += Markup.escape(text)
        case .trusted(let markup): out += markup
        case .element(let name, let attributes, let children):
            out += "<" + name
            for (key, value) in attributes { out += " \(key)=\"\(Markup.escape(value))\"" }
            if children.isEmpty, dialect == .xml || Self.selfClosing.contains(name) {
                out += "/>"
            } else {
                out += ">"
                if Self.lineBreakInside.contains(name) { out += "\n" }
                for child in children { child.render(into: &out, dialect: dialect) }
                out += "</\(name)>"
            }
            if Self.lineBreakAfter.contains(name) { out += "\n" }
        }
    }

    private static let selfClosing: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "circle", "ellipse", "line", "path", "polygon", "polyline", "rect", "stop", "use",
    ]
    /// Containers whose children start on a new line (element-only content, so the break is not data).
    private static let lineBreakInside: Set<String> = [
        "html", "head", "body", "section", "table", "thead", "tbody", "tr", "ul", "svg", "g", "div",
        "testsuites", "testsuite", "properties",
    ]
    /// Line breaks between block elements keep the files readable in a diff; never inside `pre`.
    private static let lineBreakAfter: Set<String> = [
        "html", "head", "body", "style", "meta", "title", "section", "header", "footer", "div", "table", "thead",
        "tbody", "tr", "h1", "h2", "h3", "p", "ul", "li", "svg", "g", "dl",
        "testsuites", "testsuite", "testcase", "properties", "property",
    ]
}
