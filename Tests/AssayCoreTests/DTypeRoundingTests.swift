import Foundation
import Testing

@testable import AssayCore

@Suite struct DTypeRoundingTests {
    @Test func f16RoundsToNearestEven() {
        let ulpAtOne = 0x1p-10
        #expect(DType.f16.round(1 + ulpAtOne / 2) == 1)  // tie → even (1.0)
        #expect(DType.f16.round(1 + 3 * ulpAtOne / 2) == 1 + 2 * ulpAtOne)  // tie → even mantissa
        #expect(DType.f16.round(1 + ulpAtOne / 2 + 0x1p-30) == 1 + ulpAtOne)
        #expect(DType.f16.round(65519) == 65504)
        #expect(DType.f16.round(65520) == .infinity)  // halfway to 2^16 rounds to even → inf
        #expect(DType.f16.round(-70000) == -.infinity)
        #expect(DType.f16.round(0x1p-25) == 0)  // tie between 0 and the smallest subnormal
        #expect(DType.f16.round(3 * 0x1p-25) == 0x1p-23)
        #expect(DType.f16.round(0x1p-24) == 0x1p-24)
        #expect(DType.f16.round(.nan).isNaN)
    }

    @Test func bf16RoundsToNearestEvenDirectlyFromDouble() {
        #expect(DType.bf16.round(1 + 0x1p-8) == 1)
        #expect(DType.bf16.round(1 + 3 * 0x1p-8) == 1 + 0x1p-6)
        // Double rounding through f32 would give 1 here; the exact answer is 1 + 2^-7.
        #expect(DType.bf16.round(1 + 0x1p-8 + 0x1p-40) == 1 + 0x1p-7)
        #expect(DType.bf16.round(3.4e38) == .infinity)
        // bf16 subnormals are multiples of 2^-133; f32's smallest subnormal is far below them.
        #expect(DType.bf16.round(0x1p-133) == 0x1p-133)
        #expect(DType.bf16.round(0x1p-134) == 0)
        #expect(DType.bf16.round(3 * 0x1p-134) == 0x1p-132)
        #expect(DType.bf16.round(Double(Float.leastNonzeroMagnitude)) == 0)
    }

    @Test func everyHalfPatternRoundTripsThroughTensor() throws {
        for dtype in [DType.f16, .bf16] {
            let bits = (0...UInt16.max).map { $0 }
            let bytes = bits.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
            let tensor = try Tensor(dtype: dtype, shape: [bits.count], bytes: bytes)
            let values = tensor.values()
            let rebuilt = Tensor(dtype: dtype, shape: [bits.count], values: values)
            for (index, value) in values.enumerated() where !value.isNaN {
                #expect(
                    rebuilt.bytes[2 * index] == bytes[2 * index]
                        && rebuilt.bytes[2 * index + 1] == bytes[2 * index + 1],
                    "\(dtype) pattern \(String(bits[index], radix: 16)) → \(value)"
                )
                #expect(dtype.round(value) == value)
            }
        }
    }

    @Test func integersSaturateAndRound() {
        #expect(DType.int8.round(127.6) == 127)
        #expect(DType.int8.round(-300) == -128)
        #expect(DType.int32.round(2.5) == 2)
        #expect(DType.bool.round(.nan) == 1)
    }

    @Test func tensorRejectsWrongByteCount() {
        #expect(throws: AssayError.self) {
            try Tensor(dtype: .f32, shape: [2, 3], bytes: [UInt8](repeating: 0, count: 23))
        }
    }
}
