import AssayBench
import AssayCore
import AssayOps

extension PluginBackend {
    /// Sends the inputs and returns the validated output tensors (count, dtype and shape are
    /// judged by the conformance checker; malformed framing never gets that far).
    public func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        let request = HarnessMessage.Execute(
            call: HarnessMessage.OpCall(problem, inputs: inputs.map { WireTensor(dtype: $0.dtype, shape: $0.shape) }),
            payloadBytes: inputs.reduce(0) { $0 + $1.bytes.count },
            shmOut: nil
        )
        // The decoder accepted only a `result` (or an error, thrown): its tensors are the outputs.
        return try exchange(
            .execute(id: makeID(), request),
            payload: inputs,
            what: "execute \(problem.op) \(problem.dtype.rawValue)",
            budgetKey: "\(problem.op) \(problem.dtype.rawValue)",
            maxReplyBytes: PluginBackend.largestResult(for: problem),
            outputBytes: problem.output.checkedByteCount
        ).tensors
    }

    /// The largest `result` payload an `execute` of `problem` may announce: room for twice the
    /// expected output's elements in the widest dtype (so a wrong shape or dtype still reaches
    /// the conformance checker as a `fail`), at least 1 MiB. More is a protocol violation,
    /// refused before anything is allocated.
    static func largestResult(for problem: OpProblem) -> Int { largestResult(for: [problem.output.shape]) }

    /// The same rule summed over several expected outputs (a `run_graph` reply).
    static func largestResult(for shapes: [Shape]) -> Int {
        var elements = 0
        for shape in shapes {
            var count = 1
            for dim in shape.dims {
                let (product, overflow) = count.multipliedReportingOverflow(by: max(dim, 0))
                if overflow { return Int.max }
                count = product
            }
            let (sum, overflow) = elements.addingReportingOverflow(count)
            if overflow { return Int.max }
            elements = sum
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: 2 * 8)
        return overflow ? Int.max : max(bytes, 1 << 20)
    }

    /// Times the op on plugin-generated inputs; exactly `samples` positive, finite totals (the
    /// decoder's check).
    public func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] {
        let message = HarnessMessage.Benchmark(
            call: HarnessMessage.OpCall(
                request.problem,
                inputs: request.problem.inputs.map { WireTensor(dtype: $0.dtype, shape: $0.shape) }
            ),
            seed: request.seed,
            mode: request.mode,
            k: request.k,
            samples: request.samples
        )
        let key = "\(request.problem.op) \(request.problem.dtype.rawValue)"
        return try samples(of: .benchmark(id: makeID(), message), what: "benchmark \(key)", budgetKey: key)
    }

    /// Host↔device copy times in nanoseconds, one per sample (`unsupported` on host-only backends).
    public func transfer(
        direction: TransferDirection,
        bytes: Int,
        pinned: Bool = true,
        samples: Int = 1
    ) throws -> [Double] {
        let message = HarnessMessage.Transfer(direction: direction, bytes: bytes, pinned: pinned, samples: samples)
        return try self.samples(
            of: .transfer(id: makeID(), message),
            what: "transfer \(direction.rawValue) \(bytes) bytes",
            budgetKey: "transfer"
        ).map(\.elapsedNanoseconds)
    }

    /// Device (or, for host backends, host) memory: total and free bytes.
    public func memory() throws -> (totalBytes: Double, freeBytes: Double) {
        let reply = try exchange(.memory(id: makeID()), what: "memory").reply
        guard case .memory(_, let total, let free) = reply else { throw unexpected(reply, what: "memory") }
        return (total, free)
    }

    /// The samples a request that is answered with `samples` got (validated by the decoder).
    func samples(of request: HarnessMessage, what: String, budgetKey: String) throws -> [MeasuredSample] {
        let reply = try exchange(request, what: what, budgetKey: budgetKey).reply
        guard case .samples(_, let samples) = reply else { throw unexpected(reply, what: what) }
        return samples
    }

    /// A reply the decoder let through for another request: a harness bug, never the plugin's.
    func unexpected(_ reply: PluginMessage, what: String) -> BackendError {
        .internal("\(what): the decoder accepted a '\(reply.type)' reply it was not expecting")
    }
}

/// A plugin may serve a device apart from the host; it answers `unsupported` where it does not.
extension PluginBackend: DeviceBackend {}

extension HarnessMessage.OpCall {
    /// `problem`'s op, dtype and attrs with these input descriptors.
    init(_ problem: OpProblem, inputs: [WireTensor]) {
        self.init(op: problem.op, dtype: problem.dtype, attrs: problem.attrs, inputs: inputs)
    }
}
