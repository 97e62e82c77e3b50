import AssayBackend
import AssayCore
import Foundation

/// Checks every rank's output of a collective against the exact result of the data pattern
/// (docs/FORMATS.md, "Collectives"): no tolerance, since every value is a small integer.
///
/// The pattern repeats every 11 elements, so each rank's output is a few runs (the whole
/// buffer, or one per block) whose expected bytes repeat with that period: the check compares
/// each run with a repeated template by `memcmp` (a 256 MiB output in a few thousand calls),
/// and counts the wrong elements one by one only where a chunk differs.
enum CollectiveVerifier {
    static let period = 11
    /// Template length in periods: large chunks for memcmp, a small template.
    static let templatePeriods = 4096

    /// nil when every rank holds the expected result; else what is wrong, naming the rank.
    static func problem(in outputs: [Tensor], request: CollectiveRequest) -> String? {
        let world = outputs.count
        let expectedCount = request.op.outputCount(count: request.count, ranks: world)
        var problems: [String] = []
        for (rank, output) in outputs.enumerated() {
            let peer = request.peer ?? CollectiveOp.defaultPeer(root: request.root, ranks: world)
            if !request.op.checks(rank: rank, root: request.root, peer: peer) { continue }  // undefined there
            guard output.dtype == request.dtype, output.elementCount == expectedCount else {
                problems.append(
                    "rank \(rank): \(output.dtype.rawValue)\(output.shape.dims) for \(request.dtype.rawValue)[\(expectedCount)]"
                )
                continue
            }
            var mismatches = 0
            var first: (index: Int, expected: Double, actual: Double)?
            for run in runs(of: request.op, count: expectedCount, ranks: world) {
                let wrong = check(output, start: run.start, length: run.length) { index in
                    request.op.expected(
                        rank: rank,
                        ranks: world,
                        count: request.count,
                        root: request.root,
                        peer: peer,
                        index: index
                    ) ?? .nan
                }
                mismatches += wrong.count
                if first == nil, let at = wrong.first { first = at }
            }
            if let first {
                problems.append(
                    "rank \(rank): \(mismatches)/\(expectedCount) elements wrong; first at [\(first.index)]: expected \(first.expected), got \(first.actual)"
                )
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// The stretches of the output over which the expected values repeat every `period`
    /// elements: one block per source rank for all_gather and all_to_all, the whole output otherwise.
    static func runs(of op: CollectiveOp, count: Int, ranks: Int) -> [(start: Int, length: Int)] {
        guard op == .allGather || op == .allToAll else { return [(0, count)] }
        let block = count / ranks
        return (0..<ranks).map { ($0 * block, block) }
    }

    /// The wrong elements of `output[start..<start+length]` (count, and the first one).
    private static func check(
        _ output: Tensor,
        start: Int,
        length: Int,
        expected: (Int) -> Double
    )
        -> (count: Int, first: (index: Int, expected: Double, actual: Double)?)
    {
        let width = output.dtype.byteWidth
        let periodValues = (0..<min(period, length)).map { expected(start + $0) }
        let repeats = max(1, min(templatePeriods, length / max(periodValues.count, 1)))
        let template = Tensor(
            dtype: output.dtype,
            shape: Shape([periodValues.count * repeats]),
            values: Array((0..<repeats).map { _ in periodValues }.joined())
        ).bytes
        var count = 0
        var first: (index: Int, expected: Double, actual: Double)?
        output.bytes.withUnsafeBytes { raw in
            template.withUnsafeBytes { pattern in
                var offset = 0
                while offset < length {
                    let chunk = min(template.count / width, length - offset)
                    let lhs = raw.baseAddress! + (start + offset) * width
                    if memcmp(lhs, pattern.baseAddress!, chunk * width) != 0 {
                        // Compare values, not bytes (−0 equals 0), one by one in this chunk only.
                        for index in (start + offset)..<(start + offset + chunk) {
                            var bits: UInt64 = 0
                            for byte in 0..<width { bits |= UInt64(raw[index * width + byte]) << (8 * byte) }
                            let got = output.dtype.value(ofBitPattern: bits)
                            let want = expected(index)
                            if got != want {
                                count += 1
                                if first == nil { first = (index, want, got) }
                            }
                        }
                    }
                    offset += chunk
                }
            }
        }
        return (count, first)
    }
}
