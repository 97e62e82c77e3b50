import AssayCore

extension SystemProbe {
    /// `/proc/meminfo` and the selected transparent-huge-page mode.
    func probeMemory() -> SystemFacts.Memory? {
        let fields = source.readFile("/proc/meminfo").map(KeyValueText.meminfo) ?? [:]
        let memory = SystemFacts.Memory(
            totalKiB: fields["MemTotal"],
            availableKiB: fields["MemAvailable"],
            hugePagesTotal: fields["HugePages_Total"],
            hugePagesFree: fields["HugePages_Free"],
            hugePageSizeKiB: fields["Hugepagesize"],
            transparentHugePages: source.readTrimmed("/sys/kernel/mm/transparent_hugepage/enabled")
                .flatMap(Self.bracketedChoice)
        )
        return memory == SystemFacts.Memory() ? nil : memory
    }

    /// The kernel marks the active choice of a sysfs enum in brackets: `always [madvise] never`.
    static func bracketedChoice(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") else {
            return nil
        }
        return String(text[text.index(after: open)..<close])
    }

    /// `/sys/devices/system/node/node<N>/{cpulist,meminfo}`, ordered by node number.
    func probeNUMA() -> [SystemFacts.NUMANode]? {
        guard let entries = source.listDirectory("/sys/devices/system/node") else { return nil }
        let ids = entries.compactMap { name -> Int? in
            name.hasPrefix("node") ? Int(name.dropFirst(4)) : nil
        }.sorted()
        guard !ids.isEmpty else { return nil }
        return ids.map { id in
            let base = "/sys/devices/system/node/node\(id)"
            let cpuList = source.readTrimmed("\(base)/cpulist")
            return SystemFacts.NUMANode(
                id: id,
                cpuList: cpuList,
                cpuCount: cpuList.flatMap(CPUList.parse)?.count,
                memTotalKiB: source.readFile("\(base)/meminfo").flatMap { KeyValueText.meminfo($0)["MemTotal"] }
            )
        }
    }
}
