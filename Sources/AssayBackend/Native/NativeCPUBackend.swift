import AssayBench
import AssayCore
import AssayOps
import CAssayKernels
import Foundation

/// The built-in backend: this machine's CPU, with SIMD, multi-threaded kernels.
///
/// f16 and bf16 are computed in f32 and rounded once at the end, as a real CPU library does;
/// f64 runs in f64; int8 matmul accumulates exactly in int32.
public final class NativeCPUBackend: Backend {
    public static let version = AssayVersion.current
    let threads: Int
    let catalogue: OpCatalogue
    /// Allocated on first use by a cold-mode benchmark (it is twice the last-level cache).
    lazy var coldFlusher = CacheFlusher()
    /// The inputs of the case being benchmarked, prepared once.
    var preparedBenchmark: PreparedBenchmark?
    /// Output buffers of the f16/bf16 direct paths, kept between benchmark calls (see OutputPool).
    var lowPrecisionBytes: OutputPool<UInt8>?
    var lowPrecisionFloats: OutputPool<Float>?
    /// The graphs loaded into this backend (NativeCPUBackend+Graph), run on `compute`.
    lazy var graphInterpreter = GraphInterpreter { [unowned self] problem, inputs in [try self.compute(problem, inputs)] }

    public init(threads: Int? = nil, catalogue: OpCatalogue = .standard) {
        self.threads = Swift.max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.catalogue = catalogue
    }

    /// Every catalogue op in each dtype it is defined for.
    public func describe() throws -> BackendIdentity {
        var capabilities: [String: [String]] = [:]
        for (name, op) in catalogue.operators { capabilities[name] = op.dtypes.map(\.rawValue) }
        let memory = Double(ProcessInfo.processInfo.physicalMemory)
        return BackendIdentity(
            name: "native-cpu",
            version: NativeCPUBackend.version,
            transport: .builtin,
            devices: [.init(index: 0, name: NativeCPUBackend.cpuModelName(), kind: .cpu, memoryBytes: memory)],
            timer: .hostMonotonic,
            capabilities: CapabilityManifest(capabilities),
            runtime: ["threads": String(threads), "kernels": "CAssayKernels"]
        )
    }

    public func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.count == problem.inputs.count else {
            throw BackendError.invalid("\(problem.op) takes \(problem.inputs.count) inputs, got \(inputs.count)")
        }
        return [try compute(problem, inputs)]
    }

    func compute(_ problem: OpProblem, _ inputs: [Tensor]) throws -> Tensor {
        let output = problem.output
        if let result = try graphOp(problem, inputs) { return result }
        let lowPrecision = problem.dtype == .bf16 || problem.dtype == .f16
        switch catalogue.family(of: problem.op) {
        case .int8Matmul:
            return try int8Matmul(problem, inputs)
        case .embedding:
            return try gather(problem, inputs)
        case .matmul where lowPrecision, .linear where lowPrecision:
            if let result = lowPrecisionGemm(problem, inputs) { return result }
            fallthrough
        case .binary, .softmax:
            // The one-pass f16/bf16 kernels take add, mul, softmax and log_softmax; nil otherwise.
            if let result = lowPrecisionRowOp(problem, inputs) { return result }
            fallthrough
        default:
            switch problem.dtype {
            case .f64:
                let result = try NativeKernels<Double>(threads: threads, catalogue: catalogue).run(
                    problem,
                    inputs.map { $0.values() }
                )
                return Tensor(dtype: .f64, shape: output.shape, values: result)
            case .f32, .f16, .bf16:
                let result = try NativeKernels<Float>(threads: threads, catalogue: catalogue).run(
                    problem,
                    inputs.map(FloatConversion.floats(of:))
                )
                return FloatConversion.tensor(from: result, dtype: output.dtype, shape: output.shape)
            default:
                throw BackendError.unsupported("\(problem.op) in \(problem.dtype.rawValue)")
            }
        }
    }

    private func int8Matmul(_ problem: OpProblem, _ inputs: [Tensor]) throws -> Tensor {
        let m = problem.int("m")
        let n = problem.int("n")
        let k = problem.int("k")
        var out = [Int32](repeating: 0, count: m * n)
        inputs[0].withUnsafeBytes { a in
            inputs[1].withUnsafeBytes { b in
                out.withUnsafeMutableBufferPointer { c in
                    assay_sgemm_s8s32(
                        Int64(m),
                        Int64(n),
                        Int64(k),
                        a.bindMemory(to: Int8.self).baseAddress,
                        b.bindMemory(to: Int8.self).baseAddress,
                        c.baseAddress,
                        Int32(threads)
                    )
                }
            }
        }
        return try Tensor(dtype: .int32, shape: problem.output.shape, bytes: out.withUnsafeBytes { Array($0) })
    }

    /// Row gather on raw bytes: exact for every dtype, NaN payloads included.
    private func gather(_ problem: OpProblem, _ inputs: [Tensor]) throws -> Tensor {
        let vocab = problem.int("vocab")
        let dim = problem.int("dim")
        let rowBytes = dim * problem.dtype.byteWidth
        var out = [UInt8]()
        out.reserveCapacity(problem.output.byteCount)
        for index in inputs[0].values().map({ Int($0) }) {
            guard (0..<vocab).contains(index) else {
                throw BackendError.invalid("embedding index \(index) outside [0, \(vocab))")
            }
            out.append(contentsOf: inputs[1].bytes[(index * rowBytes)..<((index + 1) * rowBytes)])
        }
        return try Tensor(dtype: problem.dtype, shape: problem.output.shape, bytes: out)
    }

    public func shutdown() {}

    static func cpuModelName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "cpu" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
                ?? "cpu"
        }
        return "cpu"
    }
}

/// A benchmark case's kernel call with its inputs already generated and converted.
struct PreparedBenchmark {
    let problem: OpProblem
    let seed: UInt64
    let call: () throws -> Void
}
