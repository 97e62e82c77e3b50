import AssayCore
import AssayOps

/// Compares a backend's output with the float64 reference under the tolerance policy,
/// and gathers the evidence a failure needs.
public enum ConformanceChecker {
    /// How many mismatching elements the evidence quotes.
    static let sampleLimit = 5

    public static func check(expected: RefTensor, expectedSpec: TensorSpec, actual: Tensor, tolerance: TolerancePolicy) -> (passed: Bool, evidence: ConformanceEvidence) {
        var structural: [String] = []
        if actual.dtype != expectedSpec.dtype { structural.append("dtype: expected \(expectedSpec.dtype.rawValue), got \(actual.dtype.rawValue)") }
        if actual.shape.dims != expected.shape { structural.append("shape: expected \(Shape(expected.shape)), got \(actual.shape)") }
        guard structural.isEmpty else {
            return (false, ConformanceEvidence(rtol: tolerance.rtol, atol: tolerance.atol, maxAbsError: .nan, maxRelError: .nan, worstIndex: nil,
                                              mismatches: expected.data.count, elements: expected.data.count, samples: [], structural: structural))
        }
        let values = actual.values()
        var maxAbs = 0.0, maxRel = 0.0, mismatches = 0
        var worst: (index: Int, excess: Double)? = nil
        var samples: [ConformanceEvidence.Sample] = []
        let shape = Shape(expected.shape)
        for (index, (want, got)) in zip(expected.data, values).enumerated() {
            let ok = tolerance.accepts(actual: got, expected: want, dtype: expectedSpec.dtype)
            let error = want.isFinite && got.isFinite ? abs(got - want) : (want.isNaN && got.isNaN) || want == got ? 0 : .infinity
            if error.isFinite || !ok {
                maxAbs = Swift.max(maxAbs, error)
                if want != 0 { maxRel = Swift.max(maxRel, error / abs(want)) }
            }
            let excess = ok ? error - (tolerance.atol + tolerance.rtol * abs(want)) : .infinity
            if !ok {
                mismatches += 1
                if samples.count < sampleLimit { samples.append(.init(index: multiIndex(index, shape: shape), expected: want, actual: got)) }
            }
            // The worst element is the one furthest beyond its allowance (a non-finite miss counts as infinitely far).
            if worst == nil || excess > worst!.excess { worst = (index, excess) }
        }
        let evidence = ConformanceEvidence(rtol: tolerance.rtol, atol: tolerance.atol, maxAbsError: maxAbs, maxRelError: maxRel,
                                           worstIndex: worst.map { multiIndex($0.index, shape: shape) }, mismatches: mismatches,
                                           elements: values.count, samples: samples, structural: [])
        return (mismatches == 0, evidence)
    }

    static func multiIndex(_ flat: Int, shape: Shape) -> [Int] {
        var rest = flat
        return shape.strides.map { stride in
            defer { rest %= Swift.max(1, stride) }
            return rest / Swift.max(1, stride)
        }
    }
}
