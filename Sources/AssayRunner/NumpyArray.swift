import AssayCore
import Foundation

/// A tensor as a numpy `.npy` file (format version 1.0), so `numpy.load` reads a dump directly.
/// bf16, which numpy lacks, is written as float32 (exactly).
enum NumpyArray {
    /// The `.npy` bytes of a tensor.
    static func encode(_ tensor: Tensor) -> Data {
        switch tensor.dtype {
        case .bf16:
            return encode(
                descr: "<f4",
                shape: tensor.shape.dims,
                payload: Data(tensor.floats().withUnsafeBytes { Array($0) })
            )
        default: return encode(descr: descr(tensor.dtype), shape: tensor.shape.dims, payload: Data(tensor.bytes))
        }
    }

    /// The `.npy` bytes of float64 values (the reference).
    static func encode(float64 values: [Double], shape: [Int]) -> Data {
        encode(descr: "<f8", shape: shape, payload: values.withUnsafeBytes { Data($0) })
    }

    static func descr(_ dtype: DType) -> String {
        switch dtype {
        case .f64: return "<f8"
        case .f32, .bf16: return "<f4"
        case .f16: return "<f2"
        case .int8: return "|i1"
        case .int32: return "<i4"
        case .bool: return "|b1"
        }
    }

    /// Magic, version 1.0, a header dict padded with spaces so the data starts on a 64-byte boundary.
    static func encode(descr: String, shape: [Int], payload: Data) -> Data {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        data.append(payload)
        return data
    }
}
