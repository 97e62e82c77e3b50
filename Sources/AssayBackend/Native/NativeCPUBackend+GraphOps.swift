import AssayCore
import AssayOps

/// The native kernels of the ops model graphs add (issue 17): data movement on raw bytes (exact in
/// every dtype, NaN payloads included), argmax/topk, cast, and batch_norm in the working float.
extension NativeCPUBackend {
    /// The result when `problem` is one of these ops; nil hands it on to the rest of the dispatch.
    func graphOp(_ problem: OpProblem, _ inputs: [Tensor]) throws -> Tensor? {
        let outShape = problem.output.shape.dims
        func axis(rank: Int) -> Int {
            let raw = problem.attrs["axis"]?.intValue ?? 0
            return raw < 0 ? raw + rank : raw
        }
        guard let family = catalogue.family(of: problem.op) else { return nil }
        switch family {
        case .reshape:
            return try Tensor(dtype: problem.dtype, shape: problem.output.shape, bytes: inputs[0].bytes)
        case .concat:
            let along = axis(rank: outShape.count)
            let rows = inputs.enumerated().flatMap { piece, tensor in (0..<tensor.shape.dims[along]).map { (piece, $0) }
            }
            return try moveRows(problem, from: inputs, axis: along, rows: rows)
        case .slice:
            let along = axis(rank: outShape.count)
            let start = problem.attrs["start"]?.intValue ?? 0
            return try moveRows(
                problem,
                from: inputs,
                axis: along,
                rows: (start..<(start + outShape[along])).map { (0, $0) }
            )
        case .gather:
            let along = axis(rank: outShape.count)
            let length = inputs[0].shape.dims[along]
            let rows = try inputs[1].values().map { value -> (Int, Int) in
                guard (0..<length).contains(Int(value)) else {
                    throw BackendError.invalid("gather index \(Int(value)) outside [0, \(length))")
                }
                return (0, Int(value))
            }
            return try moveRows(problem, from: [inputs[0]], axis: along, rows: rows)
        case .repeatInterleave:
            let along = axis(rank: outShape.count)
            let repeats = problem.attrs["repeats"]?.intValue ?? 1
            return try moveRows(
                problem,
                from: inputs,
                axis: along,
                rows: (0..<outShape[along]).map { (0, $0 / repeats) }
            )
        case .select:
            return try select(problem, inputs)
        case .selection:
            return try positions(problem, inputs[0])
        case .cast:
            // Tensor rounds each exact value once, to nearest even, straight into the target dtype.
            return Tensor(dtype: problem.output.dtype, shape: problem.output.shape, values: inputs[0].values())
        case .batchNorm:
            if problem.dtype == .f64 {
                return Tensor(
                    dtype: .f64,
                    shape: problem.output.shape,
                    values: batchNorm(problem, inputs.map { $0.values() })
                )
            }
            let result: [Float] = batchNorm(problem, inputs.map(FloatConversion.floats(of:)))
            return FloatConversion.tensor(from: result, dtype: problem.dtype, shape: problem.output.shape)
        default:
            return nil
        }
    }

    /// Output row r along `axis` is row `rows[r].1` of `sources[rows[r].0]`, for every outer index.
    private func moveRows(_ problem: OpProblem, from sources: [Tensor], axis: Int, rows: [(Int, Int)]) throws -> Tensor
    {
        let outShape = problem.output.shape.dims
        let outer = outShape[..<axis].reduce(1, *)
        let rowBytes = outShape[(axis + 1)...].reduce(1, *) * problem.dtype.byteWidth
        let lengths = sources.map { $0.shape.dims[axis] }
        var out = [UInt8](repeating: 0, count: outer * rows.count * rowBytes)
        out.withUnsafeMutableBytes { target in
            guard rowBytes > 0 else { return }
            var offset = 0
            for o in 0..<outer {
                for (source, row) in rows {
                    sources[source].withUnsafeBytes { from in
                        (target.baseAddress! + offset).copyMemory(
                            from: from.baseAddress! + (o * lengths[source] + row) * rowBytes,
                            byteCount: rowBytes
                        )
                    }
                    offset += rowBytes
                }
            }
        }
        return try Tensor(dtype: problem.dtype, shape: problem.output.shape, bytes: out)
    }

