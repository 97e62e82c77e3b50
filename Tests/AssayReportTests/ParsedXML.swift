import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as plain values. Parsing (libxml2 under FoundationXML) happens under
/// one lock and the result is copied out, so parallel tests never share libxml2 state.
struct ParsedXML: Sendable {
    var name: String
    var attributes: [String: String]
    var children: [ParsedXML]
    /// All text inside, as XPath's string() gives it.
    var text: String

    private static let lock = NSLock()

    /// Throws when `markup` is not well-formed XML.
    static func parse(_ markup: String) throws -> ParsedXML {
        try lock.withLock {
            let document = try XMLDocument(xmlString: markup)
            guard let root = document.rootElement() else { throw CocoaError(.coderReadCorrupt) }
            return ParsedXML(root)
        }
    }

    private init(_ element: XMLElement) {
        name = element.name ?? ""
        attributes = Dictionary(
            (element.attributes ?? []).map { ($0.name ?? "", $0.stringValue ?? "") },
            uniquingKeysWith: { first, _ in first }
        )
        children = (element.children ?? []).compactMap { $0 as? XMLElement }.map(ParsedXML.init)
        text = element.stringValue ?? ""
    }

    /// This element and every element below it, in document order.
    var all: [ParsedXML] { [self] + children.flatMap(\.all) }

    func all(_ name: String) -> [ParsedXML] { all.filter { $0.name == name } }

    func hasClass(_ name: String) -> Bool { (attributes["class"] ?? "").split(separator: " ").contains { $0 == name } }
}
