import AssayCore

extension SystemProbe {
    /// `/proc/cpuinfo` in its three shapes: x86 (`vendor_id`, `model name`, `flags`),
    /// Arm (`CPU implementer`/`CPU part`, `Features`, no model name) and LoongArch
    /// (`Model Name`, `Features`); topology from cpuinfo on x86, else from sysfs.
    func probeCPU(cpuinfo: String?) -> SystemFacts.CPU? {
        let records = cpuinfo.map(KeyValueText.colonRecords) ?? []
        let processors = records.filter { $0["processor"] != nil }
        let first = processors.first ?? records.first ?? [:]
        // Fields some kernels print once for all CPUs (LoongArch `system type`, arm `Hardware`).
        var merged: [String: String] = [:]
        for record in records { merged.merge(record) { kept, _ in kept } }

        var cpu = SystemFacts.CPU()
        cpu.architecture =
            source.output(["uname", "-m"])?.trimmingWhitespace.nonEmpty
            ?? Self.architecture(fromCPUInfo: merged)
        identify(&cpu, first: first)

        let flags = (first["flags"] ?? first["features"]).map { $0.split(separator: " ").map(String.init) }
        cpu.flags = flags
        cpu.features = flags.map { CPUIdentity.features(from: Set($0)) }

        let online = source.readTrimmed("/sys/devices/system/cpu/online").flatMap(CPUList.parse)
        cpu.logicalCores = processors.isEmpty ? online?.count : processors.count
        (cpu.physicalCores, cpu.sockets) =
            Self.x86Topology(processors)
            ?? sysfsTopology(cpus: online ?? Array(0..<(cpu.logicalCores ?? 0)))
            ?? (nil, nil)

        cpu.currentMHz = first["cpu mhz"].flatMap(Double.init)
        cpu.maxMHz = source.readInt("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
            .map { Double($0) / 1000 }
        return cpu == SystemFacts.CPU() ? nil : cpu
    }

    func identify(_ cpu: inout SystemFacts.CPU, first: [String: String]) {
        if let vendorID = first["vendor_id"] {
            cpu.vendorID = vendorID
            cpu.modelName = first["model name"]
            cpu.vendor = CPUIdentity.x86Vendor(vendorID: vendorID, modelName: cpu.modelName)
        } else if let implementerText = first["cpu implementer"], let implementer = CPUIdentity.hex(implementerText) {
            cpu.vendorID = implementerText
            cpu.vendor = CPUIdentity.armImplementers[implementer] ?? implementerText
            cpu.part = first["cpu part"]
            cpu.modelName =
                first["model name"]
                ?? CPUIdentity.armModel(implementer: implementer, part: CPUIdentity.hex(first["cpu part"]))
        } else {
            cpu.modelName = first["model name"] ?? first["cpu model"]
            let isLoongson =
                cpu.architecture?.hasPrefix("loongarch") == true
                || cpu.modelName?.lowercased().hasPrefix("loongson") == true
            if isLoongson { cpu.vendor = "Loongson" }
        }
    }

    /// `uname -m` from the shape of cpuinfo, for when `uname` is not available.
    static func architecture(fromCPUInfo fields: [String: String]) -> String? {
        if fields["cpu implementer"] != nil {
            return fields["cpu architecture"] == "7" ? "armv7l" : "aarch64"
        }
        if fields["vendor_id"] != nil {
            let flags = Set((fields["flags"] ?? "").split(separator: " "))
            return flags.contains("lm") ? "x86_64" : "i686"
        }
        let isa = (fields["isa"] ?? "").lowercased()
        if isa.contains("loongarch64") || fields["cpu family"]?.hasPrefix("Loongson-64") == true {
            return "loongarch64"
        }
        if isa.hasPrefix("rv64") { return "riscv64" }
        return nil
    }

    /// Physical cores and sockets from x86 cpuinfo's `physical id` and `core id`.
    static func x86Topology(_ processors: [[String: String]]) -> (Int?, Int?)? {
        let pairs = processors.compactMap { record -> String? in
            guard let package = record["physical id"], let core = record["core id"] else { return nil }
            return "\(package)/\(core)"
        }
        guard !pairs.isEmpty, pairs.count == processors.count else { return nil }
        let sockets = Set(processors.compactMap { $0["physical id"] })
        return (Set(pairs).count, sockets.count)
    }

    /// Physical cores and sockets from `/sys/devices/system/cpu/cpu<n>/topology`.
    func sysfsTopology(cpus: [Int]) -> (Int?, Int?)? {
        guard !cpus.isEmpty else { return nil }
        var packages = Set<Int>()
        var cores = Set<String>()
        for cpu in cpus {
            let base = "/sys/devices/system/cpu/cpu\(cpu)/topology"
            guard let package = source.readInt("\(base)/physical_package_id"),
                let core = source.readInt("\(base)/core_id")
            else { return nil }
            packages.insert(package)
            cores.insert("\(package)/\(core)")
        }
        // Some firmware leaves the package unknown (-1): the core count still holds.
        return (cores.count, packages.contains(-1) ? nil : packages.count)
    }
}
