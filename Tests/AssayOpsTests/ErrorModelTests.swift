import Testing

@testable import AssayCore
@testable import AssayOps

/// The per-op error model: correct rounding, ulps, and an accumulation bound that scales with Σ|terms|.
@Suite struct ErrorModelTests {
    func policy(
        _ op: String,
        _ params: AttrMap,
        dtype: DType,
        attrs: AttrMap = [:]
    ) throws -> (OpProblem, TolerancePolicy, any Operator) {
        let catalogue = OpCatalogue.standard
        let problem = try catalogue.problem(op: op, params: params, attrs: attrs, dtype: dtype)
        let op = try catalogue.op(named: op)
        return (problem, .forProblem(problem, model: op.errorModel(for: dtype)), op)
    }

    @Test func singleRoundingOpsMustBeRoundedToNearestEven() throws {
        let (_, add, _) = try policy("add", ["a": .ints([1]), "b": .ints([1])], dtype: .bf16)
        let exact = 1.0 + 3 * DType.bf16.ulp(at: 1) / 4  // 1 + ¾ ulp: nearest is 1 + ulp, truncation gives 1
        #expect(add.judge(actual: 1 + DType.bf16.ulp(at: 1), expected: exact, magnitude: exact).ok)
        #expect(!add.judge(actual: 1, expected: exact, magnitude: exact).ok)
        // A tie goes to the even neighbour.
        let tie = 1.0 + DType.bf16.ulp(at: 1) / 2
        #expect(add.judge(actual: 1, expected: tie, magnitude: tie).ok)
        #expect(!add.judge(actual: 1 + DType.bf16.ulp(at: 1), expected: tie, magnitude: tie).ok)
    }

    @Test func transcendentalOpsGetTheirStatedUlps() throws {
        let (_, gelu, _) = try policy("gelu", ["shape": .ints([1])], dtype: .f32)
        #expect(gelu.model == .ulps(8))
        let ulp = DType.f32.ulp(at: 0.3)
        #expect(gelu.judge(actual: 0.3 + 8 * ulp, expected: 0.3, magnitude: 0.3).ok)
        #expect(!gelu.judge(actual: 0.3 + 9 * ulp, expected: 0.3, magnitude: 0.3).ok)
    }

    @Test func theAccumulationAllowanceScalesWithTheMagnitudes() throws {
        let (_, sum, _) = try policy("reduce_sum", ["shape": .ints([4, 1024])], dtype: .f32)
        let small = sum.judge(actual: 0, expected: 0, magnitude: 1).allowance
        let large = sum.judge(actual: 0, expected: 0, magnitude: 1000).allowance
        #expect(large > 900 * small && large < 1100 * small)
        // λ·u·√L·M with u of f32 and L = 1024: 6 · 2⁻²⁴ · 32 · 1000.
        #expect(abs(large - 6 * 0x1p-24 * 32 * 1000) < 1e-9)
    }

    /// The example: a softmax that returns 1/N passed every random f16/bf16 case under atol·√L.
    @Test func aUniformSoftmaxFailsInNarrowDTypes() throws {
        for dtype in [DType.f16, .bf16] {
            let (problem, tolerance, op) = try policy("softmax", ["shape": .ints([4, 1024])], dtype: dtype)
            let inputs = InputGenerator.inputs(for: problem, values: .random, seed: 7, caseID: "t", specials: .all).map(
                RefTensor.init
            )
            let expected = op.reference(problem, inputs: inputs).data
            let magnitudes = op.magnitudes(problem, inputs: inputs)
            let misses = expected.indices.filter {
                !tolerance.judge(actual: dtype.round(1.0 / 1024), expected: expected[$0], magnitude: magnitudes[$0]).ok
            }
            #expect(misses.count > expected.count / 2, "\(dtype): \(misses.count) misses")
        }
    }

    @Test func specialValueRulesHoldInEveryModel() throws {
        let (_, add, _) = try policy("add", ["a": .ints([1]), "b": .ints([1])], dtype: .f16)
        #expect(add.judge(actual: .infinity, expected: 70000, magnitude: 70000).ok)  // rounds to +inf in f16
        #expect(!add.judge(actual: 65504, expected: 70000, magnitude: 70000).ok)
        #expect(!add.judge(actual: 0, expected: .nan, magnitude: 0).ok)
        #expect(!add.judge(actual: .nan, expected: 1, magnitude: 1).ok)
    }

    @Test func aSuiteOverrideNeedsAReasonAndIsRecorded() throws {
        #expect(throws: InputError.self) {
            try Suite.parse(
                text: "id: t\ncases:\n  - {op: add, shapes: [{a: [2], b: [2]}], rtol: 0.1}\n",
                file: "t.yaml",
                validator: OpCatalogue.standard
            )
        }
        let suite = try Suite.parse(
            text:
                "id: t\ncases:\n  - {op: add, shapes: [{a: [2], b: [2]}], rtol: 0.1, tolerance_reason: \"vendor rounding, BUG-3\"}\n",
            file: "t.yaml",
            validator: OpCatalogue.standard
        )
        #expect(suite.entries[0].toleranceReason == "vendor rounding, BUG-3")
        let problem = try OpCatalogue.standard.problem(
            op: "add",
            params: ["a": .ints([2]), "b": .ints([2])],
            attrs: [:],
            dtype: .f32
        )
        let loosened = TolerancePolicy.forProblem(
            problem,
            model: .correctlyRounded,
            rtol: 0.1,
            reason: "vendor rounding"
        )
        #expect(loosened.overrideReason == "vendor rounding" && loosened.summary.contains("vendor rounding"))
        #expect(loosened.judge(actual: 1.05, expected: 1, magnitude: 1).ok)
    }

    @Test func valuesPrintAsTheShortestRoundTripInTheirDType() {
        #expect(DType.f32.shortest(Double(Float(0.1))) == "0.1")
        #expect(DType.bf16.shortest(DType.bf16.round(0.1)) == "0.1")
        #expect(DType.f16.shortest(DType.f16.round(1.0 / 3)) == "0.3333")
        #expect(
            DType.f16.shortest(DType.f16.round(1.0 / 6))
                != DType.f16.shortest(DType.f16.round(1.0 / 6) + DType.f16.ulp(at: 1.0 / 6))
        )
        #expect(DType.f64.shortest(.nan) == "NaN" && DType.bf16.shortest(-.infinity) == "-inf")
        #expect(DType.int32.shortest(-7) == "-7")
        for dtype in [DType.f16, .bf16, .f32] {
            for x in [1.0 / 3, 1e-5, 12345.678, -2.5e-7] {
                let value = dtype.round(x)
                #expect(dtype.round(Double(dtype.shortest(value))!) == value, "\(dtype) \(value)")
            }
        }
    }
}
