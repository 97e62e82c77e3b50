import AssayCore
import AssayOps
import CAssayKernels

extension NativeCPUBackend {
    /// matmul / linear in f16 or bf16 straight from the operands' own bits, f32 accumulation,
    /// rounded once to the dtype: bf16 with AVX512-BF16, f16 widened by F16C inside the packing
    /// (m = 1 or n = 1: a GEMV streaming the matrix in f16/bf16). nil where the kernel declines
    /// (bf16 without AVX512-BF16, a transposed bf16 A, a subnormal bf16 operand): the caller then
    /// takes the widened f32 path.
    func lowPrecisionGemm(_ problem: OpProblem, _ inputs: [Tensor]) -> Tensor? {
        let dtype = problem.dtype
        let ta = problem.attrBool("transpose_a")
        guard dtype == .f16 || (dtype == .bf16 && !ta) else { return nil }
        let m = problem.int("m")
        let n = problem.int("n")
        let k = problem.int("k")
        guard m > 0, n > 0, k > 0 else { return nil }
        let linear = problem.op == "linear"
        let batch = linear ? 1 : problem.params["b"]?.intValue ?? 1
        let tb = linear || problem.attrBool("transpose_b")
        var out = lowPrecisionFloats?.take(batch * m * n) ?? [Float](repeating: 0, count: batch * m * n)
        defer { lowPrecisionFloats?.keep(out) }
        let done = inputs[0].withUnsafeBytes { a in
            inputs[1].withUnsafeBytes { b in
                out.withUnsafeMutableBufferPointer { c in
                    let a = a.bindMemory(to: UInt16.self).baseAddress!
                    let b = b.bindMemory(to: UInt16.self).baseAddress!
                    return (0..<batch).allSatisfy { index in
                        let ai = a + index * m * k
                        let bi = b + index * k * n
                        let ci = c.baseAddress! + index * m * n
                        let lda = Int64(ta ? m : k)
                        let ldb = Int64(tb ? k : n)
                        if dtype == .f16 {
                            assay_gemm_f16(
                                Int64(m),
                                Int64(n),
                                Int64(k),
                                ai,
                                lda,
                                ta ? 1 : 0,
                                bi,
                                ldb,
                                tb ? 1 : 0,
                                ci,
                                Int64(n),
                                Int32(threads)
                            )
                            return true
                        }
                        return assay_gemm_bf16(
                            Int64(m),
                            Int64(n),
                            Int64(k),
                            ai,
                            lda,
                            bi,
                            ldb,
                            tb ? 1 : 0,
                            ci,
                            Int32(threads)
                        ) == 1
                    }
                }
            }
        }
        guard done else { return nil }
        if linear, inputs.count > 2 {
            let bias = FloatConversion.floats(of: inputs[2])
            for i in 0..<m { for j in 0..<n { out[i * n + j] += bias[j] } }
        }
        var bytes =
            lowPrecisionBytes?.take(problem.output.byteCount) ?? [UInt8](repeating: 0, count: problem.output.byteCount)
        bytes.withUnsafeMutableBytes {
            let y = $0.bindMemory(to: UInt16.self).baseAddress
            if dtype == .f16 {
                assay_f32_to_f16(out, y, Int64(out.count))
            } else {
                assay_f32_to_bf16(out, y, Int64(out.count))
            }
        }
        lowPrecisionBytes?.keep(bytes)
        return try? Tensor(dtype: dtype, shape: problem.output.shape, bytes: bytes)
    }
}

extension NativeCPUBackend {
    /// add / mul of equal shapes and last-axis softmax in f16 or bf16, on the tensors' own bits
    /// (widened block by block through L1, bit-identical to the widened path); nil otherwise.
    func lowPrecisionRowOp(_ problem: OpProblem, _ inputs: [Tensor]) -> Tensor? {
        guard problem.dtype == .f16 || problem.dtype == .bf16, problem.output.shape.elementCount > 0 else { return nil }
        let bf16: Int32 = problem.dtype == .bf16 ? 1 : 0
        let shape = problem.output.shape
        let count = shape.elementCount
        switch problem.op {
        case "add", "mul":
            guard inputs.allSatisfy({ $0.shape == shape }) else { return nil }
            let mul: Int32 = problem.op == "mul" ? 1 : 0
            return lowPrecisionOutput(problem, inputs, rows: count, n: 1) { a, b, y, range in
                assay_binary_lp(
                    bf16,
                    mul,
                    a + range.lowerBound,
                    b! + range.lowerBound,
                    y + range.lowerBound,
                    Int64(range.count)
                )
            }
        case "softmax", "log_softmax":
            guard let axis = shape.normalizedAxis(problem.attrs["axis"]?.intValue ?? -1), axis == shape.rank - 1,
                let n = shape.dims.last, n > 0, n <= 8192
            else { return nil }  // the kernel's row limit
            let log: Int32 = problem.op == "log_softmax" ? 1 : 0
            return lowPrecisionOutput(problem, inputs, rows: count / n, n: n) { x, _, y, rows in
                _ = assay_softmax_rows_lp(
                    bf16,
                    x + rows.lowerBound * n,
                    y + rows.lowerBound * n,
                    Int64(rows.count),
                    Int64(n),
                    log
                )
            }
        default:
            return nil
        }
    }

    /// An output of the problem's dtype (pooled between benchmark calls), its `rows` rows of `n`
    /// split across threads.
    private func lowPrecisionOutput(
        _ problem: OpProblem,
        _ inputs: [Tensor],
        rows: Int,
        n: Int,
        _ kernel: (UnsafePointer<UInt16>, UnsafePointer<UInt16>?, UnsafeMutablePointer<UInt16>, Range<Int>) -> Void
    ) -> Tensor? {
        var bytes =
            lowPrecisionBytes?.take(problem.output.byteCount) ?? [UInt8](repeating: 0, count: problem.output.byteCount)
        bytes.withUnsafeMutableBytes { out in
            inputs[0].withUnsafeBytes { a in
                let second = inputs.count > 1 ? inputs[1] : inputs[0]
                second.withUnsafeBytes { b in
                    let pointers = UncheckedSendable(
                        (
                            a.bindMemory(to: UInt16.self).baseAddress!,
                            inputs.count > 1 ? b.bindMemory(to: UInt16.self).baseAddress : nil,
                            out.bindMemory(to: UInt16.self).baseAddress!
                        )
                    )
                    Parallel.forEachChunk(count: rows, threads: threads, minimumPerThread: Swift.max(1, 65_536 / n)) {
                        chunk in
                        kernel(pointers.value.0, pointers.value.1, pointers.value.2, chunk)
                    }
                }
            }
        }
        lowPrecisionBytes?.keep(bytes)
        return try? Tensor(dtype: problem.dtype, shape: problem.output.shape, bytes: bytes)
    }
}
