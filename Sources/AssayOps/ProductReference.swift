/// The float64 product shared by the references of the GEMM-like ops (int8_matmul, linear).
enum ProductReference {
    /// out[i,j] = Σ_p a[i,p]·b[p,j] for row-major a (m×k) and b (k×n; n×k when `bTransposed`),
    /// summed in p order.
    static func multiply(_ a: [Double], _ b: [Double], _ dims: MatmulDims, bTransposed: Bool) -> [Double] {
        let (m, n, k) = (dims.m, dims.n, dims.k)
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += a[i * k + p] * (bTransposed ? b[j * k + p] : b[p * n + j]) }
                out[i * n + j] = sum
            }
        }
        return out
    }
}
