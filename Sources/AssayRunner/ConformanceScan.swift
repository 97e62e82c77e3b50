/// What one pass over a case's elements keeps for the evidence: the worst element, the first
/// miss, one miss per row (bounded) and mismatch counts per axis.
struct Scan {
    /// Row-first misses kept to spread the quoted samples over the tensor.
    static let rowLimit = 256

    private(set) var mismatches = 0
    private(set) var worst: (index: Int, rank: (Int, Double))?
    private(set) var firstMiss: Int?
    private(set) var rowFirsts: [Int] = []
    private(set) var axisCounts: [[Int: Int]] = []
    private var lastRow = -1

    mutating func note(index: Int, ok: Bool, rank: (Int, Double), row: Int) {
        if let current = worst?.rank {
            if rank.0 > current.0 || (rank.0 == current.0 && rank.1 > current.1) { worst = (index, rank) }
        } else {
            worst = (index, rank)
        }
        guard !ok else { return }
        mismatches += 1
        if firstMiss == nil { firstMiss = index }
        if row != lastRow, rowFirsts.count < Scan.rowLimit {
            rowFirsts.append(index)
            lastRow = row
        }
    }

    mutating func countAxes(_ index: [Int]) {
        if axisCounts.isEmpty { axisCounts = Array(repeating: [:], count: index.count) }
        for (axis, position) in index.enumerated() { axisCounts[axis][position, default: 0] += 1 }
    }

    /// Flat indices to quote with their role: the worst, the first, then misses from other rows spread evenly.
    func quoted(limit: Int) -> [(Int, String)] {
        guard mismatches > 0, let worst else { return [] }
        var picked: [(Int, String)] = [(worst.index, "worst")]
        if let firstMiss, firstMiss != worst.index { picked.append((firstMiss, "first")) }
        let others = rowFirsts.filter { candidate in !picked.contains { $0.0 == candidate } }
        let wanted = Swift.min(limit - picked.count, others.count)
        if wanted > 0 {
            for step in 0..<wanted { picked.append((others[step * others.count / wanted], "row")) }
        }
        return picked
    }
}
