import AssayBench
import AssayCore
import AssayOps
import Foundation

extension NativeCPUBackend {
    /// Times k back-to-back calls per sample with the host's monotonic clock.
    ///
    /// Inputs are generated once from the seed (random, never zeros) and converted to the
    /// working precision outside the timed region; the timed call is the kernel itself.
    /// In cold mode a buffer of twice the last-level cache is written, untimed, before each sample.
    public func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] {
        let call = try cachedCall(for: request)
        let clock = MonotonicClock()
        let flusher = request.mode == .cold ? coldFlusher : nil
        var samples: [MeasuredSample] = []
        for _ in 0..<request.samples {
            flusher?.flush()
            let start = clock.nanoseconds()
            for _ in 0..<request.k { try call() }
            samples.append(MeasuredSample(elapsedNanoseconds: Double(clock.nanoseconds() - start)))
        }
        return samples
    }

    /// The sampler asks for many small batches of one case: generate and convert its inputs once.
    private func cachedCall(for request: BenchmarkRequest) throws -> () throws -> Void {
        if let cached = preparedBenchmark, cached.problem == request.problem, cached.seed == request.seed {
            return cached.call
        }
        let inputs = InputGenerator.inputs(
            for: request.problem,
            values: .random,
            seed: request.seed,
            caseID: "benchmark/\(request.problem.op)",
            specials: .none
        )
        let call = try preparedCall(request.problem, inputs)
        preparedBenchmark = PreparedBenchmark(problem: request.problem, seed: request.seed, call: call)
        return call
    }

    /// Converts inputs once and returns a closure that runs only the kernel.
    private func preparedCall(_ problem: OpProblem, _ inputs: [Tensor]) throws -> () throws -> Void {
        switch (problem.op, problem.dtype) {
        case ("matmul_int8", _), ("embedding", _):
            return { _ = try self.compute(problem, inputs) }
        case (_, .f64):
            let kernels = NativeKernels<Double>(threads: threads, pool: OutputPool(), catalogue: catalogue)
            let values = inputs.map { $0.values() }
            return { _ = try kernels.run(problem, values) }
        case (_, .f32):
            let kernels = NativeKernels<Float>(threads: threads, pool: OutputPool(), catalogue: catalogue)
            let floats = inputs.map(FloatConversion.floats(of:))
            return { _ = try kernels.run(problem, floats) }
        default:
            // f16/bf16: inputs arrive in the dtype, so the timed call widens them (or runs a direct
            // path), computes in f32 and rounds the result back, as the conformance path does.
            lowPrecisionBytes = OutputPool()
            lowPrecisionFloats = OutputPool()
            return { _ = try self.compute(problem, inputs) }
        }
    }
}
