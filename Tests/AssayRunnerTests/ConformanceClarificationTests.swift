import AssayCore
import Testing

@testable import AssayOps
@testable import AssayRunner

/// The spec questions of docs/OPS.md, "Clarifications", each with a deliberately wrong variant
/// that must still fail: a subnormal result flushed to ±0, an accumulator that may overflow, and
/// rms_norm of a row holding ±inf.
@Suite struct ConformanceClarificationTests {
    /// Checks `values` (already in T) as the output of one hand-made case with the op's own model.
    func check(
        _ name: String,
        params: AttrMap,
        dtype: DType,
        inputs: [[Double]],
        values: (RefTensor) -> [Double]
    ) throws
        -> (passed: Bool, evidence: ConformanceEvidence)
    {
        let op = try OpCatalogue.standard.op(named: name)
        let problem = try OpCatalogue.standard.problem(op: name, params: params, attrs: [:], dtype: dtype)
        let references = zip(problem.inputs, inputs).map { RefTensor(shape: $0.shape.dims, data: $1.map(dtype.round)) }
        let expected = op.reference(problem, inputs: references)
        let tolerance = TolerancePolicy.forProblem(problem, model: op.errorModel(for: dtype))
        let output = Tensor(dtype: dtype, shape: problem.output.shape, values: values(expected).map(dtype.round))
        return ConformanceChecker.check(
            expected: expected,
            expectedSpec: problem.output,
            actual: output,
            tolerance: tolerance,
            magnitudes: tolerance.model.needsMagnitudes ? op.magnitudes(problem, inputs: references) : nil,
            context: .init(op: op, problem: problem, inputs: references)
        )
    }

    @Test func aFlushedSubnormalPassesAnInexactOpAndFailsACorrectlyRoundedOne() throws {
        let tiny = 3 * DType.bf16.minSubnormal
        let flush: (RefTensor) -> [Double] = { ref in ref.data.map { abs($0) < DType.bf16.minNormal ? 0 : $0 } }
        let gelu = try check(
            "gelu",
            params: ["shape": .ints([3])],
            dtype: .bf16,
            inputs: [[tiny, 1, -1]],
            values: flush
        )
        #expect(gelu.passed)
        #expect(gelu.evidence.alternatives?.contains { $0.contains("flushed to ±0") } == true)
        let relu = try check(
            "relu",
            params: ["shape": .ints([3])],
            dtype: .bf16,
            inputs: [[tiny, 1, -1]],
            values: flush
        )
        #expect(!relu.passed)
        // Only ±0 is a flush: a wrong nonzero value at the subnormal still fails the inexact op.
        let wrong = try check("gelu", params: ["shape": .ints([3])], dtype: .bf16, inputs: [[tiny, 1, -1]]) { ref in
            ref.data.map { abs($0) < DType.bf16.minNormal ? DType.bf16.minNormal : $0 }
        }
        #expect(!wrong.passed)
    }

    @Test func aNonFiniteResultPassesOnlyWhereTheTermsExceedTheAccumulatorsRange() throws {
        // Row 0 of a: terms 3e38 and −3e38 overflow f32 (Σ|terms| = 6e38) though their sum is 0; row 1 is ordinary.
        let a: [Double] = [3e38, 1, 2, 0]
        let b: [Double] = [1, -3e38]
        let nanWhereOverflowing = try check(
            "matmul",
            params: ["m": .int(2), "n": .int(1), "k": .int(2)],
            dtype: .bf16,
            inputs: [a, b]
        ) { ref in [.nan, ref.data[1]] }
        #expect(nanWhereOverflowing.passed)
        #expect(nanWhereOverflowing.evidence.alternatives?.contains { $0.contains("accumulator may overflow") } == true)
        let nanElsewhere = try check(
            "matmul",
            params: ["m": .int(2), "n": .int(1), "k": .int(2)],
            dtype: .bf16,
            inputs: [a, b]
        ) { ref in [ref.data[0], .nan] }
        #expect(!nanElsewhere.passed)
    }

    @Test func rmsNormAcceptsANaNRowOnlyWhereTheRowHoldsAnInfinity() throws {
        let params: AttrMap = ["shape": .ints([2, 3])]
        let inputs: [[Double]] = [[1, .infinity, -2, 1, 2, 3], [1, 1, 1]]
        let nanRow = try check("rms_norm", params: params, dtype: .f32, inputs: inputs) { ref in
            [.nan, .nan, .nan] + ref.data[3...]
        }
        #expect(nanRow.passed)
        #expect(nanRow.evidence.alternatives?.contains { $0.contains("rms_norm of a row holding ±inf") } == true)
        let nanInFiniteRow = try check("rms_norm", params: params, dtype: .f32, inputs: inputs) { ref in
            Array(ref.data[..<3]) + [.nan, ref.data[4], ref.data[5]]
        }
        #expect(!nanInFiniteRow.passed)
        // layer_norm keeps no such alternative.
        let layer = try check("layer_norm", params: params, dtype: .f32, inputs: inputs + [[0, 0, 0]]) { ref in
            Array(ref.data[..<3]) + [.nan, ref.data[4], ref.data[5]]
        }
        #expect(!layer.passed)
    }
}
