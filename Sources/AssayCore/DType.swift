/// Element types a case can be run in.
///
/// Raw values are the names used in suites, case ids, run records and the plugin protocol.
public enum DType: String, Codable, CaseIterable, Sendable, Comparable {
    case f64, f32, f16, bf16, int8, int32, bool

    /// Bytes per element in the little-endian wire and storage format.
    public var byteWidth: Int {
        switch self {
        case .f64: return 8
        case .f32, .int32: return 4
        case .f16, .bf16: return 2
        case .int8, .bool: return 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .f64, .f32, .f16, .bf16: return true
        case .int8, .int32, .bool: return false
        }
    }

    /// Largest finite value (integers: largest representable).
    public var maxFinite: Double {
        switch self {
        case .f64: return Double.greatestFiniteMagnitude
        case .f32: return Double(Float.greatestFiniteMagnitude)
        case .f16: return 65504
        case .bf16: return 3.3895313892515355e38
        case .int8: return 127
        case .int32: return 2_147_483_647
        case .bool: return 1
        }
    }

    /// Smallest positive normal value (floats only; 1 for integers).
    public var minNormal: Double {
        switch self {
        case .f64: return Double.leastNormalMagnitude
        case .f32, .bf16: return Double(Float.leastNormalMagnitude)
        case .f16: return 6.103515625e-05
        default: return 1
        }
    }

    /// Smallest positive subnormal value (floats only; 1 for integers).
    public var minSubnormal: Double {
        switch self {
        case .f64: return Double.leastNonzeroMagnitude
        case .f32: return Double(Float.leastNonzeroMagnitude)
        case .f16: return 5.960464477539063e-08
        case .bf16: return 9.183549615799121e-41
        default: return 1
        }
    }

    /// Explicit significand bits (floats), used by exact rounding.
    var significandBits: Int {
        switch self {
        case .f64: return 52
        case .f32: return 23
        case .f16: return 10
        case .bf16: return 7
        default: return 0
        }
    }

    /// Spellings accepted in suites besides the canonical raw value.
    public init?(name: String) {
        let aliases: [String: DType] = [
            "float64": .f64, "fp64": .f64, "double": .f64,
            "float32": .f32, "fp32": .f32, "float": .f32,
            "float16": .f16, "fp16": .f16, "half": .f16,
            "bfloat16": .bf16,
            "i8": .int8, "i32": .int32,
        ]
        if let exact = DType(rawValue: name) {
            self = exact
        } else if let alias = aliases[name.lowercased()] {
            self = alias
        } else {
            return nil
        }
    }

    public static func < (lhs: DType, rhs: DType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
