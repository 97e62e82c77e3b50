/// The sizes of a (batched) matmul problem, read in one place for the reference and the native kernels.
public struct MatmulDims: Sendable {
    /// Batch count (1 when the problem has no `b`).
    public let batch: Int, m: Int, n: Int, k: Int
    public let transposeA: Bool, transposeB: Bool

    public init(_ problem: OpProblem) {
        batch = problem.params["b"]?.intValue ?? 1
        (m, n, k) = (problem.int("m"), problem.int("n"), problem.int("k"))
        (transposeA, transposeB) = (problem.attrBool("transpose_a"), problem.attrBool("transpose_b"))
    }
}
