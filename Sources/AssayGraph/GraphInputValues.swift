import AssayCore
import AssayOps


/// How a graph input's values are generated for a case (`values:` of an input).
public enum GraphInputValues: Sendable, Equatable {
    /// Normal with mean 0 (activations; default std 1).
    case normal(std: Double)
    /// Token ids uniform in [0, high) (int32).
    case tokens(high: Int)
    /// The cosine or sine table of rotary embeddings, `[s, d/2]`: row i, column j is the angle
    /// (offset + i) · theta^(−2j/d), positions starting at `offset` (a decode step's context).
    case ropeCos(theta: Double, offset: Int)
    case ropeSin(theta: Double, offset: Int)

    static func parse(_ entry: YAMLMapping, spec: TensorSpec, sizes: DimSizes) throws -> GraphInputValues {
        let kind = try entry["values"]?.string() ?? (spec.dtype.isFloatingPoint ? "normal" : "tokens")
        let allowed: Set<String>
        let values: GraphInputValues
        switch kind {
        case "normal":
            allowed = ["std"]
            values = .normal(std: try entry["std"]?.nonNegativeDouble() ?? 1)
            guard spec.dtype.isFloatingPoint else {
                throw entry.owner.error("values normal needs a float input, not \(spec.dtype.rawValue)")
            }
        case "tokens":
            allowed = ["high"]
            let high = try entry.required("high")
            let bound = try sizes.int(high)
            guard bound > 0 else { throw high.error("high must be ≥ 1") }
            guard spec.dtype == .int32 else { throw entry.owner.error("values tokens needs dtype int32") }
            values = .tokens(high: bound)
        case "rope_cos", "rope_sin":
            allowed = ["theta", "offset"]
            let theta = try entry["theta"]?.double() ?? 10000
            let offset = try entry["offset"].map(sizes.int) ?? 0
            guard spec.shape.dims.count == 2, spec.dtype.isFloatingPoint else {
                throw entry.owner.error("\(kind) needs a float [s, d/2] input")
            }
            values = kind == "rope_cos" ? .ropeCos(theta: theta, offset: offset) : .ropeSin(theta: theta, offset: offset)
        default:
            throw entry["values"]!.error("unknown values '\(kind)' (normal, tokens, rope_cos, rope_sin)")
        }
        for key in ["std", "high", "theta", "offset"] where !allowed.contains(key) {
            if let stray = entry[key] { throw stray.error("\(key) does not apply to values \(kind)") }
        }
        return values
    }
}
