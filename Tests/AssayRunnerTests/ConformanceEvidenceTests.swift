import AssayCore
import Testing

@testable import AssayOps
@testable import AssayRunner

/// The evidence of a failing case: the worst element, spread samples, per-axis counts, the inputs
/// behind each quoted element, NaN/inf said as such, and accepted alternatives recorded.
@Suite struct ConformanceEvidenceTests {
    func check(
        op name: String,
        params: AttrMap,
        dtype: DType = .f32,
        values: InputValues = .random,
        corrupt: (inout [Double], [RefTensor]) -> Void
    ) throws -> ConformanceEvidence {
        let op = try OpCatalogue.standard.op(named: name)
        let problem = try OpCatalogue.standard.problem(op: name, params: params, attrs: [:], dtype: dtype)
        let inputs = InputGenerator.inputs(
            for: problem,
            values: values,
            seed: 3,
            caseID: "t",
            specials: op.specialValues
        ).map(RefTensor.init)
        let expected = op.reference(problem, inputs: inputs)
        var actual = expected.data.map { dtype.round($0) }
        corrupt(&actual, inputs)
        let tolerance = TolerancePolicy.forProblem(problem, model: op.errorModel(for: dtype))
        return ConformanceChecker.check(
            expected: expected,
            expectedSpec: problem.output,
            actual: Tensor(dtype: dtype, shape: problem.output.shape, values: actual),
            tolerance: tolerance,
            magnitudes: tolerance.model.needsMagnitudes ? op.magnitudes(problem, inputs: inputs) : nil,
            context: .init(op: op, problem: problem, inputs: inputs)
        ).evidence
    }

    @Test func theWorstElementIsTheFurthestBeyondItsAllowanceAndNonFiniteRanksFirst() throws {
        let shape: AttrMap = ["a": .ints([6, 8]), "b": .ints([6, 8])]
        let finite = try check(op: "add", params: shape) { values, _ in
            values[3] += 0.01
            values[20] += 0.5
            values[40] += 0.2
        }
        #expect(finite.mismatches == 3 && finite.worstIndex == [2, 4])
        #expect(finite.samples.first?.role == "worst" && finite.samples.first?.index == [2, 4])
        let nonFinite = try check(op: "add", params: shape) { values, _ in
            values[20] += 0.5
            values[33] = .nan
        }
        #expect(nonFinite.worstIndex == [4, 1])
        // Ties keep the first element: the choice does not depend on anything but the data.
        let tied = try check(op: "add", params: shape) { values, _ in
            values[10] = .infinity
            values[12] = .infinity
        }
        #expect(tied.worstIndex == [1, 2])
    }

    @Test func samplesSpreadOverRowsAndAxisCountsShowAWrongColumn() throws {
        let evidence = try check(op: "add", params: ["a": .ints([16, 8]), "b": .ints([16, 8])]) { values, _ in
            for row in 0..<16 { values[row * 8 + 5] += 1 }
        }
        #expect(evidence.mismatches == 16)
        #expect(
            Set(evidence.samples.map { $0.index[0] }).count == evidence.samples.count && evidence.samples.count == 5
        )
        #expect(evidence.samples.map(\.role).prefix(2) == ["worst", "first"])
        let columns = try #require(evidence.axisCounts?.first { $0.axis == 1 })
        #expect(columns.top.first == [5, 16] && columns.distinct == 1)
        #expect(evidence.axisCounts?.first { $0.axis == 0 }?.distinct == 16)
    }

    @Test func nanAndInfMissesSaySoWithTheOperands() throws {
        let evidence = try check(op: "relu", params: ["shape": .ints([64])], values: .special) { values, _ in
            for index in values.indices where values[index].isNaN { values[index] = 0 }
        }
        let sample = try #require(evidence.samples.first)
        #expect(
            ConformanceEvidence.describe(expected: sample.expected, actual: sample.actual, dtype: evidence.dtype)
                == "expected NaN, got 0.0"
        )
        #expect(sample.inputs == "x=NaN")
        #expect(ConformanceChecker.missSummary(evidence).contains("expected NaN, got 0.0"))
        let add = try check(op: "add", params: ["a": .ints([4]), "b": .ints([4])]) { values, _ in values[2] = .infinity
        }
        #expect(add.samples.first?.inputs?.hasPrefix("a=") == true)
        #expect(ConformanceEvidence.describe(expected: 3.2, actual: .infinity, dtype: .f32) == "expected 3.2, got +inf")
    }

    @Test func rowOpsQuoteTheRowStatistics() throws {
        let evidence = try check(op: "softmax", params: ["shape": .ints([4, 32])]) { values, _ in values[40] *= 1.01 }
        #expect(evidence.samples.first?.inputs?.hasPrefix("row of 32: min ") == true)
        #expect(evidence.maxUlps.map { $0 > 1 } == true)
    }

    /// torch's silu(-inf) = NaN is an accepted alternative to the limit −0, and the record says so.
    @Test func anAcceptedAlternativeIsRecorded() throws {
        let evidence = try check(op: "silu", params: ["shape": .ints([64])], values: .special) { values, inputs in
            for index in values.indices where inputs[0].data[index] == -.infinity { values[index] = .nan }
        }
        #expect(evidence.mismatches == 0)
        #expect(evidence.alternatives?.first?.contains("silu(-inf) = NaN instead of -0.0") == true)
    }
}
