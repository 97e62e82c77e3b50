import CAssayKernels

/// The vectorised row and elementwise kernels of one scalar type (f32: CAssayKernels), as one table
/// of entry points so that each signature is written once. Types without them (f64) have no table
/// and use the generic Swift loops in `NativeKernels`. One indirect call per batch of rows costs
/// nothing beside the vectorised loop behind it.
struct RowKernelSet<T>: Sendable {
    /// (x, y, rows, n, logarithmic)
    var softmaxRows: @Sendable (UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, Bool) -> Void
    /// (x, y, rows, n, weight, bias, eps)
    var layerNormRows: @Sendable (UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, [T], [T], Double) -> Void
    /// (x, y, rows, n, weight, eps)
    var rmsNormRows: @Sendable (UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, [T], Double) -> Void
    /// (op, x, y, count, tanhForm)
    var activation: @Sendable (String, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Bool) -> Void
    /// (add, a, b, y): y = a + b or a · b elementwise.
    var elementwise: @Sendable (Bool, [T], [T], UnsafeMutablePointer<T>) -> Void
    /// (x, count)
    var sum: @Sendable (UnsafePointer<T>, Int) -> T
    /// Tiled attention of `heads` heads into `out` (see `assay_attention`); returns which heads
    /// still need the exact path (non-finite values).
    /// (heads, s, t, d, q, k, v, scale, causal, out, threads)
    var tiledAttention: @Sendable (Int, Int, Int, Int, [T], [T], [T], T, Bool, inout [T], Int) -> [Bool]
}

/// A scalar type's row kernels, nil where it has none.
protocol RowKernels {
    static var rowKernels: RowKernelSet<Self>? { get }
}

extension Double: RowKernels {
    static var rowKernels: RowKernelSet<Double>? { nil }
}

extension Float: RowKernels {
    static let rowKernels: RowKernelSet<Float>? = RowKernelSet(
        softmaxRows: { x, y, rows, n, logarithmic in
            assay_softmax_rows(x, y, Int64(rows), Int64(n), logarithmic ? 1 : 0)
        },
        layerNormRows: { x, y, rows, n, weight, bias, eps in
            assay_layernorm_rows(x, y, Int64(rows), Int64(n), weight, bias, Float(eps))
        },
        rmsNormRows: { x, y, rows, n, weight, eps in
            assay_rmsnorm_rows(x, y, Int64(rows), Int64(n), weight, Float(eps))
        },
        activation: { op, x, y, count, tanhForm in
            switch op {
            case "gelu": assay_gelu(x, y, Int64(count), tanhForm ? 1 : 0)
            case "silu": assay_silu(x, y, Int64(count))
            default: assay_relu(x, y, Int64(count))
            }
        },
        elementwise: { add, a, b, y in
            if add { assay_add(a, b, y, Int64(a.count)) } else { assay_mul(a, b, y, Int64(a.count)) }
        },
        sum: { x, count in assay_sum(x, Int64(count)) },
        tiledAttention: { heads, s, t, d, q, k, v, scale, causal, out, threads in
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
    )
}
