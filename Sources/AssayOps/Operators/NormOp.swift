import AssayCore
import Foundation

/// `layer_norm` (mean and biased variance, weight and bias) and `rms_norm` (root mean square, weight)
/// over the last dim.
struct NormOp: Operator {
    enum Kind: Sendable { case layer, rms }
    let kind: Kind
    let name: String
    let paramNames = ["shape"]
    var specialValues: SpecialValueSet { .withoutNearMax }
    var attrDefaults: AttrMap { ["eps": .double(kind == .layer ? 1e-5 : 1e-6)] }

    init(_ kind: Kind) {
        self.kind = kind
        self.name = kind == .layer ? "layer_norm" : "rms_norm"
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let shape = Shape(try p.shape("shape"))
        guard shape.rank >= 1 else { throw OpError(field: "shapes", "\(name) needs rank ≥ 1") }
        guard try p.double("eps") >= 0 else { throw OpError(field: "attrs", "\(name) eps must be ≥ 0") }
        let n = shape.dims.last!
        var inputs = [
            TensorSpec(name: "x", dtype: dtype, shape: shape),
            TensorSpec(name: "weight", dtype: dtype, shape: [n], role: .parameter),
        ]
        if kind == .layer { inputs.append(TensorSpec(name: "bias", dtype: dtype, shape: [n], role: .parameter)) }
        return p.problem(
            dtype: dtype,
            inputs: inputs,
            output: TensorSpec(name: "out", dtype: dtype, shape: shape),
            flops: (kind == .layer ? 8 : 5) * Double(shape.elementCount),
            reductionLength: Swift.max(1, n)
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let shape = inputs[0].shape
        let eps = problem.attrDouble("eps") ?? 0
        let weight = inputs[1].data
        let bias = kind == .layer ? inputs[2].data : nil
        let slices = AxisSlices(shape: shape, axis: shape.count - 1)
        let out = slices.map(inputs[0].data) { row in
            let n = Double(row.count)
            switch kind {
            case .layer:
                let mean = row.reduce(0, +) / n
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
                let inverse = 1 / (variance + eps).squareRoot()
                return row.indices.map { (row[$0] - mean) * inverse * weight[$0] + bias![$0] }
            case .rms:
                let inverse = 1 / (row.map { $0 * $0 }.reduce(0, +) / n + eps).squareRoot()
                return row.indices.map { row[$0] * inverse * weight[$0] }
            }
        }
        return RefTensor(shape: shape, data: out)
    }
}

extension NormOp {
    /// Mean, variance, rsqrt and the affine step on top of the row sums.
    func errorModel(for dtype: DType) -> ErrorModel { .accumulation(extraRoundings: 4) }

    /// The row sums' errors reach the output through r = 1/√(var + eps): the mean's error
    /// (scale mean|x|) and the centred value's (|x − μ|) are multiplied by r·|w|; the bias adds |b|.
    /// RMS norm has no mean: |x|·r·|w|.
    func magnitudes(_ problem: OpProblem, inputs: [RefTensor]) -> [Double] {
        let shape = inputs[0].shape
        let eps = problem.attrDouble("eps") ?? 0
        let weight = inputs[1].data
        let bias = kind == .layer ? inputs[2].data : nil
        let slices = AxisSlices(shape: shape, axis: shape.count - 1)
        return slices.map(inputs[0].data) { row in
            let n = Double(row.count)
            switch kind {
            case .layer:
                let mean = row.reduce(0, +) / n
                let meanAbs = row.map(abs).reduce(0, +) / n
                let r = 1 / (row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n + eps).squareRoot()
                return row.indices.map { (abs(row[$0] - mean) + meanAbs) * r * abs(weight[$0]) + abs(bias![$0]) }
            case .rms:
                let r = 1 / (row.map { $0 * $0 }.reduce(0, +) / n + eps).squareRoot()
                return row.indices.map { abs(row[$0]) * r * abs(weight[$0]) }
            }
        }
    }

    /// rms_norm of a row holding ±inf: the mean square is inf, the scale 1/√ms is 0 and the inf
    /// element itself gives inf·0 = NaN, so the limit (±0 elsewhere) is one answer of a degenerate
    /// row; an overflow-safe sum of squares (scaled by the row's max, as in BLAS nrm2) gives NaN
    /// for the whole row. Both are accepted (docs/OPS.md, "Clarifications").
    func acceptedDeviation(_ element: DeviatingElement) -> String? {
        let (inputs, flat, expected, actual) = (element.inputs, element.flat, element.expected, element.actual)
        guard kind == .rms, actual.isNaN, expected.isFinite else { return nil }
        let n = Swift.max(1, inputs[0].shape.last ?? 1)
        let start = flat / n * n
        guard inputs[0].data[start..<Swift.min(start + n, inputs[0].data.count)].contains(where: \.isInfinite) else {
            return nil
        }
        return
            "rms_norm of a row holding ±inf = NaN instead of the limit ±0 (overflow-safe scaled sum of squares: inf/inf)"
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        FeedingText.row(
            FeedingText.slice(inputs[0], axis: inputs[0].shape.count - 1, through: index),
            dtype: problem.dtype
        )
    }
}
