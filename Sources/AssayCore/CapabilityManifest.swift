/// The op × dtype pairs a backend claims in its handshake. The claims are kept as the backend
/// listed them (they are recorded in run.json verbatim, unknown dtypes included); questions are
/// asked in types: `contains(op:dtype:)` with a `DType`, equality as sets.
public struct CapabilityManifest: Codable, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// One claimed pair.
    public struct Pair: Hashable, Sendable {
        public var op: String
        public var dtype: DType
    }

    /// op → dtype names, in the backend's order.
    public let claims: [String: [String]]
    /// The claims whose dtype the harness knows, as a set.
    public let pairs: Set<Pair>

    public init(_ claims: [String: [String]]) {
        self.claims = claims
        pairs = Set(
            claims.flatMap { op, dtypes in dtypes.compactMap(DType.init(rawValue:)).map { Pair(op: op, dtype: $0) } }
        )
    }

    public init(dictionaryLiteral elements: (String, [String])...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public init(from decoder: Decoder) throws { self.init(try [String: [String]](from: decoder)) }
    public func encode(to encoder: Encoder) throws { try claims.encode(to: encoder) }

    /// Equal when the same pairs are claimed, whatever their order.
    public static func == (a: Self, b: Self) -> Bool { a.claims.mapValues(Set.init) == b.claims.mapValues(Set.init) }

    public func contains(op: String, dtype: DType) -> Bool { pairs.contains(Pair(op: op, dtype: dtype)) }
    /// Claimed ops, sorted.
    public var ops: [String] { claims.keys.sorted() }
    public var isEmpty: Bool { claims.isEmpty }
    /// How many op × dtype claims there are (unknown dtypes included).
    public var claimCount: Int { claims.values.reduce(0) { $0 + $1.count } }
}
