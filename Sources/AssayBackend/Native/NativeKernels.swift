import AssayCore
import AssayOps

/// The native backend's implementation of every float op, in f32 or f64.
///
/// These are the optimised kernels (C SIMD GEMM and row kernels for f32, threads across rows),
/// deliberately separate from the obviously-correct float64 references in AssayOps.
struct NativeKernels<T: CPUScalar> {
    let threads: Int
    /// Reused output buffers for repeated (benchmark) calls; nil allocates every output afresh.
    var pool: OutputPool<T>? = nil
    /// Where an op's type, and so its kernel, is looked up.
    var catalogue: OpCatalogue = .standard

    func run(_ problem: OpProblem, _ inputs: [[T]]) throws -> [T] {
        let result = try compute(problem, inputs)
        pool?.keep(result)
        return result
    }

    /// A zero-initialised or pooled output buffer; every caller overwrites all of it.
    private func output(_ count: Int) -> [T] {
        pool?.take(count) ?? [T](repeating: 0, count: count)
    }

    private func compute(_ problem: OpProblem, _ inputs: [[T]]) throws -> [T] {
        let outCount = problem.output.shape.elementCount
        guard let family = catalogue.family(of: problem.op) else {
            throw BackendError.unsupported("the native CPU backend has no kernel for \(problem.op)")
        }
        // Keyed by the operator's type; one case per family, and a new family must be handled here.
        switch family {
        case .matmul:
            let dims = MatmulDims(problem)
            let (batch, m, n, k, ta, tb) = (dims.batch, dims.m, dims.n, dims.k, dims.transposeA, dims.transposeB)
            var out = output(outCount)
            for index in 0..<batch {
                gemm(
                    m: m,
                    n: n,
                    k: k,
                    a: inputs[0],
                    aOffset: index * m * k,
                    lda: ta ? m : k,
                    ta: ta,
                    b: inputs[1],
                    bOffset: index * k * n,
                    ldb: tb ? k : n,
                    tb: tb,
                    c: &out,
                    cOffset: index * m * n
                )
            }
            return out
        case .linear:
            let m = problem.int("m")
            let n = problem.int("n")
            let k = problem.int("k")
            var out = output(outCount)
            gemm(
                m: m,
                n: n,
                k: k,
                a: inputs[0],
                aOffset: 0,
                lda: k,
                ta: false,
                b: inputs[1],
                bOffset: 0,
                ldb: k,
                tb: true,
                c: &out,
                cOffset: 0
            )
            if inputs.count > 2 { for i in 0..<m { for j in 0..<n { out[i * n + j] += inputs[2][j] } } }
            return out
        case .conv2d: return conv2d(problem, inputs)
        case .attention: return attention(problem, inputs)
        case .softmax: return softmax(problem, inputs[0])
        case .norm: return norm(problem, inputs)
        case .activation: return activation(problem, inputs[0])
        case .binary: return binary(problem, inputs[0], inputs[1])
        case .reduction: return reduce(problem, inputs[0])
        case .rotaryEmbedding: return rotary(problem, inputs)
        case .layout: return layout(problem, inputs[0])
        case .embedding, .int8Matmul, .reshape, .concat, .slice, .gather, .repeatInterleave, .select, .selection, .cast,
            .batchNorm:
            // Own paths of NativeCPUBackend (exact byte-level moves, positions, one rounding), never
            // widened through these float kernels.
            throw BackendError.unsupported(
                "\(problem.op) has its own path in the native backend, not the float kernels"
            )
        }
    }

    // MARK: GEMM family

