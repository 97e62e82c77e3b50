import AssayCore

/// Conversion between tensors and f32 working buffers.
enum FloatConversion {
    static func floats(of tensor: Tensor) -> [Float] {
        tensor.dtype == .f32 ? tensor.floats() : tensor.values().map(Float.init)
    }

    /// Rounds f32 results once to the output dtype.
    static func tensor(from values: [Float], dtype: DType, shape: Shape) -> Tensor {
        dtype == .f32 ? Tensor(float32: values, shape: shape) : Tensor(dtype: dtype, shape: shape, values: values.map(Double.init))
    }
}
