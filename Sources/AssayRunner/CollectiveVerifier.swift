import AssayBackend
import AssayCore

/// Checks every rank's output of a collective against the exact result of the data pattern
/// (docs/FORMATS.md, "Collectives"): no tolerance, since every value is a small integer.
enum CollectiveVerifier {
    /// nil when every rank holds the expected result; else what is wrong, naming the rank.
    static func problem(in outputs: [Tensor], request: CollectiveRequest) -> String? {
        let world = outputs.count
        let expectedCount = request.op.outputCount(count: request.count, ranks: world)
        var problems: [String] = []
        for (rank, output) in outputs.enumerated() {
            if request.op == .reduce, rank != request.root { continue }  // undefined off the root
            guard output.dtype == request.dtype, output.elementCount == expectedCount else {
                problems.append("rank \(rank): \(output.dtype.rawValue)\(output.shape.dims) for \(request.dtype.rawValue)[\(expectedCount)]")
                continue
            }
            var mismatches = 0, first: (index: Int, expected: Double, actual: Double)?
            let width = output.dtype.byteWidth
            for index in 0..<expectedCount {
                guard let want = request.op.expected(rank: rank, ranks: world, count: request.count, root: request.root, index: index) else { continue }
                var bits: UInt64 = 0
                for byte in 0..<width { bits |= UInt64(output.bytes[index * width + byte]) << (8 * byte) }
                let got = output.dtype.value(ofBitPattern: bits)
                if got != want {
                    mismatches += 1
                    if first == nil { first = (index, want, got) }
                }
            }
            if let first {
                problems.append("rank \(rank): \(mismatches)/\(expectedCount) elements wrong; first at [\(first.index)]: expected \(first.expected), got \(first.actual)")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
