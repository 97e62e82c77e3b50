import AssayBench
import AssayCore
import AssayOps
import Foundation

/// A backend in another process, driven over the Assay Backend Protocol (docs/PROTOCOL.md).
///
/// The process starts lazily and is supervised: a crash, EOF, timeout, protocol violation or
/// stray output kills its process tree, the request in flight fails with the matching
/// `BackendError`, and the next request starts a fresh process. `maxRestarts` bounds the failures
/// per op × dtype (after that, that op × dtype fails at once with `.unavailable` while others go
/// on) and, times `runRestartFactor`, the restarts of the whole run. A restarted plugin must greet
/// with the identity of the first; otherwise the backend is unavailable for the rest of the run.
/// Every reply is validated before anything it announces is allocated.
public final class PluginBackend: Backend {
    public static let protocolVersion = 1
    /// ABP 1.1: the minor version and the features this harness can drive.
    public static let protocolMinor = 1
    public static let harnessFeatures = ["collective", "shm", "graph"]
    /// How long an interrupted plugin gets to exit on stdin EOF before it is killed.
    static let interruptGraceSeconds = 0.5
    /// Restarts allowed in a whole run, as a multiple of `maxRestarts` (a dead device costs seconds).
    public static let runRestartFactor = 8
    public let configuration: PluginConfiguration
    /// This process's rank and where the ranks meet, sent in every hello (multi-rank targets).
    public var rendezvous: Rendezvous?
    var process: PluginProcess?
    private var identity: BackendIdentity?
    /// Why the backend is unavailable for the rest of the run (a changed identity), once it is.
    public private(set) var identityFailure: String?
    private var starts = 0
    private var nextID = 1
    private var lastFailure: String?
    /// Why the plugin's shared-memory region was refused (it then keeps the pipe), if it was.
    public internal(set) var sharedMemoryRefusal: String?
    /// Failures that killed the plugin, per op × dtype (or request type), and the keys given up on.
    private var failures: [String: Int] = [:]
    private var givenUp: [String: String] = [:]
    /// Reused: one reply at a time (a backend is driven from one thread).
    private let decoder = JSONDecoder()

    /// Feature graph: the graphs loaded through this backend (PluginBackend+Graph).
    var graphs = PluginGraphTable()

    public init(configuration: PluginConfiguration) {
        self.configuration = configuration
    }

    public convenience init(spec: BackendSpec, root: URL) throws {
        self.init(configuration: try PluginConfiguration(spec: spec, root: root))
    }

    deinit { process?.kill() }

    /// How many processes have been started so far (1 + restarts).
    public var startCount: Int { starts }

    /// The identity from the first successful hello.
    public func describe() throws -> BackendIdentity {
        _ = try connection()
        return identity!
    }

    // MARK: supervision

    /// The running process, starting (and greeting) one if needed.
    func connection() throws -> PluginProcess {
        if let identityFailure { throw BackendError.unavailable(identityFailure) }
        if let process { return process }
        let limit = configuration.maxRestarts * PluginBackend.runRestartFactor
        guard starts <= limit else {
            throw BackendError.unavailable(
                "plugin stopped after \(starts) start(s) (max_restarts \(configuration.maxRestarts) per op × dtype, \(limit) per run)"
                    + (lastFailure.map { "; last failure: \($0)" } ?? "")
            )
        }
        starts += 1
        let started: PluginProcess
        do {
            started = try PluginProcess(
                argv: configuration.command,
                environment: configuration.childEnvironment,
                directory: configuration.workingDirectory,
                replySpinMicroseconds: configuration.replySpinMicroseconds
            )
        } catch PluginIOError.system(let reason) {
            lastFailure = reason
            throw BackendError.unavailable(reason)
        }
        process = started
        let hello = HarnessMessage.Hello(
            protocolVersion: PluginBackend.protocolVersion,
            minor: PluginBackend.protocolMinor,
            harness: "assay \(configuration.harnessVersion)",
            options: configuration.options.merging(configuration.device.map { ["device": $0] } ?? [:]) { $1 },
            features: configuration.features,
            rendezvous: rendezvous,
            shm: sharedMemoryOffer
        )
        let greeted: BackendIdentity
        do {
            let reply = try exchange(.hello(hello), timeout: configuration.handshakeTimeoutSeconds, what: "hello").reply
            guard case .hello(let greeting) = reply else {
                throw BackendError.unavailable("the plugin answered the hello with '\(reply.type)'")
            }
            greeted = PluginBackend.identity(from: greeting)
            attachSharedMemory(greeting, offer: hello.shm, to: started)
        } catch let error as BackendError {
            // A refused, broken or silent handshake means there is no backend to run cases on.
            fail(started)
            let tail = started.stderr.tail(limit: 2 << 10).trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = "handshake failed: \(error)" + (tail.isEmpty ? "" : "\nplugin stderr (last lines):\n\(tail)")
            lastFailure = "handshake failed: \(error)"
            throw BackendError.unavailable(reason)
        }
        guard let pinned = identity else {
            identity = greeted
            return started
        }
        if let change = PluginBackend.identityChange(from: pinned, to: greeted) {
            // Cases already planned against the first identity must not silently become skips.
            fail(started)
            identityFailure =
                "the restarted plugin's identity changed (\(change)); backend unavailable for the rest of the run"
            throw BackendError.unavailable(identityFailure!)
        }
        return started
    }