    private func gemm(
        m: Int,
        n: Int,
        k: Int,
        a: [T],
        aOffset: Int,
        lda: Int,
        ta: Bool,
        b: [T],
        bOffset: Int,
        ldb: Int,
        tb: Bool,
        c: inout [T],
        cOffset: Int
    ) {
        guard m > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    T.gemm(
                        m: m,
                        n: n,
                        k: k,
                        a: ap.baseAddress! + aOffset,
                        lda: Swift.max(1, lda),
                        transposeA: ta,
                        b: bp.baseAddress! + bOffset,
                        ldb: Swift.max(1, ldb),
                        transposeB: tb,
                        c: cp.baseAddress! + cOffset,
                        ldc: n,
                        threads: threads
                    )
                }
            }
        }
    }

    /// im2col per image and group, then one GEMM: weight[f/g, c/g·kh·kw] · cols[c/g·kh·kw, oh·ow].
    private func conv2d(_ problem: OpProblem, _ inputs: [[T]]) -> [T] {
        let g = Conv2dGeometry(problem)
        let (n, c, h, w, f, kh, kw) = (g.n, g.c, g.h, g.w, g.f, g.kh, g.kw)
        let (stride, padding, dilation, groups, oh, ow) = (g.stride, g.padding, g.dilation, g.groups, g.oh, g.ow)
        let cg = c / groups
        let fg = f / groups
        let depth = cg * kh * kw
        let pixels = oh * ow
        let x = inputs[0]
        let weight = inputs[1]
        var out = [T](repeating: 0, count: n * f * pixels)
        var cols = [T](repeating: 0, count: depth * pixels)
        for image in 0..<n {
            for group in 0..<groups {
                for ci in 0..<cg {
                    let channel = group * cg + ci
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let row = (ci * kh + ky) * kw + kx
                            for oy in 0..<oh {
                                let iy = oy * stride.0 - padding.0 + ky * dilation.0
                                for ox in 0..<ow {
                                    let ix = ox * stride.1 - padding.1 + kx * dilation.1
                                    let inside = iy >= 0 && iy < h && ix >= 0 && ix < w
                                    cols[row * pixels + oy * ow + ox] =
                                        inside ? x[((image * c + channel) * h + iy) * w + ix] : 0
                                }
                            }
                        }
                    }
                }
                gemm(
                    m: fg,
                    n: pixels,
                    k: depth,
                    a: weight,
                    aOffset: group * fg * depth,
                    lda: depth,
                    ta: false,
                    b: cols,
                    bOffset: 0,
                    ldb: pixels,
                    tb: false,
                    c: &out,
                    cOffset: (image * f + group * fg) * pixels
                )
            }
        }
        if inputs.count > 2 {
            for image in 0..<n {
                for filter in 0..<f {
                    for p in 0..<pixels { out[(image * f + filter) * pixels + p] += inputs[2][filter] }
                }
            }
        }
        return out
    }

    /// The tiled kernel where the type has one (f32); per head, the exact path below for heads it
    /// flags (non-finite values) and for every head otherwise.
    private func attention(_ problem: OpProblem, _ inputs: [[T]]) -> [T] {
        let b = problem.int("b")
        let h = problem.int("h")
        let s = problem.int("s")
        let d = problem.int("d")
        let t = problem.params["t"]?.intValue ?? s
        let causal = problem.attrBool("causal")
        let scale = T(problem.attrDouble("scale") ?? 1 / Double(d).squareRoot())
        var out = output(b * h * s * d)
        let redo =
            T.rowKernels?.tiledAttention(b * h, s, t, d, inputs[0], inputs[1], inputs[2], scale, causal, &out, threads)
            ?? [Bool](repeating: true, count: b * h)
        var scores = [T]()
        for head in 0..<(b * h) where redo[head] {
            if scores.isEmpty { scores = [T](repeating: 0, count: s * t) }
            exactAttention(
                head: head,
                s: s,
                t: t,
                d: d,
                scale: scale,
                causal: causal,
                inputs,
                scores: &scores,
                out: &out
            )
        }
        return out
    }

    /// One head: scores = q·kᵀ·scale (GEMM), masked, softmax by rows, then scores·v.
    private func exactAttention(
        head: Int,
        s: Int,
        t: Int,
        d: Int,
        scale: T,
        causal: Bool,
        _ inputs: [[T]],
        scores: inout [T],
        out: inout [T]
    ) {
        gemm(
            m: s,
            n: t,
            k: d,
            a: inputs[0],
            aOffset: head * s * d,
            lda: d,
            ta: false,
            b: inputs[1],
            bOffset: head * t * d,
            ldb: d,
            tb: true,
            c: &scores,
            cOffset: 0
        )
        for i in 0..<s {
            for j in 0..<t { scores[i * t + j] = causal && j > i ? -T.infinity : scores[i * t + j] * scale }
        }
        scores = softmaxRows(scores, rows: s, n: t, logarithmic: false)
        // Masked keys have weight exactly 0 and must not contribute even where v is ±inf.
        if causal {
            for i in 0..<s { for j in (i + 1)..<Swift.max(i + 1, t) { scores[i * t + j] = 0 } }
            attentionValues(
                scores: scores,
                v: inputs[2],
                vOffset: head * t * d,
                s: s,
                t: t,
                d: d,
                out: &out,
                outOffset: head * s * d
            )
        } else {
            gemm(
                m: s,
                n: d,
                k: t,
                a: scores,
                aOffset: 0,
                lda: t,
                ta: false,
                b: inputs[2],
                bOffset: head * t * d,
                ldb: d,
                tb: false,
                c: &out,
                cOffset: head * s * d
            )
        }
    }

    /// scores·v skipping zero weights, so a masked ±inf value never makes a NaN.
    private func attentionValues(
        scores: [T],
        v: [T],
        vOffset: Int,
        s: Int,
        t: Int,
        d: Int,
        out: inout [T],
        outOffset: Int
    ) {
        for i in 0..<s {
            for e in 0..<d { out[outOffset + i * d + e] = 0 }
            for j in 0..<t where scores[i * t + j] != 0 {
                let weight = scores[i * t + j]
                for e in 0..<d { out[outOffset + i * d + e] += weight * v[vOffset + j * d + e] }
            }
        }
    }

    // MARK: Row ops

    private func softmax(_ problem: OpProblem, _ x: [T]) -> [T] {
        let shape = problem.output.shape
        let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1)!
        let logarithmic = problem.op == "log_softmax"
        let (outer, length, inner) = shape.split(at: axis)
        if inner == 1 { return softmaxRows(x, rows: outer, n: length, logarithmic: logarithmic) }
        // Gather each strided slice into a row, apply, scatter back.
        var rows = [T](repeating: 0, count: x.count)
        for o in 0..<outer {
            for i in 0..<inner {
                for l in 0..<length { rows[(o * inner + i) * length + l] = x[(o * length + l) * inner + i] }
            }
        }
        let result = softmaxRows(rows, rows: outer * inner, n: length, logarithmic: logarithmic)
        var out = x
        for o in 0..<outer {
            for i in 0..<inner {
                for l in 0..<length { out[(o * length + l) * inner + i] = result[(o * inner + i) * length + l] }
            }
        }
        return out
    }

    private func softmaxRows(_ x: [T], rows: Int, n: Int, logarithmic: Bool) -> [T] {
        guard n > 0, rows > 0 else { return x }
        var out = output(x.count)
        if let kernels = T.rowKernels {
            parallelRows(rows, n: n, input: x, output: &out) { xp, yp, count in
                kernels.softmaxRows(xp, yp, count, n, logarithmic)
            }
            return out
        }
        for row in 0..<rows {
            let slice = Array(x[(row * n)..<((row + 1) * n)])
            var peak = -T.infinity
            for value in slice {
                if value.isNaN {
                    peak = .nan
                    break
                }
                if value > peak { peak = value }
            }
            var total: T = 0
            for value in slice { total += T.exponential(value - peak) }
            for l in 0..<n {
                out[row * n + l] =
                    logarithmic ? slice[l] - peak - T.logarithm(total) : T.exponential(slice[l] - peak) / total
            }
        }
        return out
    }

    private func norm(_ problem: OpProblem, _ inputs: [[T]]) -> [T] {
        let n = problem.output.shape.dims.last ?? 0
        let rows = n == 0 ? 0 : inputs[0].count / n
        let eps = problem.attrDouble("eps") ?? 0
        let layer = problem.op == "layer_norm"
        if let kernels = T.rowKernels, rows > 0 {
            var y = output(inputs[0].count)
            let weight = UncheckedSendable(inputs[1])
            let bias = UncheckedSendable(layer ? inputs[2] : [])
            parallelRows(rows, n: n, input: inputs[0], output: &y) { xp, yp, count in
                if layer {
                    kernels.layerNormRows(xp, yp, count, n, weight.value, bias.value, eps)
                } else {
                    kernels.rmsNormRows(xp, yp, count, n, weight.value, eps)
                }
            }
            return y
        }
        var out = inputs[0]
        for row in 0..<rows {
            let slice = inputs[0][(row * n)..<((row + 1) * n)]
            let count = T(n)
            if layer {
                let mean = slice.reduce(0, +) / count
                var variance: T = 0
                for value in slice { variance += (value - mean) * (value - mean) }
                let inverse = 1 / ((variance / count) + T(eps)).squareRoot()
                for l in 0..<n {
                    out[row * n + l] = (slice[slice.startIndex + l] - mean) * inverse * inputs[1][l] + inputs[2][l]
                }
            } else {
                var squares: T = 0
                for value in slice { squares += value * value }
                let inverse = 1 / (squares / count + T(eps)).squareRoot()
                for l in 0..<n { out[row * n + l] = slice[slice.startIndex + l] * inverse * inputs[1][l] }
            }
        }
        return out
    }

    // MARK: Elementwise and layout

    private func activation(_ problem: OpProblem, _ x: [T]) -> [T] {
        let tanhForm = problem.attrString("approximate") == "tanh"
        if let kernels = T.rowKernels {
            var y = output(x.count)
            let op = problem.op
            parallelRows(x.count, n: 1, input: x, output: &y) { xp, yp, count in
                kernels.activation(op, xp, yp, count, tanhForm)
            }
            return y
        }
        return x.map { value in
            if value.isNaN { return value }
            switch problem.op {
            case "relu": return value > 0 ? value : 0
            case "silu": return value == -.infinity ? -0.0 : value / (1 + T.exponential(-value))
            default:
                if value.isInfinite { return value > 0 ? value : -0.0 }
                if tanhForm {
                    let inner = T((2 / Double.pi).squareRoot()) * (value + T(0.044715) * value * value * value)
                    return T(0.5) * value * (1 + T.hyperbolicTangent(inner))
                }
                return T(0.5) * value * (1 + T.errorFunction(value / T(2.0.squareRoot())))
            }
        }
    }

    private func binary(_ problem: OpProblem, _ a: [T], _ b: [T]) -> [T] {
        let add = problem.op == "add"
        let outShape = problem.output.shape.dims
        if problem.inputs[0].shape.dims == outShape, problem.inputs[1].shape.dims == outShape {
            if let kernels = T.rowKernels {
                var y = output(a.count)
                y.withUnsafeMutableBufferPointer { kernels.elementwise(add, a, b, $0.baseAddress!) }
                return y
            }
            return zip(a, b).map { add ? $0 + $1 : $0 * $1 }
        }
        let ia = Broadcast.sourceIndices(of: problem.inputs[0].shape.dims, into: outShape)
        let ib = Broadcast.sourceIndices(of: problem.inputs[1].shape.dims, into: outShape)
        return zip(ia, ib).map { add ? a[$0] + b[$1] : a[$0] * b[$1] }
    }

    private func reduce(_ problem: OpProblem, _ x: [T]) -> [T] {
        let shape = problem.inputs[0].shape.dims
        let raw = problem.attrInts("axes").map { $0 < 0 ? $0 + shape.count : $0 }
        let axes = Set(raw)
        // Move reduced axes last, then sum contiguous rows.
        let kept = shape.indices.filter { !axes.contains($0) }
        let order = kept + shape.indices.filter { axes.contains($0) }
        let reduced = axes.reduce(1) { $0 * shape[$1] }
        let permuted = order == Array(shape.indices) ? x : permute(x, shape: shape, perm: order)
        let rows = problem.output.shape.elementCount
        var out = [T](repeating: 0, count: rows)
        for row in 0..<rows {
            var total: T = 0
            if let kernels = T.rowKernels, reduced > 0 {
                total = permuted.withUnsafeBufferPointer { kernels.sum($0.baseAddress! + row * reduced, reduced) }
            } else {
                for index in 0..<reduced { total += permuted[row * reduced + index] }
            }
            out[row] = problem.op == "reduce_mean" ? total / T(reduced) : total
        }
        return out
    }

    private func rotary(_ problem: OpProblem, _ inputs: [[T]]) -> [T] {
        let s = problem.int("s")
        let h = problem.int("h")
        let d = problem.int("d")
        let half = d / 2
        let interleaved = problem.attrBool("interleaved")
        let x = inputs[0]
        let cos = inputs[1]
        let sin = inputs[2]
        var out = x
        for position in 0..<s {
            for head in 0..<h {
                let base = (position * h + head) * d
                for i in 0..<half {
                    let first = interleaved ? base + 2 * i : base + i
                    let second = interleaved ? first + 1 : first + half
                    let c = cos[position * half + i]
                    let sn = sin[position * half + i]
                    out[first] = x[first] * c - x[second] * sn
                    out[second] = x[second] * c + x[first] * sn
                }
            }
        }
        return out
    }

    private func layout(_ problem: OpProblem, _ x: [T]) -> [T] {
        // A real copy: returning `x` would share its storage and move no bytes.
        guard problem.op == "transpose" else {
            var out = output(x.count)
            out.withUnsafeMutableBufferPointer { target in
                x.withUnsafeBufferPointer { source in
                    if let to = target.baseAddress, let from = source.baseAddress {
                        to.update(from: from, count: source.count)
                    }
                }
            }
            return out
        }
        let shape = problem.inputs[0].shape.dims
        let perm = problem.attrs["perm"]?.intsValue ?? Array(shape.indices.reversed())
        return permute(x, shape: shape, perm: perm)
    }

    /// Blocked permutation: walks the output in order, reading the input through permuted strides.
    private func permute(_ x: [T], shape: [Int], perm: [Int]) -> [T] {
        // A rank-0 or empty tensor has nothing to reorder.
        guard !x.isEmpty, !shape.isEmpty else { return x.withUnsafeBufferPointer { Array($0) } }
        let strides = Shape(shape).strides
        let outShape = perm.map { shape[$0] }
        var out = output(x.count)
        let last = outShape.count - 1
        let innerStride = strides[perm[last]]
        let innerCount = outShape[last]
        let outerShape = Array(outShape[..<last])
        var index = MultiIndex(rank: last)
        for outer in 0..<(x.count / Swift.max(1, innerCount)) {
            var base = 0
            for axis in index.axes { base += index[axis] * strides[perm[axis]] }
            for inner in 0..<innerCount { out[outer * innerCount + inner] = x[base + inner * innerStride] }
            index.advance(within: outerShape)
        }
        return out
    }

    /// Splits `rows` rows of length `n` across threads and calls a C row kernel on each chunk.
    private func parallelRows(
        _ rows: Int,
        n: Int,
        input: [T],
        output: inout [T],
        _ kernel: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int) -> Void
    ) {
        input.withUnsafeBufferPointer { xp in
            output.withUnsafeMutableBufferPointer { yp in
                let xAddress = Int(bitPattern: xp.baseAddress)
                let yAddress = Int(bitPattern: yp.baseAddress)
                Parallel.forEachChunk(
                    count: rows,
                    threads: threads,
                    minimumPerThread: Swift.max(1, 16_384 / Swift.max(1, n))
                ) { chunk in
                    let xPointer = UnsafePointer<T>(bitPattern: xAddress)! + chunk.lowerBound * n
                    let yPointer = UnsafeMutablePointer<T>(bitPattern: yAddress)! + chunk.lowerBound * n
                    kernel(xPointer, yPointer, chunk.count)
                }
            }
        }
    }
}

extension Shape {
    /// (elements before `axis`, length of `axis`, elements after it).
    func split(at axis: Int) -> (Int, Int, Int) {
        (dims[..<axis].reduce(1, *), dims[axis], dims[(axis + 1)...].reduce(1, *))
    }
}
