import AssayCore
import Foundation

@testable import AssayOps

/// A real kernel bug class, re-created on top of the float64 reference: what the bug computes,
/// on which op, and in which dtypes it moves the result beyond the op's error model.
struct FaultClass: Sendable, CustomStringConvertible {
    let name: String
    let op: String
    /// Dtypes whose conformance cases must catch it (where the bug changes the result beyond the model).
    let caughtIn: [DType]
    /// Why the other dtypes are exempt, when some are.
    let exemption: String?
    /// The faulty computation: the output values, rounded to the output dtype by the caller.
    let compute: @Sendable (OpProblem, [RefTensor]) -> [Double]

    var description: String { name }

    init(
        _ name: String,
        op: String,
        caughtIn: [DType] = [.f64, .f32, .f16, .bf16],
        exemption: String? = nil,
        compute: @escaping @Sendable (OpProblem, [RefTensor]) -> [Double]
    ) {
        self.name = name
        self.op = op
        self.caughtIn = caughtIn
        self.exemption = exemption
        self.compute = compute
    }

    static func reference(_ op: String, _ problem: OpProblem, _ inputs: [RefTensor]) -> [Double] {
        try! OpCatalogue.standard.op(named: op).reference(problem, inputs: inputs).data
    }

    /// The next narrower float (f64→f32, f32→bf16, f16→bf16); bf16 has none.
    static func narrower(_ dtype: DType) -> DType? {
        switch dtype {
        case .f64: return .f32
        case .f32, .f16: return .bf16
        default: return nil
        }
    }

    /// Truncation toward zero into `dtype` (instead of round-to-nearest-even).
    static func truncate(_ x: Double, to dtype: DType) -> Double {
        let rounded = dtype.round(x)
        guard x.isFinite, rounded.isFinite, abs(rounded) > abs(x) else { return rounded }
        return rounded - (x < 0 ? -1 : 1) * dtype.ulp(at: x)
    }
}
