import AssayCore

/// `embedding`: rows of a weight table gathered by int32 indices.
struct EmbeddingOp: MovesValues {
    let name = "embedding"
    let paramNames = ["vocab", "dim", "tokens"]

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let vocab = try p.int("vocab", minimum: 1)
        let dim = try p.int("dim")
        let tokens = try p.int("tokens")
        return p.problem(
            dtype: dtype,
            inputs: [
                TensorSpec(name: "indices", dtype: .int32, shape: [tokens], role: .indices(upperBound: vocab)),
                TensorSpec(name: "weight", dtype: dtype, shape: [vocab, dim]),
            ],
            output: TensorSpec(name: "out", dtype: dtype, shape: [tokens, dim]),
            flops: 0,
            reductionLength: 1,
            // Only the gathered rows are read, not the whole table.
            minimumBytes: Double(tokens) * 4 + 2 * Double(tokens) * Double(dim) * Double(dtype.byteWidth)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let dim = problem.int("dim")
        let weight = inputs[1].data
        var out: [Double] = []
        out.reserveCapacity(inputs[0].data.count * dim)
        for index in inputs[0].data.map({ Int($0) }) {
            out.append(contentsOf: weight[(index * dim)..<((index + 1) * dim)])
        }
        return RefTensor(shape: problem.output.shape.dims, data: out)
    }
}

extension EmbeddingOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        guard let token = index.first, inputs[0].data.indices.contains(token) else { return nil }
        return "token \(token) → weight row \(Int(inputs[0].data[token]))"
    }
}
