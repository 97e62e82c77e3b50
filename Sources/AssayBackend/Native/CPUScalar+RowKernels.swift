import CAssayKernels

/// The vectorised row and elementwise kernels a scalar type may have (f32: CAssayKernels).
/// Types without them (f64) use the generic Swift loops in `NativeKernels`.
protocol RowKernels {
    static var hasRowKernels: Bool { get }
    static func softmaxRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        logarithmic: Bool
    )
    static func layerNormRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        weight: [Self],
        bias: [Self],
        eps: Double
    )
    static func rmsNormRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        weight: [Self],
        eps: Double
    )
    static func activation(
        _ op: String,
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        count: Int,
        tanhForm: Bool
    )
    static func elementwise(add: Bool, _ a: [Self], _ b: [Self], into y: UnsafeMutablePointer<Self>)
    static func sum(_ x: UnsafePointer<Self>, count: Int) -> Self
    /// Tiled attention of `heads` heads into `out` (see `assay_attention`); returns which heads
    /// still need the exact path (non-finite values), or nil where the type has no such kernel.
    static func tiledAttention(
        heads: Int,
        s: Int,
        t: Int,
        d: Int,
        q: [Self],
        k: [Self],
        v: [Self],
        scale: Self,
        causal: Bool,
        into out: inout [Self],
        threads: Int
    ) -> [Bool]?
}

extension RowKernels {
    static var hasRowKernels: Bool { false }
    static func softmaxRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        logarithmic: Bool
    ) {}
    static func layerNormRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        weight: [Self],
        bias: [Self],
        eps: Double
    ) {}
    static func rmsNormRows(
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        rows: Int,
        n: Int,
        weight: [Self],
        eps: Double
    ) {}
    static func activation(
        _ op: String,
        _ x: UnsafePointer<Self>,
        _ y: UnsafeMutablePointer<Self>,
        count: Int,
        tanhForm: Bool
    ) {}
    static func elementwise(add: Bool, _ a: [Self], _ b: [Self], into y: UnsafeMutablePointer<Self>) {}
    static func tiledAttention(
        heads: Int,
        s: Int,
        t: Int,
        d: Int,
        q: [Self],
        k: [Self],
        v: [Self],
        scale: Self,
        causal: Bool,
        into out: inout [Self],
        threads: Int
    ) -> [Bool]? { nil }
}

extension Double: RowKernels {
    static func sum(_ x: UnsafePointer<Double>, count: Int) -> Double { (0..<count).reduce(0) { $0 + x[$1] } }
}
extension Float: RowKernels {
    static var hasRowKernels: Bool { true }

    static func softmaxRows(
        _ x: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>,
        rows: Int,
        n: Int,
        logarithmic: Bool
    ) {
        assay_softmax_rows(x, y, Int64(rows), Int64(n), logarithmic ? 1 : 0)
    }

    static func layerNormRows(
        _ x: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>,
        rows: Int,
        n: Int,
        weight: [Float],
        bias: [Float],
        eps: Double
    ) {
        assay_layernorm_rows(x, y, Int64(rows), Int64(n), weight, bias, Float(eps))
    }

    static func rmsNormRows(
        _ x: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>,
        rows: Int,
        n: Int,
        weight: [Float],
        eps: Double
    ) {
        assay_rmsnorm_rows(x, y, Int64(rows), Int64(n), weight, Float(eps))
    }

    static func activation(
        _ op: String,
        _ x: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>,
        count: Int,
        tanhForm: Bool
    ) {
        switch op {
        case "gelu": assay_gelu(x, y, Int64(count), tanhForm ? 1 : 0)
        case "silu": assay_silu(x, y, Int64(count))
        default: assay_relu(x, y, Int64(count))
        }
    }

    static func elementwise(add: Bool, _ a: [Float], _ b: [Float], into y: UnsafeMutablePointer<Float>) {
        if add { assay_add(a, b, y, Int64(a.count)) } else { assay_mul(a, b, y, Int64(a.count)) }
    }

    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float { assay_sum(x, Int64(count)) }

    static func tiledAttention(
        heads: Int,
        s: Int,
        t: Int,
        d: Int,
        q: [Float],
        k: [Float],
        v: [Float],
        scale: Float,
        causal: Bool,
        into out: inout [Float],
        threads: Int
    ) -> [Bool]? {
        var redo = [UInt8](repeating: 0, count: heads)
        out.withUnsafeMutableBufferPointer { o in
            assay_attention(
                Int64(heads),
                Int64(s),
                Int64(t),
                Int64(d),
                q,
                k,
                v,
                o.baseAddress,
                scale,
                causal ? 1 : 0,
                &redo,
                Int32(threads)
            )
        }
        return redo.map { $0 != 0 }
    }
}
