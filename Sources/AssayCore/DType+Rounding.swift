import Foundation

/// Exact conversion of float64 values into each dtype, and of their bit patterns back.
///
/// Rounding is done directly from the float64 value (never via f32), so f16 and bf16
/// values are rounded once, to nearest with ties to even, as IEEE 754 requires.
extension DType {
    /// The value of `x` once stored in this dtype.
    public func round(_ x: Double) -> Double {
        switch self {
        case .f64: return x
        case .f32: return Double(Float(x))
        case .f16, .bf16: return roundToNarrowFloat(x)
        case .int8, .int32:
            if x.isNaN { return 0 }
            let r = x.rounded(.toNearestOrEven)
            return Swift.min(Swift.max(r, -maxFinite - 1), maxFinite)
        case .bool:
            return x != 0 ? 1 : 0  // NaN is truthy, as in C and numpy
        }
    }

    private func roundToNarrowFloat(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        // Spacing of representable values around |x|; subnormals share the spacing of minNormal.
        let magnitude = Swift.max(abs(x), minNormal)
        let quantum = Double(sign: .plus, exponent: magnitude.exponent - significandBits, significand: 1)
        let rounded = (x / quantum).rounded(.toNearestOrEven) * quantum
        return abs(rounded) > maxFinite ? Double(sign: rounded.sign, exponent: 0, significand: .infinity) : rounded
    }

    /// Encodes an already-representable value as this dtype's little-endian bit pattern.
    func bitPattern(of value: Double) -> UInt64 {
        switch self {
        case .f64: return value.bitPattern
        case .f32: return UInt64(Float(value).bitPattern)
        case .bf16:
            if value.isNaN { return value.sign == .minus ? 0xFFC0 : 0x7FC0 }
            return UInt64(Float(value).bitPattern >> 16)
        case .f16: return UInt64(DType.halfBits(value))
        case .int8: return UInt64(UInt8(bitPattern: Int8(value)))
        case .int32: return UInt64(UInt32(bitPattern: Int32(value)))
        case .bool: return value != 0 ? 1 : 0
        }
    }

    /// Decodes a little-endian bit pattern of this dtype to float64, exactly.
    public func value(ofBitPattern bits: UInt64) -> Double {
        switch self {
        case .f64: return Double(bitPattern: bits)
        case .f32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .bf16: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits) << 16))
        case .f16: return DType.halfValue(UInt16(truncatingIfNeeded: bits))
        case .int8: return Double(Int8(bitPattern: UInt8(truncatingIfNeeded: bits)))
        case .int32: return Double(Int32(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .bool: return bits & 0xFF != 0 ? 1 : 0
        }
    }

    /// IEEE binary16 bits of a value already representable as f16.
    static func halfBits(_ v: Double) -> UInt16 {
        let sign: UInt16 = v.sign == .minus ? 0x8000 : 0
        if v.isNaN { return sign | 0x7E00 }
        if v.isInfinite { return sign | 0x7C00 }
        let a = abs(v)
        if a == 0 { return sign }
        if a < 6.103515625e-05 {  // subnormal: multiples of 2^-24
            return sign | UInt16(a * 16_777_216)
        }
        let exponent = Int(a.exponent)
        let fraction = (a / Double(sign: .plus, exponent: exponent, significand: 1) - 1) * 1024
        return sign | UInt16(exponent + 15) << 10 | UInt16(fraction)
    }

    static func halfValue(_ bits: UInt16) -> Double {
        let negative = bits & 0x8000 != 0
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Double(bits & 0x3FF)
        let magnitude: Double
        switch exponent {
        case 0: magnitude = fraction * 5.960464477539063e-08
        case 31: magnitude = fraction == 0 ? .infinity : .nan
        default: magnitude = (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }
}
