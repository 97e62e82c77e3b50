import CAssayKernels
import Testing

@testable import AssayBackend
@testable import AssayCore

/// The AVX512-BF16 GEMM against an f64 product of the same bf16 values: ragged tiles, odd k,
/// B transposed, the m = 1 GEMV, several K slices; and its refusal of subnormal operands.
@Suite struct BF16GemmTests {
    static let shapes: [(m: Int, n: Int, k: Int, tb: Bool)] = [
        (13, 45, 37, false), (13, 45, 37, true), (130, 70, 600, false), (1, 100, 77, false), (1, 100, 77, true),
        (40, 1, 9, false),
    ]

    private static func bf16(_ values: [Float]) -> [UInt16] {
        var bits = [UInt16](repeating: 0, count: values.count)
        assay_f32_to_bf16(values, &bits, Int64(values.count))
        return bits
    }

    private static func value(_ bits: UInt16) -> Double { Double(Float(bitPattern: UInt32(bits) << 16)) }

    @Test(arguments: 0..<shapes.count)
    func matchesTheExactProduct(index: Int) throws {
        let (m, n, k, tb) = Self.shapes[index]
        var generator = SplitMix64(seed: UInt64(index + 1))
        let a = Self.bf16((0..<(m * k)).map { _ in Float(generator.nextSigned()) })
        let b = Self.bf16((0..<(k * n)).map { _ in Float(generator.nextSigned()) })
        var c = [Float](repeating: .nan, count: m * n)
        let done = assay_gemm_bf16(Int64(m), Int64(n), Int64(k), a, Int64(k), b, Int64(tb ? k : n), tb ? 1 : 0, &c, 2)
        try #require(done == 1, "this CPU has no AVX512-BF16 (the kernel declined)")
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var exact = 0.0
                var magnitude = 0.0
                for p in 0..<k {
                    let term = Self.value(a[i * k + p]) * Self.value(tb ? b[j * k + p] : b[p * n + j])
                    exact += term
                    magnitude += abs(term)
                }
                worst = Swift.max(worst, abs(Double(c[i * n + j]) - exact) / Swift.max(magnitude, 1e-30))
            }
        }
        // f32 accumulation of exact products: a few k·2⁻²⁴ relative to Σ|terms| at most.
        #expect(worst < Double(k) * 6e-8, "m\(m) n\(n) k\(k) tb \(tb): relative error \(worst)")
    }

    /// m > 1 declines a subnormal operand (VDPBF16PS would flush it); the m = 1 GEMV keeps it.
    @Test func subnormalOperands() {
        let a: [UInt16] = [0x3f80, 0x0001, 0x3f80, 0x3f80]
        let b: [UInt16] = [0x3f80, 0x3f80]  // 0x0001: the smallest subnormal
        var c: [Float] = [-7, -7]
        #expect(assay_gemm_bf16(2, 1, 2, a, 2, b, 1, 0, &c, 1) == 0)
        #expect(c == [-7, -7])
        var y: [Float] = [-7]
        let b2: [UInt16] = [0x0001, 0x3f80]
        #expect(assay_gemm_bf16(1, 1, 2, [0x3f80, 0x0000], 2, b2, 1, 0, &y, 1) == 1)
        #expect(y == [Float(bitPattern: 0x0001_0000)])
    }
}
