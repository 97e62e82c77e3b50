import AssayCore
import Foundation

/// The harness's hello `shm` object (ABP 1.1 feature `shm`): the region size it asks for,
/// the tensor size from which tensors use the region, and the nonce the plugin writes at
/// offset 0.
struct SharedMemoryOffer: Encodable, Equatable {
    var bytes: Int
    var thresholdBytes: Int
    var nonce: String

    enum CodingKeys: String, CodingKey {
        case bytes, nonce
        case thresholdBytes = "threshold_bytes"
    }

    init(bytes: Int, thresholdBytes: Int) {
        self.bytes = bytes
        self.thresholdBytes = thresholdBytes
        nonce = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    var nonceBytes: [UInt8] {
        stride(from: 0, to: nonce.count, by: 2).map { UInt8(nonce.dropFirst($0).prefix(2), radix: 16)! }
    }
}

/// The plugin's hello reply `shm` object: the descriptor number of its region and its size.
struct SharedMemoryGrant: Decodable, Equatable, Sendable {
    var fd: Int
    var bytes: Int
}

/// A request's `shm_out`: the part of the region where the plugin may place outputs.
struct SharedMemoryWindow: Encodable, Equatable {
    var offset: Int
    var bytes: Int
    var range: Range<Int> { offset..<(offset + bytes) }
}

/// Tensors of a request split between the region and the pipe.
struct SharedMemoryStaging {
    /// The inputs' descriptors, those in the region with their `shm_offset`.
    var descriptors: [WireTensor]
    /// The tensors left for the pipe payload, in order.
    var pipe: [Tensor]
    /// Where outputs may go: the rest of the region.
    var window: SharedMemoryWindow
}

extension SharedMemoryRegion {
    static let alignment = 64

    static func align(_ offset: Int) -> Int { (offset + alignment - 1) / alignment * alignment }

    /// Copies each input of at least `threshold` bytes into the region (from offset 0, aligned,
    /// while they fit); the others stay for the pipe. The rest of the region is the outputs' window.
    func stage(_ inputs: [Tensor], threshold: Int) -> SharedMemoryStaging {
        var cursor = 0
        var staging = SharedMemoryStaging(
            descriptors: [],
            pipe: [],
            window: SharedMemoryWindow(offset: 0, bytes: count)
        )
        for tensor in inputs {
            var descriptor = WireTensor(dtype: tensor.dtype, shape: tensor.shape)
            let size = tensor.bytes.count
            if size > 0, size >= threshold, size <= count - cursor {
                tensor.withUnsafeBytes { write($0, at: cursor) }
                descriptor.shmOffset = cursor
                cursor = min(count, SharedMemoryRegion.align(cursor + size))
            } else {
                staging.pipe.append(tensor)
            }
            staging.descriptors.append(descriptor)
        }
        staging.window = SharedMemoryWindow(offset: cursor, bytes: count - cursor)
        return staging
    }
}

extension PluginBackend {
    /// The hello's `shm` offer when the harness offers the feature.
    var sharedMemoryOffer: SharedMemoryOffer? {
        guard configuration.features.contains("shm") else { return nil }
        return SharedMemoryOffer(
            bytes: configuration.sharedMemoryBytes,
            thresholdBytes: configuration.sharedMemoryThresholdBytes
        )
    }

    /// Maps the region the plugin granted in its hello reply, or records why not (the plugin
    /// then keeps the pipe: a wrapper such as ssh cannot share memory, and that is no failure).
    func attachSharedMemory(_ reply: PluginHello, offer: SharedMemoryOffer?, to process: PluginProcess) {
        guard let offer, reply.features?.contains("shm") == true else { return }
        guard let grant = reply.shm else {
            sharedMemoryRefusal = "the hello reply names feature shm without a shm object"
            return
        }
        do {
            process.sharedMemory = try SharedMemoryRegion(
                pid: process.pid,
                fd: grant.fd,
                bytes: grant.bytes,
                offered: offer.bytes,
                nonce: offer.nonceBytes
            )
            sharedMemoryRefusal = nil
        } catch {
            sharedMemoryRefusal = "\(error)"
        }
    }

    /// Whether the running plugin's tensors travel through shared memory.
    public var usesSharedMemory: Bool { process?.sharedMemory != nil }

    /// Moves a request's large inputs into the region of `process` and offers the rest of the
    /// region for outputs (requests that return tensors: `execute`, `collective`); the window
    /// the reply's `shm_offset`s must lie in, or nil when the pipe carries everything. A request
    /// whose inputs and expected outputs (`outputBytes`, when known) are all below the threshold
    /// gets no window: the plugin would send them through the pipe anyway, and a window costs
    /// both sides a few µs per tiny request (the longer header, its parse, the plugin's allocator).
    func stage(
        _ request: inout HarnessMessage,
        payload: inout [Tensor],
        outputBytes: Int? = nil,
        on process: PluginProcess
    ) -> Range<Int>? {
        guard let region = process.sharedMemory, request.carriesTensors else {
            return nil
        }
        let threshold = configuration.sharedMemoryThresholdBytes
        guard payload.contains(where: { $0.bytes.count > 0 && $0.bytes.count >= threshold }) else {
            if let outputBytes, outputBytes < threshold { return nil }
            // Small inputs only (a tiny request): they keep the pipe, the whole region is the window.
            let window = SharedMemoryWindow(offset: 0, bytes: region.count)
            request.stage(inputs: nil, payloadBytes: 0, shmOut: window)
            return window.range
        }
        let staging = region.stage(payload, threshold: threshold)
        request.stage(
            inputs: payload.isEmpty ? nil : staging.descriptors,
            payloadBytes: staging.pipe.reduce(0) { $0 + $1.bytes.count },
            shmOut: staging.window
        )
        if !payload.isEmpty { payload = staging.pipe }
        return staging.window.range
    }

    /// The reply's tensors: those with `shm_offset` copied out of the region now (validated
    /// against `window` by `WireTensor.validate`), the others read from the pipe in order.
    func readOutputs(
        _ descriptors: [WireTensor],
        layout: [(DType, Shape, Int)],
        from process: PluginProcess,
        deadline: Deadline
    ) throws -> [Tensor] {
        try zip(descriptors, layout).map { descriptor, entry in
            let (dtype, shape, count) = entry
            if let offset = descriptor.shmOffset, let region = process.sharedMemory {
                return try Tensor(dtype: dtype, shape: shape, bytes: region.copy(offset: offset, length: count))
            }
            return try Tensor(
                dtype: dtype,
                shape: shape,
                bytes: try process.readPayload(count: count, deadline: deadline)
            )
        }
    }
}
