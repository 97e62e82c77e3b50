import Foundation

/// A C-contiguous tensor held as its little-endian bytes: the same layout the plugin
/// protocol sends, so a tensor crosses a process boundary without conversion.
public struct Tensor: Sendable, Equatable {
    public let dtype: DType
    public let shape: Shape
    public private(set) var bytes: [UInt8]

    /// Wraps raw bytes; fails when their count does not match shape and dtype.
    public init(dtype: DType, shape: Shape, bytes: [UInt8]) throws {
        let (expected, overflow) = (shape.checkedElementCount ?? Int.max).multipliedReportingOverflow(
            by: dtype.byteWidth
        )
        guard shape.dims.allSatisfy({ $0 >= 0 }), !overflow, bytes.count == expected else {
            throw AssayError.invalidTensor(
                "\(dtype) \(shape) needs \(overflow ? "more than Int.max" : String(expected)) bytes, got \(bytes.count)"
            )
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Rounds each value to `dtype` and stores it.
    public init(dtype: DType, shape: Shape, values: [Double]) {
        precondition(values.count == shape.elementCount, "\(values.count) values for shape \(shape)")
        self.dtype = dtype
        self.shape = shape
        let width = dtype.byteWidth
        var bytes = [UInt8](repeating: 0, count: values.count * width)
        for (index, value) in values.enumerated() {
            let bits = dtype.bitPattern(of: dtype.round(value))
            for byte in 0..<width { bytes[index * width + byte] = UInt8(truncatingIfNeeded: bits >> (8 * byte)) }
        }
        self.bytes = bytes
    }

    /// An f32 tensor from floats, without a round trip through Double.
    public init(float32 values: [Float], shape: Shape) {
        precondition(values.count == shape.elementCount)
        self.dtype = .f32
        self.shape = shape
        self.bytes = values.withUnsafeBytes { Array($0) }
    }

    public var elementCount: Int { shape.elementCount }

    /// Every element as float64 (exact for every dtype).
    public func values() -> [Double] {
        let width = dtype.byteWidth
        return (0..<elementCount).map { index in
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(bytes[index * width + byte]) << (8 * byte) }
            return dtype.value(ofBitPattern: bits)
        }
    }

    /// Every element as f32 (exact for f16, bf16, int8; rounded for f64 and large int32).
    public func floats() -> [Float] {
        if dtype == .f32 {
            return bytes.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
        }
        return values().map(Float.init)
    }

    /// Raw access for kernels.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}
