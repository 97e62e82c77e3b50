import CAssayKernels
import Testing

@testable import AssayBackend
@testable import AssayCore

/// The f16 GEMM (F16C widening inside the packing, f32 accumulation) and the f16/bf16 GEMV
/// against an f64 product of the same f16/bf16 values at awkward sizes: m = 1 and n = 1 (the
/// GEMV, both matrix layouts), k not a multiple of the K slice or of the GEMV's 4-row step,
/// ragged tiles, A and B transposed. f16·f16 and bf16·bf16 products are exact in f32, so only
/// f32 accumulation separates the kernel from the reference.
@Suite struct F16GemmTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        let m, n, k: Int
        let ta, tb: Bool
        var testDescription: String { "m\(m) n\(n) k\(k)\(ta ? " Aᵀ" : "")\(tb ? " Bᵀ" : "")" }
    }

    static let shapes: [Shape] = [
        Shape(m: 1, n: 1, k: 1, ta: false, tb: false), Shape(m: 1, n: 100, k: 77, ta: false, tb: false),
        Shape(m: 1, n: 100, k: 77, ta: false, tb: true), Shape(m: 1, n: 65, k: 385, ta: true, tb: false),
        Shape(m: 40, n: 1, k: 9, ta: false, tb: false), Shape(m: 40, n: 1, k: 9, ta: true, tb: true),
        Shape(m: 13, n: 45, k: 37, ta: false, tb: false), Shape(m: 13, n: 45, k: 37, ta: true, tb: true),
        Shape(m: 130, n: 70, k: 777, ta: false, tb: false), Shape(m: 7, n: 200, k: 385, ta: false, tb: true),
        Shape(m: 70, n: 130, k: 385, ta: true, tb: false),
    ]

    /// A matrix of `count` random values in [-1, 1) as f16 or bf16 bits.
    private static func operand(_ count: Int, bf16: Bool, _ generator: inout SplitMix64) -> [UInt16] {
        let values = (0..<count).map { _ in Float(generator.nextSigned()) }
        var bits = [UInt16](repeating: 0, count: count)
        if bf16 {
            assay_f32_to_bf16(values, &bits, Int64(count))
        } else {
            assay_f32_to_f16(values, &bits, Int64(count))
        }
        return bits
    }

    private static func value(_ bits: UInt16, bf16: Bool) -> Double {
        var x: Float = 0
        if bf16 { assay_bf16_to_f32([bits], &x, 1) } else { assay_f16_to_f32([bits], &x, 1) }
        return Double(x)
    }

    /// Largest |c − exact| / Σ|terms| over C (m×n, row stride n) for op(A)·op(B) stored as the shape says.
    static func worstError(_ c: [Float], _ a: [UInt16], _ b: [UInt16], _ s: Shape, bf16: Bool) -> Double {
        var worst = 0.0
        for i in 0..<s.m {
            for j in 0..<s.n {
                var exact = 0.0
                var magnitude = 0.0
                for p in 0..<s.k {
                    let term =
                        value(s.ta ? a[p * s.m + i] : a[i * s.k + p], bf16: bf16)
                        * value(s.tb ? b[j * s.k + p] : b[p * s.n + j], bf16: bf16)
                    exact += term
                    magnitude += abs(term)
                }
                let error = abs(Double(c[i * s.n + j]) - exact) / Swift.max(magnitude, 1e-30)
                worst = error.isNaN ? .infinity : Swift.max(worst, error)
            }
        }
        return worst
    }

    /// f32 accumulation of exact products: a few k·2⁻²⁴ relative to Σ|terms| at most.
    static func tolerance(_ s: Shape) -> Double { Double(s.k) * 6e-8 }

    /// C from assay_gemm_f16 with `k` terms (the shape's k unless a test drops some).
    static func f16Product(_ a: [UInt16], _ b: [UInt16], _ s: Shape, k: Int? = nil, threads: Int32 = 2) -> [Float] {
        var c = [Float](repeating: .nan, count: s.m * s.n)
        assay_gemm_f16(
            Int64(s.m),
            Int64(s.n),
            Int64(k ?? s.k),
            a,
            Int64(s.ta ? s.m : s.k),
            s.ta ? 1 : 0,
            b,
            Int64(s.tb ? s.k : s.n),
            s.tb ? 1 : 0,
            &c,
            Int64(s.n),
            threads
        )
        return c
    }

    @Test(arguments: shapes)
    func f16MatchesTheExactProduct(_ s: Shape) {
        var generator = SplitMix64(seed: UInt64(s.m * 1_000_003 + s.n * 1_009 + s.k))
        let a = Self.operand(s.m * s.k, bf16: false, &generator)
        let b = Self.operand(s.k * s.n, bf16: false, &generator)
        for threads: Int32 in [1, 2] {
            let worst = Self.worstError(Self.f16Product(a, b, s, threads: threads), a, b, s, bf16: false)
            #expect(worst < Self.tolerance(s), "\(s.testDescription), \(threads) threads: relative error \(worst)")
        }
    }

    /// The bf16 GEMV (m = 1) in both layouts of B, k not a multiple of 4 or 16.
    @Test(arguments: [
        Shape(m: 1, n: 1, k: 1, ta: false, tb: false), Shape(m: 1, n: 33, k: 301, ta: false, tb: false),
        Shape(m: 1, n: 33, k: 301, ta: false, tb: true), Shape(m: 1, n: 4097, k: 6, ta: false, tb: false),
    ])
    func bf16GemvMatchesTheExactProduct(_ s: Shape) throws {
        var generator = SplitMix64(seed: UInt64(s.n * 7 + s.k))
        let a = Self.operand(s.k, bf16: true, &generator)
        let b = Self.operand(s.k * s.n, bf16: true, &generator)
        var c = [Float](repeating: .nan, count: s.n)
        let done = assay_gemm_bf16(
            1,
            Int64(s.n),
            Int64(s.k),
            a,
            Int64(s.k),
            b,
            Int64(s.tb ? s.k : s.n),
            s.tb ? 1 : 0,
            &c,
            2
        )
        try #require(done == 1, "this CPU has no AVX512-BF16 (the kernel declined)")
        let worst = Self.worstError(c, a, b, s, bf16: true)
        #expect(worst < Self.tolerance(s), "\(s.testDescription): relative error \(worst)")
    }

    /// The check rejects deliberately wrong kernels: the last k term dropped, B read in the
    /// other layout, and a matrix whose infinity must reach C (a GEMV padding its 4-row step by
    /// re-reading a row with weight 0 would turn it into NaN).
    @Test func theCheckRejectsWrongProducts() {
        var generator = SplitMix64(seed: 99)
        for s in [Shape(m: 1, n: 64, k: 301, ta: false, tb: false), Shape(m: 13, n: 45, k: 45, ta: false, tb: false)] {
            let a = Self.operand(s.m * s.k, bf16: false, &generator)
            let b = Self.operand(s.k * s.n, bf16: false, &generator)
            let dropped = Self.worstError(Self.f16Product(a, b, s, k: s.k - 1), a, b, s, bf16: false)
            #expect(
                dropped > Self.tolerance(s),
                "\(s.testDescription): the last term dropped went unnoticed (\(dropped))"
            )
            let flipped = Shape(m: s.m, n: s.n, k: s.k, ta: s.ta, tb: !s.tb)
            if s.n == s.k {
                let wrong = Self.worstError(Self.f16Product(a, b, flipped), a, b, s, bf16: false)
                #expect(wrong > Self.tolerance(s), "\(s.testDescription): B read transposed went unnoticed (\(wrong))")
            }
        }
        // 1×2 · 5×2 (k = 5: one 4-row step, one leftover row): y = a·B with B[4][0] = +inf, a[4] = 1.
        let one: UInt16 = 0x3c00
        let inf: UInt16 = 0x7c00
        var y: [Float] = [0, 0]
        assay_gemm_f16(
            1,
            2,
            5,
            [one, one, one, one, one],
            5,
            0,
            [one, one, one, one, one, one, one, one, inf, one],
            2,
            0,
            &y,
            2,
            1
        )
        #expect(y == [.infinity, 5])
    }
}
