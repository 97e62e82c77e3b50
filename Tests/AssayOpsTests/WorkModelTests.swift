import Testing

@testable import AssayCore
@testable import AssayOps

@Suite struct WorkModelTests {
    let catalogue = OpCatalogue.standard

    @Test func matmulCountsTwoFlopsPerMultiplyAdd() throws {
        let p = try catalogue.problem(
            op: "matmul",
            params: ["b": .int(2), "m": .int(64), "n": .int(32), "k": .int(16)],
            attrs: [:],
            dtype: .bf16
        )
        #expect(p.flops == 2 * 2 * 64 * 32 * 16)
        #expect(p.minimumBytes == Double(2 * (64 * 16 + 16 * 32 + 64 * 32) * 2))
        #expect(p.reductionLength == 16)
        #expect(p.output.shape == [2, 64, 32])
    }

    @Test func transposedOperandsChangeStoredShapesOnly() throws {
        let p = try catalogue.problem(
            op: "matmul",
            params: ["m": .int(3), "n": .int(5), "k": .int(7)],
            attrs: ["transpose_a": .bool(true), "transpose_b": .bool(true)],
            dtype: .f32
        )
        #expect(p.inputs.map(\.shape) == [[7, 3], [5, 7]])
        #expect(p.output.shape == [3, 5])
    }

    @Test func conv2dOutputSizeAndFlops() throws {
        // ResNet-50 conv1: 224x224x3 → 112x112x64 with a 7x7 stride-2 pad-3 kernel.
        let p = try catalogue.problem(
            op: "conv2d",
            params: [
                "n": .int(1), "c": .int(3), "h": .int(224), "w": .int(224), "f": .int(64), "kh": .int(7), "kw": .int(7),
            ],
            attrs: ["stride": .ints([2, 2]), "padding": .ints([3, 3])],
            dtype: .f32
        )
        #expect(p.output.shape == [1, 64, 112, 112])
        #expect(p.flops == 2 * 64 * 112 * 112 * 3 * 49)
        #expect(p.reductionLength == 147)
    }

    @Test func causalAttentionCountsOnlyVisiblePairs() throws {
        let full = try catalogue.problem(
            op: "scaled_dot_product_attention",
            params: ["b": .int(1), "h": .int(2), "s": .int(4), "d": .int(8)],
            attrs: [:],
            dtype: .f32
        )
        let causal = try catalogue.problem(
            op: "scaled_dot_product_attention",
            params: ["b": .int(1), "h": .int(2), "s": .int(4), "d": .int(8)],
            attrs: ["causal": .bool(true)],
            dtype: .f32
        )
        #expect(full.flops == 4 * 2 * 16 * 8)
        #expect(causal.flops == 4 * 2 * 10 * 8)
    }

    @Test func memoryBoundOpsHaveLowIntensity() throws {
        let copy = try catalogue.problem(op: "copy", params: ["shape": .ints([1024])], attrs: [:], dtype: .f32)
        #expect(copy.flops == 0 && copy.minimumBytes == 8192)
        let embedding = try catalogue.problem(
            op: "embedding",
            params: ["vocab": .int(1000), "dim": .int(16), "tokens": .int(4)],
            attrs: [:],
            dtype: .f16
        )
        #expect(embedding.minimumBytes == Double(4 * 4 + 2 * 4 * 16 * 2))
        let add = try catalogue.problem(
            op: "add",
            params: ["a": .ints([4, 1, 8]), "b": .ints([3, 8])],
            attrs: [:],
            dtype: .f32
        )
        #expect(add.output.shape == [4, 3, 8])
        #expect(add.flops == 96)
        let mean = try catalogue.problem(
            op: "reduce_mean",
            params: ["shape": .ints([3, 5, 7])],
            attrs: ["axes": .ints([0, 2]), "keepdim": .bool(true)],
            dtype: .f32
        )
        #expect(mean.output.shape == [1, 5, 1] && mean.reductionLength == 21)
        let int8 = try catalogue.problem(
            op: "matmul_int8",
            params: ["m": .int(4), "n": .int(4), "k": .int(8)],
            attrs: [:],
            dtype: .int8
        )
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
            _ = try catalogue.problem(
                op: "gelu",
                params: ["shape": .ints([3])],
                attrs: ["approximate": .string("fast")],
                dtype: .f32
            )
            Issue.record("bad attr accepted")
        } catch let error as OpError {
            #expect(error.field == "attrs")
        } catch { Issue.record("\(error)") }
        #expect(throws: OpError.self) {
            try catalogue.problem(
                op: "matmul_int8",
                params: ["m": .int(1), "n": .int(1), "k": .int(1)],
                attrs: [:],
                dtype: .f32
            )
        }
    }

    @Test func toleranceScalesWithReductionLength() {
        let policy = TolerancePolicy.standard(for: .bf16, reductionLength: 4096)
        #expect(policy.rtol == 1.6e-2 && abs(policy.atol - 0.64) < 1e-12)
        let int8 = TolerancePolicy.standard(for: .int8, reductionLength: 100)
        #expect(int8.rtol == 0 && int8.atol == 0 && int8.model == .exact)
        let f16 = TolerancePolicy.standard(for: .f16, reductionLength: 1)
        #expect(f16.accepts(actual: .infinity, expected: 70000, dtype: .f16))  // overflow is judged after rounding
        #expect(!f16.accepts(actual: 65504, expected: 70000, dtype: .f16))
        #expect(!f16.accepts(actual: 0, expected: .nan, dtype: .f16))
        #expect(!f16.accepts(actual: .nan, expected: 1, dtype: .f16))
    }
}

