/// A name a backend chooses (a timer, a device kind), kept as written and typed so that it is
/// not mixed up with other strings; encoded as the plain string.
public protocol BackendName: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
where RawValue == String {
    init(rawValue: String)
}

extension BackendName {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
}

/// The timer a backend's samples come from, as its handshake names it (`host_monotonic`,
/// `cuda_event`…); any name but the host's monotonic clock is a device timer.
public struct BackendTimer: BackendName {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let hostMonotonic: BackendTimer = "host_monotonic"

    /// Which clock the sampler treats the samples as coming from.
    public var kind: PerformanceRecord.TimerKind { self == .hostMonotonic ? .host : .device }
}

/// What kind of device a backend serves, as its handshake says (`cpu`, `gpu`, `npu`…).
public struct DeviceKind: BackendName {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The host CPU: its memory is host RAM.
    public static let cpu: DeviceKind = "cpu"
}

/// How the harness talks to a backend.
public enum BackendTransport: String, Codable, Sendable, CaseIterable {
    /// In-process (the native CPU backend).
    case builtin
    /// A child process speaking the Assay Backend Protocol.
    case plugin
}
