import AssayBackend
import AssayCore
import Foundation

/// The `host_device_bandwidth` check on every device: each rank's device of a multi-rank
/// target in turn (one at a time, so no copy shares the host's links with another), with the
/// NUMA node the device is attached to. A single-process target has one device, rank 0.
enum HostDeviceLinks {
    /// Thrown when no device copied anything: the check is unsupported (or not applicable),
    /// and the devices and their NUMA nodes are still recorded.
    struct NoCopies: Error {
        var reason: String
        var devices: [HostDeviceLink]
    }

    static func measure(
        _ backend: DeviceBackend,
        context: DeviceCheckContext,
        readFile: (String) -> String? = { try? String(contentsOfFile: $0, encoding: .utf8) }
    ) throws -> DeviceCheck.Measurement {
        let ranks: [DeviceBackend] = (backend as? RankGroup)?.ranks ?? [backend]
        var links: [HostDeviceLink] = []
        var measured: [TransferBandwidth] = []
        var firstReason: String?
        for (rank, device) in ranks.enumerated() {
            do {
                let entry =
                    rank == 0
                    ? context.identity.devices.first : try (device as? PluginBackend)?.describe().devices.first
                let (node, numa) = Self.numa(of: entry, readFile: readFile)
                let bandwidth = try TransferBandwidth.measure(
                    device,
                    bytes: context.transferBytes,
                    samples: context.transferSamples
                )
                let reason = bandwidth.gbs.isEmpty ? bandwidth.firstUnsupportedReason ?? "no transfer" : nil
                firstReason = firstReason ?? reason
                links.append(
                    HostDeviceLink(
                        rank: rank,
                        device: entry?.name ?? "rank \(rank)",
                        numaNode: node,
                        numa: numa,
                        h2dGBs: bandwidth.best(.hostToDevice),
                        d2hGBs: bandwidth.best(.deviceToHost),
                        note: reason
                    )
                )
                if reason == nil { measured.append(bandwidth) }
            } catch let error as BackendError where ranks.count > 1 {
                throw RankGroup.blame([(rank, error)], of: ranks.count)
            }
        }
        // Not one copy on any device: there is no device apart from the host.
        guard !measured.isEmpty else { throw NoCopies(reason: firstReason ?? "no transfer", devices: links) }
        let minimum = context.expectations.minHostDeviceGBs ?? 0
        let holds = links.allSatisfy { ($0.h2dGBs ?? -1) >= minimum && ($0.d2hGBs ?? -1) >= minimum }
        var observed: String
        var figures: [String: Double]
        if ranks.count == 1 {
            observed = measured[0].summary
            figures = measured[0].figures
        } else {
            // The figures of the slowest device per route: the link a collective waits for.
            figures = measured[0].figures
            for key in figures.keys where key.hasSuffix("_gbs") {
                figures[key] = measured.compactMap { $0.figures[key] }.min()
            }
            figures["devices"] = Double(ranks.count)
            observed =
                "\(ranks.count) devices, one at a time; " + links.map(describe).joined(separator: "; ")
                + "; median of \(context.transferSamples) copies of \(TransferBandwidth.size(context.transferBytes)) each"
        }
        // The declared link is context for the figure, not a threshold: PCIe copies reach ~80–90% of it.
        if let link = context.declared.hostLinkGBs { observed += String(format: "; declared link %g GB/s", link) }
        return DeviceCheck.Measurement(observed: observed, figures: figures, holds: holds, devices: links)
    }

    /// `rank 1 (NUMA 0): h2d 24.1 GB/s, d2h 25.3 GB/s`.
    static func describe(_ link: HostDeviceLink) -> String {
        func gbs(_ value: Double?) -> String { value.map { String(format: "%.1f GB/s", $0) } ?? "none" }
        let node = link.numaNode.map { "NUMA \($0)" } ?? "NUMA unknown"
        return "rank \(link.rank) (\(node)): "
            + (link.note.map { "unsupported: \($0)" } ?? "h2d \(gbs(link.h2dGBs)), d2h \(gbs(link.d2hGBs))")
    }

    /// The NUMA node a device is attached to and where that was read: the kernel's node of its
    /// PCI address when the hello gives one, else the plugin's `numa_node` (for a host CPU rank,
    /// the node of the CPUs it runs on), else unknown with the reason.
    static func numa(of device: BackendIdentity.Device?, readFile: (String) -> String?) -> (node: Int?, source: String)
    {
        guard let device else { return (nil, "unknown: the plugin's hello lists no device") }
        if let bus = device.pciBusID {
            let path = "/sys/bus/pci/devices/\(bus)/numa_node"
            guard let text = readFile(path)?.trimmingCharacters(in: .whitespacesAndNewlines), let node = Int(text)
            else {
                return (nil, "unknown: \(path) unreadable")
            }
            return node >= 0
                ? (node, path) : (nil, "unknown: \(path) is \(node) (the platform reports no NUMA affinity)")
        }
        if let node = device.numaNode, node >= 0 { return (node, "plugin") }
        return (nil, "unknown: " + (device.numaReason ?? "the plugin reports neither numa_node nor pci_bus_id"))
    }
}
