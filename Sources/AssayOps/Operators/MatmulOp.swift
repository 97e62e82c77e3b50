import AssayCore

/// `matmul`: op(A)·op(B), optionally batched; transposes describe how A and B are stored.
struct MatmulOp: Operator {
    let name = "matmul"
    let paramNames = ["b", "m", "n", "k"]
    var optionalParams: Set<String> { ["b"] }
    var attrDefaults: AttrMap { ["transpose_a": .bool(false), "transpose_b": .bool(false)] }
    var specialValues: SpecialValueSet { .withoutNearMax }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let batch = try p.optionalInt("b", minimum: 1)
        let m = try p.int("m")
        let n = try p.int("n")
        let k = try p.int("k")
        let ta = try p.bool("transpose_a")
        let tb = try p.bool("transpose_b")
        let prefix = batch.map { [$0] } ?? []
        let a = TensorSpec(name: "a", dtype: dtype, shape: Shape(prefix + (ta ? [k, m] : [m, k])))
        let b = TensorSpec(name: "b", dtype: dtype, shape: Shape(prefix + (tb ? [n, k] : [k, n])))
        let out = TensorSpec(name: "out", dtype: dtype, shape: Shape(prefix + [m, n]))
        return p.problem(
            dtype: dtype,
            inputs: [a, b],
            output: out,
            flops: 2 * Double(batch ?? 1) * Double(m) * Double(n) * Double(k),
            reductionLength: k
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let dims = MatmulDims(problem)
        let (batch, m, n, k, ta, tb) = (dims.batch, dims.m, dims.n, dims.k, dims.transposeA, dims.transposeB)
        let a = inputs[0].data
        let b = inputs[1].data
        var out = [Double](repeating: 0, count: batch * m * n)
        for batchIndex in 0..<batch {
            let aBase = batchIndex * m * k
            let bBase = batchIndex * k * n
            let outBase = batchIndex * m * n
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k {
                        let aValue = ta ? a[aBase + p * m + i] : a[aBase + i * k + p]
                        let bValue = tb ? b[bBase + j * k + p] : b[bBase + p * n + j]
                        sum += aValue * bValue
                    }
                    out[outBase + i * n + j] = sum
                }
            }
        }
        return RefTensor(shape: problem.output.shape.dims, data: out)
    }
}

extension MatmulOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let n = index.count
        return n >= 2 ? "row \(index[n - 2]) of the left operand · column \(index[n - 1]) of the right" : nil
    }
}