    /// where: cond ? a : b; masked_fill: mask ? value : x — element bytes chosen, never converted.
    private func select(_ problem: OpProblem, _ inputs: [Tensor]) throws -> Tensor {
        let fill = problem.op == "masked_fill"
        let mask = fill ? inputs[1] : inputs[0]
        let width = problem.dtype.byteWidth
        let chosen = fill ? inputs[0].bytes : inputs[1].bytes
        let other =
            fill
            ? Tensor(dtype: problem.dtype, shape: [1], values: [problem.attrDouble("value") ?? 0]).bytes
            : inputs[2].bytes
        let sourceOfMask = Broadcast.sourceIndices(of: mask.shape.dims, into: problem.output.shape.dims)
        var out = [UInt8](repeating: 0, count: sourceOfMask.count * width)
        for (flat, source) in sourceOfMask.enumerated() {
            // where takes a when set; masked_fill takes the value when set.
            let takeFirst = (mask.bytes[source] != 0) != fill
            for byte in 0..<width {
                out[flat * width + byte] =
                    takeFirst ? chosen[flat * width + byte] : other[fill ? byte : flat * width + byte]
            }
        }
        return try Tensor(dtype: problem.dtype, shape: problem.output.shape, bytes: out)
    }

    /// argmax / topk positions along the axis: NaN above every number, ties to the lower position.
    private func positions(_ problem: OpProblem, _ x: Tensor) throws -> Tensor {
        let shape = x.shape.dims
        let raw = problem.attrs["axis"]?.intValue ?? -1
        let along = raw < 0 ? raw + shape.count : raw
        let length = shape[along]
        let inner = shape[(along + 1)...].reduce(1, *)
        let outer = shape[..<along].reduce(1, *)
        let k = problem.op == "argmax" ? 1 : problem.attrs["k"]?.intValue ?? 1
        let values = x.values()
        var out = [Int32](repeating: 0, count: outer * k * inner)
        func above(_ a: Double, _ b: Double) -> Bool { a.isNaN ? !b.isNaN : a > b }
        for o in 0..<outer {
            for i in 0..<inner {
                let at = { (j: Int) in values[(o * length + j) * inner + i] }
                if k == 1, length > 0 {
                    var best = 0
                    for j in 1..<Swift.max(1, length) where above(at(j), at(best)) { best = j }
                    out[o * inner + i] = Int32(best)
                    continue
                }
                // Selection by a strict order: a lower position wins every tie.
                let ranked = (0..<length).sorted { above(at($0), at($1)) || (!above(at($1), at($0)) && $0 < $1) }
                for (rank, position) in ranked.prefix(k).enumerated() {
                    out[(o * k + rank) * inner + i] = Int32(position)
                }
            }
        }
        return try Tensor(dtype: .int32, shape: problem.output.shape, bytes: out.withUnsafeBytes { Array($0) })
    }

    /// (x − mean)·r·w + b with r = 1/√(var + eps) computed once per channel in the working float.
    private func batchNorm<T: BinaryFloatingPoint>(_ problem: OpProblem, _ inputs: [[T]]) -> [T] {
        let shape = problem.inputs[0].shape.dims
        let c = shape[1]
        let inner = shape[2...].reduce(1, *)
        let eps = T(problem.attrDouble("eps") ?? 0)
        let scale = (0..<c).map { 1 / (inputs[2][$0] + eps).squareRoot() }
        var out = inputs[0]
        for flat in out.indices {
            let channel = (flat / Swift.max(1, inner)) % c
            out[flat] =
                (inputs[0][flat] - inputs[1][channel]) * scale[channel] * inputs[3][channel] + inputs[4][channel]
        }
        return out
    }
}
