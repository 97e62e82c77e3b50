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
        let outputBytes = request.op.outputCount(count: request.count, ranks: ranks) * 8 * 2
        let exchange = try self.exchange(
            message(for: request, mode: .check, k: 1, samples: 1),
            what: "\(request.label) check",
            budgetKey: request.key,
            maxReplyBytes: max(outputBytes, 1 << 20)
        )
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
        try self.samples(
            of: message(for: request, mode: .time, k: k, samples: samples),
            what: "\(request.label) \(request.bytes) bytes",
            budgetKey: request.key
        ).map(\.elapsedNanoseconds)
    }

    private func message(
        for request: CollectiveRequest,
        mode: HarnessMessage.Collective.Mode,
        k: Int,
        samples: Int
    ) -> HarnessMessage {
        .collective(
            id: makeID(),
            HarnessMessage.Collective(
                op: request.op,
                dtype: request.dtype,
                bytes: request.bytes,
                inPlace: request.inPlace,
                root: request.root,
                peer: request.peer,
                mode: mode,
                k: k,
                samples: samples,
                peerTimeoutSeconds: request.peerTimeoutSeconds
            )
        )
    }

    /// Kills the process (the next request starts a fresh one): the ranks' connections are gone.
    func discardProcess() {
        process?.kill()
        process = nil
    }
}
