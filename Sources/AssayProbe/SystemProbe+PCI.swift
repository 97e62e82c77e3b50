import AssayCore

extension SystemProbe {
    /// `/sys/bus/pci/devices/*`, keeping the devices of interest (see `PCIIDs.isOfInterest`).
    func probePCI() -> [SystemFacts.PCIDevice]? {
        guard let addresses = source.listDirectory("/sys/bus/pci/devices") else { return nil }
        return addresses.sorted().compactMap { address in
            let base = "/sys/bus/pci/devices/\(address)"
            let vendorID = source.readTrimmed("\(base)/vendor").map(Self.stripHexPrefix)
            let deviceID = source.readTrimmed("\(base)/device").map(Self.stripHexPrefix)
            let classCode = source.readTrimmed("\(base)/class").map(Self.stripHexPrefix)
            guard PCIIDs.isOfInterest(vendorID: vendorID, classCode: classCode) else { return nil }
            let numaNode = source.readInt("\(base)/numa_node")
            return SystemFacts.PCIDevice(
                address: address,
                vendorID: vendorID,
                deviceID: deviceID,
                vendorName: vendorID.flatMap { PCIIDs.vendors[$0] },
                deviceName: vendorID.flatMap { vendor in deviceID.flatMap { PCIIDs.devices["\(vendor):\($0)"] } },
                classCode: classCode,
                className: classCode.flatMap(PCIIDs.className),
                driver: source.readLink("\(base)/driver").map(Self.basename),
                currentLinkSpeed: source.readTrimmed("\(base)/current_link_speed"),
                currentLinkWidth: source.readInt("\(base)/current_link_width"),
                maxLinkSpeed: source.readTrimmed("\(base)/max_link_speed"),
                maxLinkWidth: source.readInt("\(base)/max_link_width"),
                numaNode: numaNode.flatMap { $0 < 0 ? nil : $0 }
            )
        }
    }

    /// `0x10DE` → `10de`.
    static func stripHexPrefix(_ text: String) -> String {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? String(lower.dropFirst(2)) : lower
    }

    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
