/// The stable identity of a case: `suite/op/shape/dtype[/attrs]`, e.g.
/// `ops/matmul/m512.n512.k512/bf16` or `smoke/gelu/shape4x1024/f32/approximate=tanh`.
///
/// Waivers, gates, JUnit names and certificates all key on its string form.
public struct CaseID: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public var suite: String
    public var op: String
    public var shape: String
    public var dtype: String
    /// `name=value` pairs sorted by name, joined with `,`; empty when none.
    public var attrs: String

    public init(suite: String, op: String, shape: String, dtype: String, attrs: String = "") {
        self.suite = suite
        self.op = op
        self.shape = shape
        self.dtype = dtype
        self.attrs = attrs
    }

    /// Builds the attrs segment from a map: sorted, `name=value`, lists as `1x1`.
    public static func attrsSegment(_ attrs: AttrMap) -> String {
        attrs.keys.sorted().map { "\($0)=\(attrs[$0]!)" }.joined(separator: ",")
    }

    /// Parses the string form.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 || parts.count == 5, parts.prefix(4).allSatisfy({ !$0.isEmpty }) else {
            throw AssayError.invalidCaseID("'\(text)' is not suite/op/shape/dtype[/attrs]")
        }
        self.init(
            suite: parts[0],
            op: parts[1],
            shape: parts[2],
            dtype: parts[3],
            attrs: parts.count == 5 ? parts[4] : ""
        )
    }

    public var description: String {
        let base = "\(suite)/\(op)/\(shape)/\(dtype)"
        return attrs.isEmpty ? base : "\(base)/\(attrs)"
    }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.description < rhs.description }
}