    /// What differs between two hellos in the pinned fields (name, version, protocol, devices,
    /// timer, capabilities), or nil; `runtime` may change between starts.
    static func identityChange(from first: BackendIdentity, to second: BackendIdentity) -> String? {
        var changes: [String] = []
        if first.name != second.name { changes.append("backend name '\(first.name)' → '\(second.name)'") }
        if first.version != second.version { changes.append("version '\(first.version)' → '\(second.version)'") }
        if first.protocolVersion != second.protocolVersion || first.protocolMinor != second.protocolMinor {
            changes.append("protocol changed")
        }
        if first.features != second.features {
            changes.append(
                "features [\((first.features ?? []).joined(separator: ", "))] → [\((second.features ?? []).joined(separator: ", "))]"
            )
        }
        if first.devices != second.devices { changes.append("devices changed") }
        if first.timer != second.timer { changes.append("timer '\(first.timer)' → '\(second.timer)'") }
        if first.capabilities != second.capabilities {
            let before = first.capabilities.claimCount
            let after = second.capabilities.claimCount
            changes.append("capabilities changed: \(before) → \(after) op × dtype claims")
        }
        return changes.isEmpty ? nil : changes.joined(separator: ", ")
    }

    /// Kills the process and forgets it; the next request starts another.
    private func fail(_ broken: PluginProcess) {
        broken.kill()
        if process === broken { process = nil }
    }

    /// The identity a hello reply declares (its protocol major was checked when it was decoded).
    static func identity(from reply: PluginHello) -> BackendIdentity {
        let devices = (reply.devices ?? []).enumerated().map { offset, device in
            var entry = BackendIdentity.Device(
                index: device.index ?? offset,
                name: device.name ?? "device \(offset)",
                kind: device.kind.map(DeviceKind.init(rawValue:)),
                memoryBytes: device.memoryBytes,
                driver: device.driver?.value,
                runtime: device.runtime?.value,
                maxClockMHz: device.maxClockMHz
            )
            entry.pciBusID = device.pciBusID
            entry.numaNode = device.numaNode
            entry.numaReason = device.numaReason
            return entry
        }
        var identity = BackendIdentity(
            name: reply.backend.name,
            version: reply.backend.version ?? "",
            transport: .plugin,
            protocolVersion: reply.protocol,
            devices: devices,
            timer: BackendTimer(rawValue: reply.timer),
            capabilities: CapabilityManifest(reply.capabilities),
            runtime: (reply.runtime ?? [:]).mapValues(\.value)
        )
        // A feature the harness did not offer is ignored (docs/PROTOCOL.md, Version 1.1).
        identity.protocolMinor = reply.minor
        identity.features = reply.features.map { Array(Set($0).intersection(harnessFeatures)).sorted() }
        return identity
    }

    // MARK: exchanges

    /// A reply and the payload it carried (validated tensors for `result`, else nothing).
    struct Exchange {
        var reply: PluginMessage
        var tensors: [Tensor]
    }

