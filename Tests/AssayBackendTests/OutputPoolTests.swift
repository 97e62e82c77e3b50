import Testing

@testable import AssayBackend
@testable import AssayCore
@testable import AssayOps

/// Pooled outputs (benchmark calls) give the same answers as fresh ones, and never change a
/// result the caller still holds.
@Suite struct OutputPoolTests {
    @Test(arguments: ["copy", "softmax", "gelu", "add", "layer_norm", "matmul"])
    func pooledCallsMatchFreshOnesAndLeaveHeldResultsAlone(op: String) throws {
        let params: AttrMap
        switch op {
        case "add": params = ["a": .ints([64, 33]), "b": .ints([64, 33])]
        case "matmul": params = ["m": .int(17), "n": .int(9), "k": .int(33)]
        default: params = ["shape": .ints([64, 33])]
        }
        let problem = try OpCatalogue.standard.problem(op: op, params: params, attrs: [:], dtype: .f32)
        let first = InputGenerator.inputs(for: problem, values: .random, seed: 1, caseID: "a", specials: .none).map {
            $0.floats()
        }
        let second = InputGenerator.inputs(for: problem, values: .random, seed: 2, caseID: "b", specials: .none).map {
            $0.floats()
        }
        let fresh = NativeKernels<Float>(threads: 2)
        let pooled = NativeKernels<Float>(threads: 2, pool: OutputPool())
        let held = try pooled.run(problem, first)
        let heldCopy = Array(held)
        let next = try pooled.run(problem, second)
        #expect(held == heldCopy, "\(op): a held result changed")
        #expect(held == (try fresh.run(problem, first)))
        #expect(next == (try fresh.run(problem, second)))
        #expect(try pooled.run(problem, first) == held)
    }

    /// The f16/bf16 direct paths (add, softmax, bf16 matmul) with their benchmark pools: a held
    /// result is left alone, and pooled calls match fresh ones.
    @Test(arguments: ["add", "softmax", "matmul"])
    func lowPrecisionPoolsLeaveHeldResultsAlone(op: String) throws {
        let params: AttrMap =
            op == "add"
            ? ["a": .ints([64, 33]), "b": .ints([64, 33])]
            : op == "matmul" ? ["m": .int(17), "n": .int(40), "k": .int(33)] : ["shape": .ints([64, 33])]
        let problem = try OpCatalogue.standard.problem(op: op, params: params, attrs: [:], dtype: .bf16)
        let first = InputGenerator.inputs(for: problem, values: .random, seed: 1, caseID: "a", specials: .none)
        let second = InputGenerator.inputs(for: problem, values: .random, seed: 2, caseID: "b", specials: .none)
        let fresh = NativeCPUBackend(threads: 2)
        let pooled = NativeCPUBackend(threads: 2)
        pooled.lowPrecisionBytes = OutputPool()
        pooled.lowPrecisionFloats = OutputPool()
        let held = try pooled.compute(problem, first)
        let heldBytes = held.bytes
        let next = try pooled.compute(problem, second)
        #expect(held.bytes == heldBytes, "\(op): a held result changed")
        #expect(held == (try fresh.compute(problem, first)))
        #expect(next == (try fresh.compute(problem, second)))
    }
}
