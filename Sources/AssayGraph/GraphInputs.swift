import AssayCore
import Foundation

/// A case's input values for a graph, each generated as its `values:` says from the case seed:
/// input `name` draws from SplitMix64(seed XOR fnv1a64(name)), rounded to its dtype.
public enum GraphInputs {
    public static func values(of graph: Graph, seed: UInt64) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for spec in graph.inputs {
            let count = spec.shape.elementCount
            let own = seed ^ SplitMix64.fnv1a64(spec.name)
            let values: [Double]
            switch graph.inputValues[spec.name] ?? .normal(std: 1) {
            case .normal(let std):
                values = GraphWeights.normals(count: count, std: std, seed: own)
            case .tokens(let high):
                var rng = SplitMix64(seed: own)
                values = (0..<count).map { _ in Double(rng.next() % UInt64(high)) }
            case .ropeCos(let theta, let offset):
                values = rope(spec.shape.dims, theta: theta, offset: offset).map(cos)
            case .ropeSin(let theta, let offset):
                values = rope(spec.shape.dims, theta: theta, offset: offset).map(sin)
            }
            out[spec.name] = Tensor(dtype: spec.dtype, shape: spec.shape, values: values)
        }
        return out
    }

    /// The angles (offset + i) · theta^(−2j/d) of an `[s, d/2]` table, row-major.
    static func rope(_ dims: [Int], theta: Double, offset: Int) -> [Double] {
        let (rows, half) = (dims[0], dims[1])
        return (0..<rows).flatMap { i in
            (0..<half).map { j in Double(offset + i) * pow(theta, -2 * Double(j) / Double(2 * half)) }
        }
    }
}
