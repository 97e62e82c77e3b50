import AssayCore

/// `reshape`: the same values in row-major order under a new shape (`to`, one dim may be −1).
struct ReshapeOp: MovesValues {
    let name = "reshape"
    let paramNames = ["shape"]
    var attrDefaults: AttrMap { ["to": .ints([-1])] }

    /// `to` with its −1 resolved so the element count is kept.
    static func target(_ to: [Int], elements: Int, op: String) throws -> [Int] {
        guard to.allSatisfy({ $0 >= -1 }), to.filter({ $0 == -1 }).count <= 1 else {
            throw OpError(field: "attrs", "\(op) to \(to) may hold dims ≥ 0 and at most one −1")
        }
        let known = to.filter { $0 != -1 }.reduce(1) {
            $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1
        }
        guard let free = to.firstIndex(of: -1) else {
            guard known == elements else {
                throw OpError(field: "attrs", "\(op) to \(to) holds \(known) elements, the input \(elements)")
            }
            return to
        }
        guard known > 0, elements % known == 0 else {
            throw OpError(field: "attrs", "\(op) to \(to): \(elements) elements do not divide into dims of \(known)")
        }
        var dims = to
        dims[free] = elements / known
        return dims
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        let out = try ReshapeOp.target(try p.ints("to"), elements: shape.elementCount, op: name)
        return p.movement(dtype: dtype, input: shape, output: Shape(out))
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        RefTensor(shape: problem.output.shape.dims, data: inputs[0].data)
    }
}

extension ReshapeOp {
    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        let flat = zip(index, problem.output.shape.strides).reduce(0) { $0 + $1.0 * $1.1 }
        return "x element \(flat) (row-major)"
    }
}
