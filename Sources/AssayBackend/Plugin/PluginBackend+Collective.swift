import AssayCore

/// One rank's part of a collective (ABP 1.1 feature `collective`); `RankGroup` sends it to
/// every rank at once.
public struct CollectiveRequest: Sendable, Equatable {
    public var op: CollectiveOp
    public var dtype: DType
    /// Elements of the nccl-tests size (a multiple of the ranks for blocked ops).
    public var count: Int
    public var inPlace: Bool
    public var root: Int
    /// p2p_copy: the destination (`root` is the source); nil for every other op.
    public var peer: Int?
    /// How long a rank waits for a peer before it answers an error naming that peer.
    public var peerTimeoutSeconds: Double

    public init(
        op: CollectiveOp,
        dtype: DType,
        count: Int,
        inPlace: Bool = false,
        root: Int = 0,
        peer: Int? = nil,
        peerTimeoutSeconds: Double
    ) {
        self.op = op
        self.dtype = dtype
        self.count = count
        self.inPlace = inPlace
        self.root = root
        self.peer = peer
        self.peerTimeoutSeconds = peerTimeoutSeconds
    }

    public var bytes: Int { count * dtype.byteWidth }
    var key: String { "collective \(op.rawValue) \(dtype.rawValue)" }
    /// The key, with the pair of a p2p_copy, for messages.
    public var label: String { key + (peer.map { " rank \(root)→\($0)" } ?? "") }
}

extension PluginBackend {
    /// Whether the plugin agreed the `collective` feature in its hello.
    public var offersCollectives: Bool {
        get throws { try describe().features?.contains("collective") ?? false }
    }

    /// `mode: check`: runs the op once and returns this rank's output.
    func collectiveOutput(_ request: CollectiveRequest, ranks: Int) throws -> Tensor {
        var message = message(for: request, mode: "check")
        message.k = 1
        message.samples = 1
        let outputBytes = request.op.outputCount(count: request.count, ranks: ranks) * 8 * 2
        let exchange = try self.exchange(
            message,
            what: "\(request.label) check",
            budgetKey: request.key,
            maxReplyBytes: max(outputBytes, 1 << 20)
        )
        try expect(exchange.reply, type: "result", what: "\(request.label) check", key: request.key)
        guard exchange.tensors.count == 1 else {
            throw BackendError.protocolViolation(
                "\(request.key) check: \(exchange.tensors.count) outputs, expected 1",
                stderrTail: ""
            )
        }
        return exchange.tensors[0]
    }

    /// `mode: time`: this rank's `samples` totals of `k` back-to-back calls, in nanoseconds.
    func collectiveSamples(_ request: CollectiveRequest, k: Int, samples: Int) throws -> [Double] {
        var message = message(for: request, mode: "time")
        message.k = k
        message.samples = samples
        let what = "\(request.label) \(request.bytes) bytes"
        return try self.samples(
            of: try exchange(message, what: what, budgetKey: request.key).reply,
            count: samples,
            what: what,
            key: request.key
        )
    }

    private func message(for request: CollectiveRequest, mode: String) -> PluginRequest {
        var message = PluginRequest(type: "collective", id: makeID())
        message.op = request.op.rawValue
        message.dtype = request.dtype
        message.bytes = request.bytes
        message.inPlace = request.inPlace
        message.root = request.root
        message.peer = request.peer
        message.mode = mode
        message.peerTimeoutSeconds = request.peerTimeoutSeconds
        return message
    }

    /// Kills the process (the next request starts a fresh one): the ranks' connections are gone.
    func discardProcess() {
        process?.kill()
        process = nil
    }
}
