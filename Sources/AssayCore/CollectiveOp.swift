/// A collective operation of the `collective` feature (docs/PROTOCOL.md, docs/FORMATS.md
/// "Collectives"): its nccl-tests bus-bandwidth factor, how `bytes` splits into blocks, and
/// the exact result every rank must hold for the documented data pattern.
public enum CollectiveOp: String, Codable, Sendable, CaseIterable {
    case allReduce = "all_reduce"
    case allGather = "all_gather"
    case reduceScatter = "reduce_scatter"
    case broadcast
    case reduce
    case allToAll = "all_to_all"
    case sendRecv = "send_recv"
    /// One ordered pair at a time: rank `root` copies its buffer to rank `peer`, the others
    /// idle; a case runs every ordered pair (the peer-to-peer matrix).
    case p2pCopy = "p2p_copy"

    /// The dtypes the data pattern sums exactly in.
    public static let dtypes: [DType] = [.f64, .f32, .f16, .bf16, .int32, .int8]

    /// nccl-tests' factor from algorithm to bus bandwidth at `ranks` ranks: the share of the
    /// buffer each rank's link carries, so a bus figure compares with the link's bandwidth.
    public func busFactor(ranks: Int) -> Double {
        let n = Double(max(ranks, 1))
        switch self {
        case .allReduce: return 2 * (n - 1) / n
        case .allGather, .reduceScatter, .allToAll: return (n - 1) / n
        case .broadcast, .reduce, .sendRecv, .p2pCopy: return 1
        }
    }

    /// Whether `bytes` is the whole buffer split into one block per rank (nccl-tests' size).
    public var isBlocked: Bool { self == .allGather || self == .reduceScatter || self == .allToAll }

    /// The largest element count ≤ `bytes` / itemsize the op accepts at `ranks` ranks (a
    /// multiple of `ranks` for blocked ops), at least one block; nccl-tests rounds the same way.
    public func count(bytes: Int, dtype: DType, ranks: Int) -> Int {
        let elements = max(1, bytes / dtype.byteWidth)
        guard isBlocked else { return elements }
        return max(ranks, elements / ranks * ranks)
    }

    /// x_rank[i] = ((5·rank + i) mod 11) − 5: integers in [−5, 5], so any sum over up to 25
    /// ranks, in any order, is exact in every dtype of `dtypes` (int8 and bf16 included).
    public static func pattern(rank: Int, index: Int) -> Double {
        Double((5 * rank + index) % 11 - 5)
    }

    /// The output element count on every rank for `count` elements (the nccl-tests size).
    public func outputCount(count: Int, ranks: Int) -> Int { self == .reduceScatter ? count / ranks : count }

    /// The destination of a `p2p_copy` from `root` when the request names none: the next rank.
    public static func defaultPeer(root: Int, ranks: Int) -> Int { (root + 1) % max(ranks, 1) }

    /// Whether rank `rank`'s output is defined, so checked: not for reduce off the root, and
    /// for p2p_copy only on the destination.
    public func checks(rank: Int, root: Int, peer: Int) -> Bool {
        switch self {
        case .reduce: return rank == root
        case .p2pCopy: return rank == peer
        default: return true
        }
    }

    /// What element `index` of rank `rank`'s output must be; nil where the op leaves it
    /// undefined (reduce off the root, p2p_copy off the destination `peer`).
    public func expected(rank: Int, ranks: Int, count: Int, root: Int, peer: Int? = nil, index i: Int) -> Double? {
        let block = count / max(ranks, 1)
        func sum(at index: Int) -> Double { (0..<ranks).reduce(0) { $0 + Self.pattern(rank: $1, index: index) } }
        switch self {
        case .allReduce: return sum(at: i)
        case .reduce: return rank == root ? sum(at: i) : nil
        case .broadcast: return Self.pattern(rank: root, index: i)
        case .allGather: return Self.pattern(rank: i / block, index: i % block)
        case .reduceScatter: return sum(at: rank * block + i)
        case .allToAll: return Self.pattern(rank: i / block, index: rank * block + i % block)
        case .sendRecv: return Self.pattern(rank: (rank - 1 + ranks) % ranks, index: i)
        case .p2pCopy:
            return rank == (peer ?? Self.defaultPeer(root: root, ranks: ranks))
                ? Self.pattern(rank: root, index: i) : nil
        }
    }
}
