import Testing
@testable import AssayCore
@testable import AssayOps

@Suite struct WorkModelTests {
    let catalogue = OpCatalogue.standard

    @Test func matmulCountsTwoFlopsPerMultiplyAdd() throws {
        let p = try catalogue.problem(op: "matmul", params: ["b": .int(2), "m": .int(64), "n": .int(32), "k": .int(16)], attrs: [:], dtype: .bf16)
        #expect(p.flops == 2 * 2 * 64 * 32 * 16)
        #expect(p.minimumBytes == Double(2 * (64 * 16 + 16 * 32 + 64 * 32) * 2))
        #expect(p.reductionLength == 16)
        #expect(p.output.shape == [2, 64, 32])
    }

    @Test func transposedOperandsChangeStoredShapesOnly() throws {
        let p = try catalogue.problem(op: "matmul", params: ["m": .int(3), "n": .int(5), "k": .int(7)],
                                      attrs: ["transpose_a": .bool(true), "transpose_b": .bool(true)], dtype: .f32)
        #expect(p.inputs.map(\.shape) == [[7, 3], [5, 7]])
        #expect(p.output.shape == [3, 5])
    }

    @Test func conv2dOutputSizeAndFlops() throws {
        // ResNet-50 conv1: 224x224x3 → 112x112x64 with a 7x7 stride-2 pad-3 kernel.
        let p = try catalogue.problem(op: "conv2d", params: ["n": .int(1), "c": .int(3), "h": .int(224), "w": .int(224), "f": .int(64), "kh": .int(7), "kw": .int(7)],
                                      attrs: ["stride": .ints([2, 2]), "padding": .ints([3, 3])], dtype: .f32)
        #expect(p.output.shape == [1, 64, 112, 112])
        #expect(p.flops == 2 * 64 * 112 * 112 * 3 * 49)
        #expect(p.reductionLength == 147)
    }

    @Test func causalAttentionCountsOnlyVisiblePairs() throws {
        let full = try catalogue.problem(op: "scaled_dot_product_attention", params: ["b": .int(1), "h": .int(2), "s": .int(4), "d": .int(8)], attrs: [:], dtype: .f32)
        let causal = try catalogue.problem(op: "scaled_dot_product_attention", params: ["b": .int(1), "h": .int(2), "s": .int(4), "d": .int(8)],
                                           attrs: ["causal": .bool(true)], dtype: .f32)
        #expect(full.flops == 4 * 2 * 16 * 8)
        #expect(causal.flops == 4 * 2 * 10 * 8)
    }

    @Test func memoryBoundOpsHaveLowIntensity() throws {
        let copy = try catalogue.problem(op: "copy", params: ["shape": .ints([1024])], attrs: [:], dtype: .f32)
        #expect(copy.flops == 0 && copy.minimumBytes == 8192)
        let embedding = try catalogue.problem(op: "embedding", params: ["vocab": .int(1000), "dim": .int(16), "tokens": .int(4)], attrs: [:], dtype: .f16)
        #expect(embedding.minimumBytes == Double(4 * 4 + 2 * 4 * 16 * 2))
        let add = try catalogue.problem(op: "add", params: ["a": .ints([4, 1, 8]), "b": .ints([3, 8])], attrs: [:], dtype: .f32)
        #expect(add.output.shape == [4, 3, 8])
        #expect(add.flops == 96)
        let mean = try catalogue.problem(op: "reduce_mean", params: ["shape": .ints([3, 5, 7])], attrs: ["axes": .ints([0, 2]), "keepdim": .bool(true)], dtype: .f32)
        #expect(mean.output.shape == [1, 5, 1] && mean.reductionLength == 21)
        let int8 = try catalogue.problem(op: "matmul_int8", params: ["m": .int(4), "n": .int(4), "k": .int(8)], attrs: [:], dtype: .int8)
        #expect(int8.output.dtype == .int32 && int8.flops == 256)
    }

    @Test func badProblemsNameTheirField() {
        #expect(throws: OpError.self) { try catalogue.problem(op: "matmull", params: [:], attrs: [:], dtype: .f32) }
        do {
            _ = try catalogue.problem(op: "add", params: ["a": .ints([3]), "b": .ints([4])], attrs: [:], dtype: .f32)
            Issue.record("incompatible broadcast accepted")
        } catch let error as OpError {
            #expect(error.field == "shapes")
        } catch { Issue.record("\(error)") }
        do {
            _ = try catalogue.problem(op: "gelu", params: ["shape": .ints([3])], attrs: ["approximate": .string("fast")], dtype: .f32)
            Issue.record("bad attr accepted")
        } catch let error as OpError {
            #expect(error.field == "attrs")
        } catch { Issue.record("\(error)") }
        #expect(throws: OpError.self) { try catalogue.problem(op: "matmul_int8", params: ["m": .int(1), "n": .int(1), "k": .int(1)], attrs: [:], dtype: .f32) }
    }

    @Test func toleranceScalesWithReductionLength() {
        let policy = TolerancePolicy.standard(for: .bf16, reductionLength: 4096)
        #expect(policy.rtol == 1.6e-2 && abs(policy.atol - 0.64) < 1e-12)
        #expect(TolerancePolicy.standard(for: .int8, reductionLength: 100) == TolerancePolicy(rtol: 0, atol: 0))
        let f16 = TolerancePolicy.standard(for: .f16, reductionLength: 1)
        #expect(f16.accepts(actual: .infinity, expected: 70000, dtype: .f16))   // overflow is judged after rounding
        #expect(!f16.accepts(actual: 65504, expected: 70000, dtype: .f16))
        #expect(!f16.accepts(actual: 0, expected: .nan, dtype: .f16))
        #expect(!f16.accepts(actual: .nan, expected: 1, dtype: .f16))
    }
}