/// Every op's work model against hand-computed FLOPs and minimum bytes (f32 unless stated).
@Suite struct EveryOpWorkModelTests {
    static let cases: [(op: String, params: AttrMap, attrs: AttrMap, dtype: DType, flops: Double, bytes: Double)] = [
        ("matmul", ["m": .int(4), "n": .int(5), "k": .int(6)], [:], .f32, 240, 4 * (24 + 30 + 20)),
        ("matmul_int8", ["m": .int(4), "n": .int(5), "k": .int(6)], [:], .int8, 240, 24 + 30 + 4 * 20),
        ("linear", ["m": .int(4), "n": .int(5), "k": .int(6)], [:], .f32, 240, 4 * (24 + 30 + 5 + 20)),
        (
            "conv2d",
            ["n": .int(1), "c": .int(2), "h": .int(4), "w": .int(4), "f": .int(3), "kh": .int(3), "kw": .int(3)], [:],
            .f32,
            2 * 3 * 4 * 18, 4 * (32 + 54 + 12)
        ),
        (
            "scaled_dot_product_attention", ["b": .int(1), "h": .int(1), "s": .int(2), "d": .int(4)], [:], .f32,
            4 * 4 * 4, 4 * 32
        ),
        ("softmax", ["shape": .ints([2, 8])], [:], .f32, 80, 128),
        ("log_softmax", ["shape": .ints([2, 8])], [:], .f32, 80, 128),
        ("layer_norm", ["shape": .ints([2, 8])], [:], .bf16, 128, 2 * (16 + 8 + 8 + 16)),
        ("rms_norm", ["shape": .ints([2, 8])], [:], .f16, 80, 2 * (16 + 8 + 16)),
        ("gelu", ["shape": .ints([10])], [:], .f32, 80, 80),
        ("silu", ["shape": .ints([10])], [:], .f32, 40, 80),
        ("relu", ["shape": .ints([10])], [:], .f32, 10, 80),
        ("add", ["a": .ints([2, 3]), "b": .ints([3])], [:], .f32, 6, 4 * (6 + 3 + 6)),
        ("mul", ["a": .ints([2, 3]), "b": .ints([2, 3])], [:], .f32, 6, 4 * 18),
        ("reduce_sum", ["shape": .ints([4, 5])], [:], .f32, 20, 4 * 24),
        ("reduce_mean", ["shape": .ints([4, 5])], ["axes": .ints([0])], .f32, 20, 4 * 25),
        ("embedding", ["vocab": .int(100), "dim": .int(8), "tokens": .int(3)], [:], .f32, 0, 12 + 2 * 4 * 24),
        ("rotary_embedding", ["s": .int(2), "h": .int(1), "d": .int(4)], [:], .f32, 24, 4 * (8 + 4 + 4 + 8)),
        ("transpose", ["shape": .ints([3, 5])], [:], .f32, 0, 120),
        ("copy", ["shape": .ints([7])], [:], .f64, 0, 112),
        ("reshape", ["shape": .ints([3, 5])], ["to": .ints([5, -1])], .f32, 0, 120),
        ("concat", ["shape": .ints([2, 6])], [:], .f32, 0, 96),
        // only the kept rows are read
        ("slice", ["shape": .ints([4, 6])], ["start": .int(1), "end": .int(3)], .f32, 0, 64),
        ("gather", ["shape": .ints([10, 4]), "count": .int(3)], [:], .f32, 0, 12 + 2 * 4 * 12),
        ("repeat_interleave", ["shape": .ints([1, 2, 3])], [:], .f32, 0, 4 * (6 + 12)),
        ("argmax", ["shape": .ints([4, 8])], [:], .f32, 32, 4 * 32 + 4 * 4),
        ("topk", ["shape": .ints([4, 8])], ["k": .int(2)], .f32, 4 * 8 * 3, 4 * 32 + 4 * 8),
        ("where", ["shape": .ints([2, 3])], [:], .f32, 0, 6 + 3 * 24),
        ("masked_fill", ["shape": .ints([2, 3]), "mask": .ints([3])], [:], .f32, 0, 24 + 3 + 24),
        ("cast", ["shape": .ints([5])], ["to": .string("f16")], .f32, 0, 20 + 10),
        ("batch_norm", ["shape": .ints([2, 3, 2])], [:], .f32, 48, 4 * (12 + 4 * 3 + 12)),
    ]

    @Test(arguments: 0..<cases.count)
    func workModel(index: Int) throws {
        let c = Self.cases[index]
        let problem = try OpCatalogue.standard.problem(op: c.op, params: c.params, attrs: c.attrs, dtype: c.dtype)
        #expect(problem.flops == c.flops, "\(c.op) flops")
        #expect(problem.minimumBytes == c.bytes, "\(c.op) bytes")
    }

    @Test func everyCatalogueOpIsCovered() {
        #expect(Set(Self.cases.map(\.op)) == Set(OpCatalogue.standard.names))
    }
}
