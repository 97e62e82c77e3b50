import AssayCore
import CAssayKernels

/// Bulk conversion between tensors and f32 working buffers (SIMD in CAssayKernels).
enum FloatConversion {
    static func floats(of tensor: Tensor) -> [Float] {
        let count = tensor.elementCount
        switch tensor.dtype {
        case .f32:
            return tensor.floats()
        case .f16, .bf16:
            return [Float](unsafeUninitializedCapacity: count) { y, initialized in
                tensor.withUnsafeBytes { raw in
                    let x = raw.bindMemory(to: UInt16.self).baseAddress
                    if tensor.dtype == .f16 {
                        assay_f16_to_f32(x, y.baseAddress, Int64(count))
                    } else {
                        assay_bf16_to_f32(x, y.baseAddress, Int64(count))
                    }
                }
                initialized = count
            }
        default:
            return tensor.values().map(Float.init)
        }
    }

    /// Rounds f32 results once to the output dtype (round to nearest, ties to even).
    static func tensor(from values: [Float], dtype: DType, shape: Shape) -> Tensor {
        switch dtype {
        case .f32:
            return Tensor(float32: values, shape: shape)
        case .f16, .bf16:
            let bits = [UInt16](unsafeUninitializedCapacity: values.count) { y, initialized in
                if dtype == .f16 {
                    assay_f32_to_f16(values, y.baseAddress, Int64(values.count))
                } else {
                    assay_f32_to_bf16(values, y.baseAddress, Int64(values.count))
                }
                initialized = values.count
            }
            // The byte count matches shape × 2 by construction.
            return try! Tensor(dtype: dtype, shape: shape, bytes: bits.withUnsafeBytes { Array($0) })
        default:
            return Tensor(dtype: dtype, shape: shape, values: values.map(Double.init))
        }
    }
}
