import AssayBackend
import AssayCore
import AssayOps
import Testing

@testable import AssayRunner

/// The native backend's kernels of the ops model graphs need (issue 17) pass every one of their
/// conformance cases (special values, ties and empty dims included); FaultClassTests and
/// LazyBackendSweepTests show the same cases fail wrong implementations.
@Suite struct GraphOpsNativeTests {
    static let ops = [
        "reshape", "concat", "slice", "gather", "repeat_interleave", "argmax", "topk", "where", "masked_fill", "cast",
        "batch_norm",
    ]

    @Test(arguments: ops)
    func theNativeBackendPassesEveryCase(op: String) throws {
        let backend = NativeCPUBackend(threads: 2)
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: nil,
            systemChecker: nil
        )
        let cases = ConformanceCases.cases(of: op)
        #expect(cases.count >= 12, "\(op): \(cases.count) conformance cases")
        let failed = cases.map { executor.run(.op($0)) }.filter { $0.outcome != .pass }.map {
            "\($0.id): \($0.message ?? "")"
        }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
    }

    @Test func anOutOfRangeGatherIndexIsAnErrorNotACrash() throws {
        let problem = try OpCatalogue.standard.problem(
            op: "gather",
            params: ["shape": .ints([4, 3]), "count": .int(2)],
            attrs: [:],
            dtype: .f32
        )
        let x = Tensor(dtype: .f32, shape: [4, 3], values: Array(repeating: 1, count: 12))
        let indices = Tensor(dtype: .int32, shape: [2], values: [1, 4])
        #expect(throws: BackendError.self) { try NativeCPUBackend(threads: 1).execute(problem, inputs: [x, indices]) }
    }
}
