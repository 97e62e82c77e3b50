/// Builds children of an `XMLNode` with `if`, `for` and plain strings (which become escaped text).
@resultBuilder
public enum NodeBuilder {
    public static func buildExpression(_ node: XMLNode) -> [XMLNode] { [node] }
    public static func buildExpression(_ nodes: [XMLNode]) -> [XMLNode] { nodes }
    public static func buildExpression(_ text: String) -> [XMLNode] { [.text(text)] }
    public static func buildBlock(_ parts: [XMLNode]...) -> [XMLNode] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [XMLNode]?) -> [XMLNode] { part ?? [] }
    public static func buildEither(first part: [XMLNode]) -> [XMLNode] { part }
    public static func buildEither(second part: [XMLNode]) -> [XMLNode] { part }
    public static func buildArray(_ parts: [[XMLNode]]) -> [XMLNode] { parts.flatMap { $0 } }
}