    /// Sends one request (and its payload) and reads its reply, mapping every failure to a
    /// `BackendError`. An `error` reply becomes `.unsupported`, `.invalid` or `.internal`;
    /// anything that breaks the stream kills the process.
    /// `budgetKey` (op × dtype) is the key whose restart budget a process-killing failure spends;
    /// `maxReplyBytes` the largest payload the reply may legitimately announce; `outputBytes` the
    /// size of the outputs expected, when known (a small one gets no shared-memory window).
    func exchange(
        _ request: HarnessMessage,
        payload: [Tensor] = [],
        timeout: Double? = nil,
        what: String,
        budgetKey: String? = nil,
        maxReplyBytes: Int = 0,
        outputBytes: Int? = nil
    ) throws -> Exchange {
        var request = request
        var payload = payload
        let key = budgetKey ?? request.type
        if let reason = givenUp[key] { throw BackendError.unavailable(reason) }
        var process = try connection()
        if request.type != "hello", process.hasUnrequestedOutput {
            // Late stray bytes (after the previous reply's check): start clean rather than misread them.
            fail(process)
            process = try connection()
        }
        let window = stage(&request, payload: &payload, outputBytes: outputBytes, on: process)
        let header = try request.header()
        do {
            return try converse(
                process,
                header: header,
                payload: payload,
                expected: request.expectedReply,
                expectedID: request.id,
                timeout: timeout ?? configuration.requestTimeoutSeconds,
                what: what,
                maxReplyBytes: maxReplyBytes,
                expectsMore: request.expectedReply != .bye,
                shmWindow: window
            )
        } catch let error as BackendError {
            spend(key, on: error)
            throw error
        }
    }

    /// Counts a failure that killed the plugin against `key`; past `maxRestarts`, gives the key up.
    func spend(_ key: String, on error: BackendError) {
        switch error {
        case .crashed, .timedOut, .protocolViolation: break
        default: return
        }
        failures[key, default: 0] += 1
        guard let count = failures[key], count > configuration.maxRestarts else { return }
        givenUp[key] =
            "\(key) marked unavailable after \(count) failure(s) (max_restarts \(configuration.maxRestarts) per op × dtype); last failure: \(error)"
    }

    /// Sends a raw header line (for conformance probes such as a malformed header) and returns the
    /// reply, `error` replies included; framing failures still throw and kill the process.
    public func exchangeRaw(headerLine: String, expectedID: Int?) throws -> RawReply {
        let process = try connection()
        let reply = try converse(
            process,
            header: Array((headerLine + "\n").utf8),
            payload: [],
            expected: nil,
            expectedID: expectedID,
            timeout: configuration.requestTimeoutSeconds,
            what: "raw request",
            maxReplyBytes: 0,
            expectsMore: true,
            errorsAsReplies: true
        ).reply
        guard case .error(let id, let code, let message) = reply else {
            return RawReply(type: reply.type, id: reply.id)
        }
        return RawReply(type: "error", id: id, code: code, message: message)
    }

    /// What a raw probe got back: the reply's type and id, and an `error` reply's code and message.
    public struct RawReply: Sendable, Equatable {
        public var type: String
        public var id: Int?
        public var code: String?
        public var message: String?
    }

    /// Whether a plugin process is running now (a failure killed it; the next request starts one).
    public var isRunning: Bool { process != nil }

    /// A fresh request id.
    public func makeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// One request and its reply. A reply may announce at most `maxReplyBytes` of payload (and
    /// never more than the configured cap). When `expectsMore` (every request but `shutdown`),
    /// bytes after the reply or a closed stdout are charged to this request.
    private func converse(
        _ process: PluginProcess,
        header: [UInt8],
        payload: [Tensor],
        expected: PluginMessage.Expectation?,
        expectedID: Int?,
        timeout: Double,
        what: String,
        maxReplyBytes: Int,
        expectsMore: Bool,
        errorsAsReplies: Bool = false,
        shmWindow: Range<Int>? = nil
    ) throws -> Exchange {
        let deadline = Deadline(seconds: timeout)
        do {
            try header.withUnsafeBytes { headerBytes in
                try PluginBackend.withPayloadBuffers(payload) { buffers in
                    try process.write([headerBytes] + buffers, deadline: deadline)
                }
            }
            let line = try process.readLine(limit: PluginConfiguration.maxHeaderBytes, deadline: deadline)
            let reply = try PluginMessage.parse(line: line, answering: expected, decoder: decoder)
            if reply.id != expectedID, !(reply.type == "error" && reply.id == nil) {
                throw PluginIOError.violation(
                    "reply id \(reply.id.map(String.init) ?? "null") does not echo request id \(expectedID.map(String.init) ?? "null")"
                )
            }
            var tensors: [Tensor] = []
            if case .result(_, let outputs, let payloadBytes) = reply {
                let layout = try WireTensor.validate(
                    outputs,
                    payloadBytes: payloadBytes,
                    cap: min(maxReplyBytes, configuration.maxPayloadBytes),
                    field: "outputs",
                    shmWindow: shmWindow
                )
                tensors = try readOutputs(outputs, layout: layout, from: process, deadline: deadline)
            }
            if expectsMore, process.hasUnrequestedOutput {
                throw PluginIOError.violation("unrequested bytes after the reply (or stdout closed)")
            }
            if case .error(_, let code, let message) = reply, !errorsAsReplies {
                let message = "\(what): \(message ?? "(no message)")"
                switch code {
                case "unsupported": throw BackendError.unsupported(message)
                case "invalid": throw BackendError.invalid(message)
                default:
                    throw BackendError.internal(code == "internal" ? message : "[\(code ?? "no code")] \(message)")
                }
            }
            return Exchange(reply: reply, tensors: tensors)
        } catch let error as PluginIOError {
            throw failure(error, of: process, what: what, timeout: timeout)
        } catch let error as AssayError {
            throw failure(.violation("\(error)"), of: process, what: what, timeout: timeout)
        }
    }

