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
        let first = InputGenerator.inputs(for: problem, values: .random, seed: 1, caseID: "a", specials: .none).map { $0.floats() }
        let second = InputGenerator.inputs(for: problem, values: .random, seed: 2, caseID: "b", specials: .none).map { $0.floats() }
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
}
