import AssayCore

/// `matmul_int8`: int8 × int8 with exact int32 accumulation.
struct Int8MatmulOp: Operator {
    let name = "matmul_int8"
    let paramNames = ["m", "n", "k"]
    var dtypes: [DType] { [.int8] }
    var specialValues: SpecialValueSet { .none }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let m = try p.int("m")
        let n = try p.int("n")
        let k = try p.int("k")
        guard k <= 133_000 else {
            throw OpError(field: "shapes", "matmul_int8 k=\(k) could overflow int32 accumulation (k ≤ 133000)")
        }
        return p.problem(
            dtype: .int8,
            inputs: [
                TensorSpec(name: "a", dtype: .int8, shape: [m, k]), TensorSpec(name: "b", dtype: .int8, shape: [k, n]),
            ],
            output: TensorSpec(name: "out", dtype: .int32, shape: [m, n]),
            flops: 2 * Double(m) * Double(n) * Double(k),
            reductionLength: k
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let dims = MatmulDims(problem)
        // Exact: |sum| < 2^53.
        let out = ProductReference.multiply(inputs[0].data, inputs[1].data, dims, bTransposed: false)
        return RefTensor(shape: [dims.m, dims.n], data: out)
    }
}

extension Int8MatmulOp {
    func errorModel(for dtype: DType) -> ErrorModel { .exact }
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        index.count == 2 ? "a row \(index[0]) · b column \(index[1])" : nil
    }
}