    /// Kills the process and turns the I/O failure into the case's error, with the stderr tail.
    private func failure(
        _ error: PluginIOError,
        of process: PluginProcess,
        what: String,
        timeout: Double
    ) -> BackendError {
        // stdout closing usually means the process is exiting: give it a moment, to report its status.
        let stillRunning = error == .endOfStream ? process.waitForExit(seconds: 0.5) == nil : !process.hasExited
        if error == .cancelled { process.stop(grace: PluginBackend.interruptGraceSeconds) }
        fail(process)
        // killed: its stderr reaches EOF at once, unless a straggler holds it
        process.stderr.waitUntilDrained(seconds: 1)
        let tail = process.stderr.tail(limit: 8 << 10)
        let result: BackendError
        switch error {
        case .endOfStream:
            let status = stillRunning ? "closed its stdout" : process.exitDescription ?? "exited"
            result = .crashed("plugin \(status) during \(what)", stderrTail: tail)
        case .timedOut:
            result = .timedOut(
                "no reply to \(what) within \(PluginBackend.format(seconds: timeout)); plugin killed",
                stderrTail: tail
            )
        case .violation(let reason):
            result = .protocolViolation("\(what): \(reason); plugin killed", stderrTail: tail)
        case .system(let reason):
            result = .crashed("\(what): \(reason)", stderrTail: tail)
        case .cancelled:
            result = .unavailable("\(what) cancelled by an interrupt; plugin stopped")
        }
        lastFailure = result.description
        return result
    }

    private static func withPayloadBuffers<R>(
        _ tensors: [Tensor],
        _ body: ([UnsafeRawBufferPointer]) throws -> R
    ) rethrows -> R {
        func nest(_ index: Int, _ collected: [UnsafeRawBufferPointer]) throws -> R {
            guard index < tensors.count else { return try body(collected) }
            return try tensors[index].withUnsafeBytes { try nest(index + 1, collected + [$0]) }
        }
        return try nest(0, [])
    }

    static func format(seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.3g s", seconds)
    }

    // MARK: shutdown

    /// How a plugin ended when asked to.
    public enum StopResult: Equatable, Sendable {
        /// Answered `bye` and exited with this status.
        case exited(bye: Bool, status: Int32?)
        /// Did not exit within the grace period and was killed.
        case killed(bye: Bool)
        case notRunning
    }

    /// Sends `shutdown`, waits briefly for `bye` and the exit, then kills the group.
    @discardableResult
    public func stop() -> StopResult {
        guard let running = process else { return .notRunning }
        let grace = configuration.shutdownGraceSeconds
        let bye =
            (try? exchange(.shutdown(id: makeID()), timeout: grace, what: "shutdown"))?.reply.type == "bye"
        guard process === running else { return .killed(bye: bye) }  // the exchange failed and killed it
        process = nil
        if running.waitForExit(seconds: grace) != nil {
            running.kill()
            return .exited(bye: bye, status: running.exitCode)
        }
        running.kill()
        return .killed(bye: bye)
    }

    public func shutdown() { stop() }
}
