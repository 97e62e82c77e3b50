import Foundation

/// Spacing of each float dtype's grid and the shortest text that names a value of it.
extension DType {
    /// Unit roundoff u = 2^-(p) of a float dtype, p the significand bits including the implicit one
    /// (half the spacing just above 1); 0 for integers.
    public var unitRoundoff: Double {
        isFloatingPoint ? Double(sign: .plus, exponent: -(significandBits + 1), significand: 1) : 0
    }

    /// Spacing of this dtype's values at |x| (an ulp); below the normal range it is the subnormal spacing.
    /// Integers have spacing 1; ±inf and NaN give NaN.
    public func ulp(at x: Double) -> Double {
        guard isFloatingPoint else { return 1 }
        guard x.isFinite else { return .nan }
        let magnitude = Swift.max(abs(x), minNormal)
        return Double(sign: .plus, exponent: magnitude.exponent - significandBits, significand: 1)
    }

    /// The shortest decimal text that reads back as exactly `value` in this dtype ("0.1" in f32,
    /// "0.1001" in f16); non-finite values read "NaN", "+inf", "-inf".
    public func shortest(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+inf" : "-inf" }
        switch self {
        case .f64: return "\(value)"
        case .f32: return "\(Float(value))"
        case .int8, .int32, .bool: return abs(value) < 1e18 ? "\(Int64(value))" : "\(value)"
        case .f16, .bf16:
            for digits in 1...17 {
                let text = String(format: "%.\(digits)g", value)
                if let parsed = Double(text), round(parsed) == value { return Self.tidy(text) }
            }
            return "\(value)"
        }
    }

    /// `%g` writes "1e+04" and "5"; Swift's own style is "10000.0" / "1e-05" and "5.0".
    private static func tidy(_ text: String) -> String {
        if text.contains("e") || text.contains(".") || text.contains("n") { return text }
        return text + ".0"
    }
}
