/// A backend that can be asked about a device apart from the host: how fast data crosses the
/// host↔device link and how much memory the device has (the `host_device_bandwidth` and
/// `device_memory` system checks). Plugins are; the native CPU backend is not, having no device.
/// A backend whose device turns out to be the host answers `BackendError.unsupported`.
public protocol DeviceBackend: Backend {
    /// Times `samples` copies of `bytes` bytes (after one untimed copy); nanoseconds per copy.
    func transfer(direction: TransferDirection, bytes: Int, pinned: Bool, samples: Int) throws -> [Double]
    /// Total and free bytes of the device's memory (host RAM for a host-only plugin).
    func memory() throws -> (totalBytes: Double, freeBytes: Double)
}

/// Which way a `transfer` copies.
public enum TransferDirection: String, Sendable, CaseIterable {
    case hostToDevice = "h2d"
    case deviceToHost = "d2h"
}
