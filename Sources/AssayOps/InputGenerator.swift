import AssayCore
import Foundation

/// Seeded, documented inputs for a problem (docs/OPS.md, "Input generation").
///
/// One SplitMix64 stream per case, seeded with `seed XOR fnv1a64(case id)`, advanced input by input.
/// Values are rounded to each input's dtype when the tensor is built, so the reference sees
/// exactly what the backend sees.
public enum InputGenerator {
    public static func inputs(
        for problem: OpProblem,
        values: InputValues,
        seed: UInt64,
        caseID: String,
        specials: SpecialValueSet
    ) -> [Tensor] {
        var rng = SplitMix64(seed: seed ^ SplitMix64.fnv1a64(caseID))
        return problem.inputs.enumerated().map { index, spec in
            var data = randomValues(for: spec, rng: &rng)
            if spec.role == .data, spec.dtype.isFloatingPoint {
                switch values {
                case .random: break
                case .special: plant(specialValues(for: spec.dtype, set: specials), into: &data, inputIndex: index)
                case .large:
                    // Large finite magnitudes: ±1e4 (exp overflows without the max shift), ±6e4 in f16 (near its max).
                    let scale = spec.dtype == .f16 ? 60_000.0 : 10_000.0
                    data = data.map { $0 * scale }
                case .constant:
                    data = Array(repeating: rng.nextSigned(), count: data.count)
                case .smallVariance:
                    // Variance ≈ eps: a uniform spread of half-width √(3·eps) has variance eps; rms_norm has
                    // no mean to subtract, so its rows are centred on 0 (mean square ≈ eps).
                    let halfWidth = (3 * (problem.attrDouble("eps") ?? 1e-5)).squareRoot()
                    let centre = problem.op == "rms_norm" ? 0 : 0.25
                    data = data.map { centre + halfWidth * $0 }
                case .subnormal:
                    data = subnormalValues(count: data.count, dtype: spec.dtype, alternating: index > 0, rng: &rng)
                }
            }
            return Tensor(dtype: spec.dtype, shape: spec.shape, values: data)
        }
    }

    static func randomValues(for spec: TensorSpec, rng: inout SplitMix64) -> [Double] {
        let count = spec.shape.elementCount
        switch spec.role {
        case .indices(let upperBound):
            return (0..<count).map { _ in Double(rng.nextInt(in: 0...(upperBound - 1))) }
        case .rotaryCos, .rotarySin:
            let columns = spec.shape.dims.last ?? 1
            return (0..<count).map { flat in
                let position = Double(flat / Swift.max(1, columns))
                let pair = Double(flat % Swift.max(1, columns))
                let angle = position * pow(10_000, -2 * pair / Double(2 * columns))
                return spec.role == .rotaryCos ? cos(angle) : sin(angle)
            }
        case .variance:
            return (0..<count).map { _ in abs(rng.nextSigned()) }
        case .data, .parameter:
            if spec.dtype == .int8 { return (0..<count).map { _ in Double(rng.nextInt(in: -128...127)) } }
            if spec.dtype == .int32 { return (0..<count).map { _ in Double(rng.nextInt(in: -1000...1000)) } }
            return (0..<count).map { _ in rng.nextSigned() }
        }
    }

    /// The special values an input may hold, in a fixed order.
    public static func specialValues(for dtype: DType, set: SpecialValueSet) -> [Double] {
        guard set != .none else { return [] }
        var values: [Double] = [
            0.0, -0.0, .infinity, -.infinity, .nan, dtype.minSubnormal, -dtype.minSubnormal,
            dtype.minNormal - dtype.minSubnormal, 1, -1,
        ]
        if set == .all { values += [dtype.maxFinite, -dtype.maxFinite] }
        return values
    }

    /// `count` subnormals of `dtype` (random multiples of the smallest, random sign; the first
    /// four the smallest and largest of each sign, so every case meets both ends). With
    /// `alternating`, odd elements are ±[1, 2) instead: a product with them stays subnormal.
    static func subnormalValues(count: Int, dtype: DType, alternating: Bool, rng: inout SplitMix64) -> [Double] {
        let largest = Int(dtype.minNormal / dtype.minSubnormal) - 1  // 2^(significand bits) - 1
        let ends = [1.0, -1.0, Double(largest), -Double(largest)]
        return (0..<count).map { flat in
            if alternating, flat % 2 == 1 { return (1 + abs(rng.nextSigned())) * (rng.nextSigned() < 0 ? -1 : 1) }
            let units =
                flat < ends.count && !alternating
                ? ends[flat]
                : Double(rng.nextInt(in: 1...largest)) * (rng.nextSigned() < 0 ? -1 : 1)
            return units * dtype.minSubnormal
        }
    }

    /// Writes the specials at spread-out positions; each input gets a different offset so
    /// that specials of two operands meet in some elements and not in others.
    static func plant(_ specials: [Double], into data: inout [Double], inputIndex: Int) {
        guard !data.isEmpty, !specials.isEmpty else { return }
        let stride = Swift.max(1, data.count / (specials.count + 1))
        for (position, value) in specials.enumerated() {
            data[(inputIndex * 7 + position * stride + position) % data.count] = value
        }
    }
}
