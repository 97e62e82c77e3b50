import AssayBench
import AssayCore
import AssayOps

extension PluginBackend {
    /// Sends the inputs and returns the validated output tensors (count, dtype and shape are
    /// judged by the conformance checker; malformed framing never gets that far).
    public func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        var request = PluginRequest(type: "execute", id: makeID())
        request.op = problem.op
        request.dtype = problem.dtype
        request.attrs = problem.attrs
        request.inputs = inputs.map { WireTensor(dtype: $0.dtype, shape: $0.shape) }
        request.payloadBytes = inputs.reduce(0) { $0 + $1.bytes.count }
        let exchange = try self.exchange(
            request,
            payload: inputs,
            what: "execute \(problem.op) \(problem.dtype.rawValue)",
            budgetKey: "\(problem.op) \(problem.dtype.rawValue)",
            maxReplyBytes: PluginBackend.largestResult(for: problem)
        )
        try expect(exchange.reply, type: "result", what: "execute", key: "\(problem.op) \(problem.dtype.rawValue)")
        return exchange.tensors
    }

    /// The largest `result` payload an `execute` of `problem` may announce: room for twice the
    /// expected output's elements in the widest dtype (so a wrong shape or dtype still reaches
    /// the conformance checker as a `fail`), at least 1 MiB. More is a protocol violation,
    /// refused before anything is allocated.
    static func largestResult(for problem: OpProblem) -> Int {
        var elements = 1
        for dim in problem.output.shape.dims {
            let (product, overflow) = elements.multipliedReportingOverflow(by: max(dim, 0))
            if overflow { return Int.max }
            elements = product
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: 2 * 8)
        return overflow ? Int.max : max(bytes, 1 << 20)
    }

    /// Times the op on plugin-generated inputs; exactly `samples` positive, finite totals.
    public func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] {
        var message = PluginRequest(type: "benchmark", id: makeID())
        message.op = request.problem.op
        message.dtype = request.problem.dtype
        message.attrs = request.problem.attrs
        message.inputs = request.problem.inputs.map { WireTensor(dtype: $0.dtype, shape: $0.shape) }
        message.seed = request.seed
        message.mode = request.mode.rawValue
        message.k = request.k
        message.samples = request.samples
        let what = "benchmark \(request.problem.op) \(request.problem.dtype.rawValue)"
        let key = "\(request.problem.op) \(request.problem.dtype.rawValue)"
        let reply = try exchange(message, what: what, budgetKey: key).reply
        let elapsed = try samples(of: reply, count: request.samples, what: what, key: key)
        guard let telemetry = reply.telemetry else { return elapsed.map { MeasuredSample(elapsedNanoseconds: $0) } }
        guard telemetry.count == elapsed.count else {
            throw violation("\(what): \(telemetry.count) telemetry entries for \(elapsed.count) samples", key: key)
        }
        return zip(elapsed, telemetry).map { MeasuredSample(elapsedNanoseconds: $0, telemetry: $1?.sample) }
    }

    /// Host↔device copy times in nanoseconds, one per sample (`unsupported` on host-only backends).
    public func transfer(
        direction: TransferDirection,
        bytes: Int,
        pinned: Bool = true,
        samples: Int = 1
    ) throws -> [Double] {
        var message = PluginRequest(type: "transfer", id: makeID())
        message.direction = direction.rawValue
        message.bytes = bytes
        message.pinned = pinned
        message.samples = samples
        let what = "transfer \(direction.rawValue) \(bytes) bytes"
        return try self.samples(
            of: try exchange(message, what: what).reply,
            count: samples,
            what: what,
            key: "transfer"
        )
    }

    /// Device (or, for host backends, host) memory: total and free bytes.
    public func memory() throws -> (totalBytes: Double, freeBytes: Double) {
        let reply = try exchange(PluginRequest(type: "memory", id: makeID()), what: "memory").reply
        try expect(reply, type: "memory", what: "memory", key: "memory")
        guard let total = reply.totalBytes, let free = reply.freeBytes, total.isFinite, free.isFinite, total >= 0,
            free >= 0
        else {
            throw violation("memory: total_bytes and free_bytes must be non-negative numbers", key: "memory")
        }
        return (total, free)
    }

    func samples(of reply: PluginReply, count: Int, what: String, key: String) throws -> [Double] {
        try expect(reply, type: "samples", what: what, key: key)
        let values = reply.elapsedNs ?? []
        guard values.count == count else {
            throw violation("\(what): \(values.count) samples for \(count) requested", key: key)
        }
        // A zero time is no measurement (a broken timer), and would read as an infinitely fast op.
        return try values.enumerated().map { index, value in
            guard let value, value.isFinite, value > 0 else {
                throw violation(
                    "\(what): elapsed_ns[\(index)] is \(value.map { "\($0)" } ?? "null"); every sample must be positive and finite",
                    key: key
                )
            }
            return value
        }
    }

    func expect(_ reply: PluginReply, type: String, what: String, key: String) throws {
        guard reply.type == type else {
            throw violation("\(what): expected a '\(type)' reply, got '\(reply.type)'", key: key)
        }
    }

    /// A reply that parsed but makes no sense: the plugin is killed like any other violation,
    /// and the failure counts against `key`'s restart budget.
    private func violation(_ reason: String, key: String) -> BackendError {
        let tail = process?.stderr.tail(limit: 8 << 10) ?? ""
        process?.kill()
        process = nil
        let error = BackendError.protocolViolation("\(reason); plugin killed", stderrTail: tail)
        spend(key, on: error)
        return error
    }
}

/// A plugin may serve a device apart from the host; it answers `unsupported` where it does not.
extension PluginBackend: DeviceBackend {}
