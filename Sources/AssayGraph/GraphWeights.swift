import AssayCore
import Foundation

/// A graph's weight values: seeded from their stated initialisation, or read from its file.
public enum GraphWeights {
    /// Every weight as a tensor of its dtype. `normal` draws from SplitMix64(seed XOR
    /// fnv1a64(name)) by Box–Muller, so one weight's values depend on nothing but the seed and
    /// its name; `file` weights come from `file` (already checked by `Graph.check`).
    public static func values(of graph: Graph, file: SafetensorsFile? = nil) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for weight in graph.weights {
            let spec = weight.spec
            let count = spec.shape.elementCount
            switch weight.initialisation {
            case .normal(let std):
                let values = normals(count: count, std: std, seed: graph.seed ^ SplitMix64.fnv1a64(spec.name))
                out[spec.name] = Tensor(dtype: spec.dtype, shape: spec.shape, values: values)
            case .ones:
                out[spec.name] = Tensor(dtype: spec.dtype, shape: spec.shape, values: Array(repeating: 1, count: count))
            case .zeros:
                out[spec.name] = Tensor(dtype: spec.dtype, shape: spec.shape, values: Array(repeating: 0, count: count))
            case .file:
                guard let tensor = file?.tensors[spec.name] else {
                    throw InputError(
                        file: graph.file,
                        line: weight.line,
                        field: "weights.\(spec.name)",
                        message: "no weights file holds it"
                    )
                }
                out[spec.name] = tensor
            }
        }
        return out
    }

    /// Normal draws with mean 0 by Box–Muller on SplitMix64(seed).
    static func normals(count: Int, std: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ -> Double in
            let u1 = 1 - rng.nextUnit()
            let u2 = rng.nextUnit()  // u1 in (0, 1]: log is finite
            return std * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
    }
}
