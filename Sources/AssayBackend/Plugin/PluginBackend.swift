import AssayBench
import AssayCore
import AssayOps
import Foundation

/// A backend in another process, driven over the Assay Backend Protocol (docs/PROTOCOL.md).
///
/// The process starts lazily and is supervised: a crash, EOF, timeout or protocol violation
/// kills its process group, the request in flight fails with the matching `BackendError`, and
/// the next request starts a fresh process, at most `maxRestarts` times per run; after that
/// every request fails at once with `.unavailable`. Every reply is validated before anything
/// it announces is allocated.
public final class PluginBackend: Backend {
    public static let protocolVersion = 1
    public let configuration: PluginConfiguration
    var process: PluginProcess?
    private var identity: BackendIdentity?
    private var starts = 0
    private var nextID = 1
    private var lastFailure: String?
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

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
        if let process { return process }
        guard starts <= configuration.maxRestarts else {
            throw BackendError.unavailable("plugin stopped after \(starts) start(s) (max_restarts \(configuration.maxRestarts))"
                                           + (lastFailure.map { "; last failure: \($0)" } ?? ""))
        }
        starts += 1
        let started: PluginProcess
        do {
            started = try PluginProcess(argv: configuration.command, environment: configuration.childEnvironment,
                                        directory: configuration.workingDirectory)
        } catch PluginIOError.system(let reason) {
            lastFailure = reason
            throw BackendError.unavailable(reason)
        }
        process = started
        var hello = PluginRequest(type: "hello")
        hello.protocol = PluginBackend.protocolVersion
        hello.harness = "assay \(configuration.harnessVersion)"
        hello.options = configuration.options.merging(configuration.device.map { ["device": $0] } ?? [:]) { $1 }
        do {
            let reply = try exchange(hello, timeout: configuration.handshakeTimeoutSeconds, what: "hello").reply
            let greeted = try PluginBackend.identity(from: reply)
            if identity == nil { identity = greeted }
            return started
        } catch let error as BackendError {
            // A refused, broken or silent handshake means there is no backend to run cases on.
            fail(started)
            let tail = started.stderr.tail(limit: 2 << 10).trimmingCharacters(in: .whitespacesAndNewlines)
            let reason = "handshake failed: \(error)" + (tail.isEmpty ? "" : "\nplugin stderr (last lines):\n\(tail)")
            lastFailure = "handshake failed: \(error)"
            throw BackendError.unavailable(reason)
        }
    }

    /// Kills the process and forgets it; the next request starts another.
    private func fail(_ broken: PluginProcess) {
        broken.kill()
        if process === broken { process = nil }
    }

    /// The identity a hello reply declares; a refusal or a malformed hello means no backend.
    static func identity(from reply: PluginReply) throws -> BackendIdentity {
        guard reply.type == "hello" else { throw BackendError.unavailable("the plugin answered the hello with '\(reply.type)'") }
        guard reply.protocol == protocolVersion else {
            throw BackendError.unavailable("the plugin speaks protocol \(reply.protocol.map(String.init) ?? "(none)"), the harness \(protocolVersion)")
        }
        guard let backend = reply.backend, let capabilities = reply.capabilities, let timer = reply.timer else {
            throw BackendError.unavailable("the hello reply lacks backend, timer or capabilities")
        }
        let devices = (reply.devices ?? []).enumerated().map { offset, device in
            BackendIdentity.Device(index: device.index ?? offset, name: device.name ?? "device \(offset)", kind: device.kind,
                                   memoryBytes: device.memoryBytes, driver: device.driver?.value, runtime: device.runtime?.value,
                                   maxClockMHz: device.maxClockMHz)
        }
        return BackendIdentity(name: backend.name, version: backend.version ?? "", transport: "plugin", protocolVersion: reply.protocol,
                               devices: devices, timer: timer, capabilities: capabilities,
                               runtime: (reply.runtime ?? [:]).mapValues(\.value))
    }

    // MARK: exchanges

    /// A reply header and the payload it carried (validated tensors for `result`, else nothing).
    struct Exchange {
        var reply: PluginReply
        var tensors: [Tensor]
    }

    /// Sends one request (and its payload) and reads its reply, mapping every failure to a
    /// `BackendError`. An `error` reply becomes `.unsupported`, `.invalid` or `.internal`;
    /// anything that breaks the stream kills the process.
    func exchange(_ request: PluginRequest, payload: [Tensor] = [], timeout: Double? = nil, what: String) throws -> Exchange {
        let process = try connection()
        let header: [UInt8]
        do {
            header = Array(try encoder.encode(request)) + [UInt8(ascii: "\n")]
        } catch {
            throw BackendError.invalid("cannot encode the \(request.type) request: \(error)")
        }
        return try converse(process, header: header, payload: payload, expectedID: request.id,
                            timeout: timeout ?? configuration.requestTimeoutSeconds, what: what)
    }

    /// Sends a raw header line (for conformance probes such as a malformed header) and returns the
    /// reply, `error` replies included; framing failures still throw and kill the process.
    public func exchangeRaw(headerLine: String, expectedID: Int?) throws -> PluginReply {
        let process = try connection()
        return try converse(process, header: Array((headerLine + "\n").utf8), payload: [], expectedID: expectedID,
                            timeout: configuration.requestTimeoutSeconds, what: "raw request", errorsAsReplies: true).reply
    }

    /// A fresh request id.
    func makeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    private func converse(_ process: PluginProcess, header: [UInt8], payload: [Tensor], expectedID: Int?,
                          timeout: Double, what: String, errorsAsReplies: Bool = false) throws -> Exchange {
        let deadline = Deadline(seconds: timeout)
        do {
            try header.withUnsafeBytes { headerBytes in
                try PluginBackend.withPayloadBuffers(payload) { buffers in
                    try process.write([headerBytes] + buffers, deadline: deadline)
                }
            }
            let line = try process.readLine(limit: PluginConfiguration.maxHeaderBytes, deadline: deadline)
            let reply: PluginReply
            do {
                reply = try decoder.decode(PluginReply.self, from: Data(line))
            } catch {
                throw PluginIOError.violation("unreadable reply header (\(PluginBackend.describe(decodingError: error))): \(String(decoding: line.prefix(200), as: UTF8.self))")
            }
            if reply.id != expectedID, !(reply.type == "error" && reply.id == nil) {
                throw PluginIOError.violation("reply id \(reply.id.map(String.init) ?? "null") does not echo request id \(expectedID.map(String.init) ?? "null")")
            }
            let payloadBytes = reply.payloadBytes ?? 0
            var tensors: [Tensor] = []
            if reply.type == "result" {
                let layout = try WireTensor.validate(reply.outputs ?? [], payloadBytes: payloadBytes,
                                                     cap: configuration.maxPayloadBytes, field: "outputs")
                tensors = try layout.map { dtype, shape, count in
                    var bytes = [UInt8](repeating: 0, count: count)
                    try bytes.withUnsafeMutableBytes { try process.readExact(into: $0, deadline: deadline) }
                    return try Tensor(dtype: dtype, shape: shape, bytes: bytes)
                }
            } else if payloadBytes != 0 {
                _ = try WireTensor.validate([], payloadBytes: payloadBytes, cap: configuration.maxPayloadBytes, field: "payload")
            }
            if reply.type == "error", !errorsAsReplies {
                let message = "\(what): \(reply.message ?? "(no message)")"
                switch reply.code {
                case "unsupported": throw BackendError.unsupported(message)
                case "invalid": throw BackendError.invalid(message)
                default: throw BackendError.internal(reply.code == "internal" ? message : "[\(reply.code ?? "no code")] \(message)")
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
    private func failure(_ error: PluginIOError, of process: PluginProcess, what: String, timeout: Double) -> BackendError {
        // stdout closing usually means the process is exiting: give it a moment, to report its status.
        let stillRunning = error == .endOfStream ? process.waitForExit(seconds: 0.5) == nil : !process.hasExited
        fail(process)
        process.stderr.waitUntilDrained(seconds: 1)  // killed: its stderr reaches EOF at once, unless a straggler holds it
        let tail = process.stderr.tail(limit: 8 << 10)
        let result: BackendError
        switch error {
        case .endOfStream:
            let status = stillRunning ? "closed its stdout" : process.exitDescription ?? "exited"
            result = .crashed("plugin \(status) during \(what)", stderrTail: tail)
        case .timedOut:
            result = .timedOut("no reply to \(what) within \(PluginBackend.format(seconds: timeout)); plugin killed", stderrTail: tail)
        case .violation(let reason):
            result = .protocolViolation("\(what): \(reason); plugin killed", stderrTail: tail)
        case .system(let reason):
            result = .crashed("\(what): \(reason)", stderrTail: tail)
        }
        lastFailure = result.description
        return result
    }

    private static func withPayloadBuffers<R>(_ tensors: [Tensor], _ body: ([UnsafeRawBufferPointer]) throws -> R) rethrows -> R {
        func nest(_ index: Int, _ collected: [UnsafeRawBufferPointer]) throws -> R {
            guard index < tensors.count else { return try body(collected) }
            return try tensors[index].withUnsafeBytes { try nest(index + 1, collected + [$0]) }
        }
        return try nest(0, [])
    }

    static func describe(decodingError error: Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
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
        let bye = (try? exchange(PluginRequest(type: "shutdown", id: makeID()), timeout: grace, what: "shutdown"))?.reply.type == "bye"
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
