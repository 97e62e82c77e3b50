import AssayCore
import Testing

@testable import AssayOps

/// The ops that move values without arithmetic take their error model from `MovesValues`: bit for
/// bit. An arithmetic op must not (its default is the accumulation model).
@Suite struct MovesValuesTests {
    @Test func movingOpsAreBitForBit() throws {
        let moving = OpCatalogue.standard.operators.values.filter { $0 is any MovesValues }.map(\.name)
        for name in ["gather", "embedding", "slice", "reshape", "concat", "repeat_interleave", "transpose"] {
            #expect(moving.contains(name), "\(name) should move values")
        }
        for name in moving {
            let op = try OpCatalogue.standard.op(named: name)
            for dtype in op.dtypes {
                #expect(op.errorModel(for: dtype) == .correctlyRounded, "\(name) \(dtype.rawValue)")
            }
        }
    }

    @Test func arithmeticOpsAreNotMoving() throws {
        for name in ["matmul", "softmax", "reduce_sum", "layer_norm"] {
            let op = try OpCatalogue.standard.op(named: name)
            #expect(!(op is any MovesValues), "\(name)")
            #expect(op.errorModel(for: .f32) != .correctlyRounded, "\(name)")
        }
    }
}
