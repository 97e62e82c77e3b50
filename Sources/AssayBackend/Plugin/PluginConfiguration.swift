import AssayCore
import Foundation

/// How to start and supervise one plugin: from a target descriptor's `backend:` or `assay plugin check`.
public struct PluginConfiguration: Sendable {
    /// argv; the program is looked up on PATH.
    public var command: [String]
    /// Merged over the harness's own environment.
    public var environment: [String: String]
    /// Absolute working directory, or nil for the harness's.
    public var workingDirectory: String?
    /// Sent as `options.device` in the hello.
    public var device: String?
    /// The descriptor's `options:`, sent beside `device` in the hello's `options`.
    public var options: [String: String] = [:]
    public var handshakeTimeoutSeconds: Double
    public var requestTimeoutSeconds: Double
    /// Restarts allowed after the first start, for the whole run.
    public var maxRestarts: Int
    /// The largest payload a reply may announce; larger is a protocol violation.
    public var maxPayloadBytes: Int
    public var harnessVersion: String
    /// How long `shutdown()` waits for `bye` and the exit before killing.
    public var shutdownGraceSeconds: Double
    /// ABP 1.1 features the harness offers in the hello (docs/PROTOCOL.md, Version 1.1).
    public var features: [String] = PluginBackend.harnessFeatures
    /// Feature shm: the region asked of the plugin (sparse: only touched pages cost memory),
    /// and the tensor size from which a tensor travels through it instead of the pipe.
    public var sharedMemoryBytes = 1 << 30
    public var sharedMemoryThresholdBytes = 64 << 10
    /// How long the harness polls for a reply without sleeping before it blocks in poll(2).
    /// A blocked reader on an idle vCPU costs a wake-up that a virtual machine makes slow
    /// (50–100 µs on this machine's VM, against ~15 µs for the whole tiny round trip on one CPU):
    /// the short spin keeps a tiny request's reply on the fast path and costs at most this long
    /// of one core per request that takes longer. 0 turns it off.
    public var replySpinMicroseconds = PluginConfiguration.defaultReplySpinMicroseconds

    public static let defaultReplySpinMicroseconds = 200

    public static let defaultMaxPayloadBytes = 4 << 30
    public static let maxHeaderBytes = 1 << 20

    public init(
        command: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        device: String? = nil,
        handshakeTimeoutSeconds: Double = 60,
        requestTimeoutSeconds: Double = 300,
        maxRestarts: Int = 3,
        maxPayloadBytes: Int = PluginConfiguration.defaultMaxPayloadBytes,
        harnessVersion: String = AssayVersion.current,
        shutdownGraceSeconds: Double = 2
    ) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.device = device
        self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxRestarts = max(0, maxRestarts)
        self.maxPayloadBytes = maxPayloadBytes
        self.harnessVersion = harnessVersion
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }

    /// A descriptor's plugin backend; `cwd` is resolved against `root` (the repository root).
    public init(spec: BackendSpec, root: URL) throws {
        guard let command = spec.command, !command.isEmpty else {
            throw BackendError.unavailable("the target names no plugin command")
        }
        let directory =
            spec.cwd.map { URL(fileURLWithPath: $0, relativeTo: root).standardizedFileURL.path }
            ?? root.standardizedFileURL.path
        self.init(
            command: command,
            environment: spec.env,
            workingDirectory: directory,
            device: spec.device,
            handshakeTimeoutSeconds: spec.handshakeTimeoutSeconds,
            requestTimeoutSeconds: spec.requestTimeoutSeconds,
            maxRestarts: spec.maxRestarts
        )
        options = spec.options ?? [:]
    }

    /// The child's environment: the harness's, with the descriptor's entries on top.
    var childEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
}
