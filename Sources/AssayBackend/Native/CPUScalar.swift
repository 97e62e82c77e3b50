import CAssayKernels
import Foundation

/// The arithmetic the native kernels need, for the two types they compute in:
/// f32 (also for f16 and bf16, as a real CPU library does) and f64.
protocol CPUScalar: BinaryFloatingPoint, Sendable, RowKernels {
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func errorFunction(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    /// C = op(A)·op(B) for row-major operands (see `assay_sgemm`).
    static func gemm(
        m: Int,
        n: Int,
        k: Int,
        a: UnsafePointer<Self>,
        lda: Int,
        transposeA: Bool,
        b: UnsafePointer<Self>,
        ldb: Int,
        transposeB: Bool,
        c: UnsafeMutablePointer<Self>,
        ldc: Int,
        threads: Int
    )
}

extension Float: CPUScalar {
    static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    static func errorFunction(_ x: Float) -> Float { Foundation.erf(x) }
    static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
    static func gemm(
        m: Int,
        n: Int,
        k: Int,
        a: UnsafePointer<Float>,
        lda: Int,
        transposeA: Bool,
        b: UnsafePointer<Float>,
        ldb: Int,
        transposeB: Bool,
        c: UnsafeMutablePointer<Float>,
        ldc: Int,
        threads: Int
    ) {
        assay_sgemm(
            Int64(m),
            Int64(n),
            Int64(k),
            a,
            Int64(lda),
            transposeA ? 1 : 0,
            b,
            Int64(ldb),
            transposeB ? 1 : 0,
            c,
            Int64(ldc),
            Int32(threads)
        )
    }
}

extension Double: CPUScalar {
    static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    static func errorFunction(_ x: Double) -> Double { Foundation.erf(x) }
    static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }

    /// A cache-blocked f64 GEMM in Swift, rows split across threads (no C kernel for f64).
    static func gemm(
        m: Int,
        n: Int,
        k: Int,
        a: UnsafePointer<Double>,
        lda: Int,
        transposeA: Bool,
        b: UnsafePointer<Double>,
        ldb: Int,
        transposeB: Bool,
        c: UnsafeMutablePointer<Double>,
        ldc: Int,
        threads: Int
    ) {
        let cAddress = Int(bitPattern: c)
        Parallel.forEachChunk(count: m, threads: threads, minimumPerThread: 8) { rows in
            let c = UnsafeMutablePointer<Double>(bitPattern: cAddress)!
            let blockK = 256
            var row = [Double](repeating: 0, count: n)
            for i in rows {
                for j in 0..<n { row[j] = 0 }
                var p0 = 0
                while p0 < k {
                    let p1 = Swift.min(k, p0 + blockK)
                    for p in p0..<p1 {
                        let av = transposeA ? a[p * lda + i] : a[i * lda + p]
                        if transposeB {
                            for j in 0..<n { row[j] += av * b[j * ldb + p] }
                        } else {
                            let bRow = b + p * ldb
                            for j in 0..<n { row[j] += av * bRow[j] }
                        }
                    }
                    p0 = p1
                }
                for j in 0..<n { c[i * ldc + j] = row[j] }
            }
        }
    }
}
