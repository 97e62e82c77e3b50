/// One device's host↔device link in the `host_device_bandwidth` check (run.json
/// `system.devices`, docs/FORMATS.md): the rank that drives it, the NUMA node it is attached
/// to, and the faster of pinned and pageable copies each way.
public struct HostDeviceLink: Codable, Sendable, Equatable {
    public var rank: Int
    public var device: String
    /// nil when unknown; `numa` then says why.
    public var numaNode: Int?
    /// Where the node was read (`plugin`, `/sys/bus/pci/devices/<bdf>/numa_node`), or why it is unknown.
    public var numa: String
    /// GB/s (10⁹ bytes/s), the faster of pinned and pageable; nil when no copy ran that way.
    public var h2dGBs: Double?
    public var d2hGBs: Double?
    /// Why no copy ran (the backend's `unsupported` reason), when none did.
    public var note: String?

    public init(
        rank: Int,
        device: String,
        numaNode: Int?,
        numa: String,
        h2dGBs: Double? = nil,
        d2hGBs: Double? = nil,
        note: String? = nil
    ) {
        self.rank = rank
        self.device = device
        self.numaNode = numaNode
        self.numa = numa
        self.h2dGBs = h2dGBs
        self.d2hGBs = d2hGBs
        self.note = note
    }
}
