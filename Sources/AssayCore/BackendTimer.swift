/// The timer a backend's samples come from, as its handshake names it (`host_monotonic`,
/// `cuda_event`…); any name but the host's monotonic clock is a device timer.
public struct BackendTimer: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: Decoder) throws { rawValue = try String(from: decoder) }
    public func encode(to encoder: Encoder) throws { try rawValue.encode(to: encoder) }

    public static let hostMonotonic: BackendTimer = "host_monotonic"

    /// Which clock the sampler treats the samples as coming from.
    public var kind: PerformanceRecord.TimerKind { self == .hostMonotonic ? .host : .device }
    public var description: String { rawValue }
}

/// How the harness talks to a backend.
public enum BackendTransport: String, Codable, Sendable, CaseIterable {
    /// In-process (the native CPU backend).
    case builtin
    /// A child process speaking the Assay Backend Protocol.
    case plugin
}

/// What kind of device a backend serves, as its handshake says (`cpu`, `gpu`, `npu`…).
public struct DeviceKind: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: Decoder) throws { rawValue = try String(from: decoder) }
    public func encode(to encoder: Encoder) throws { try rawValue.encode(to: encoder) }

    /// The host CPU: its memory is host RAM.
    public static let cpu: DeviceKind = "cpu"
    public var description: String { rawValue }
}
