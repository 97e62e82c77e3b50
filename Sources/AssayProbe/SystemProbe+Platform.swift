import AssayCore

extension SystemProbe {
    /// Names in /dev that belong to accelerator stacks (NVIDIA, Ascend, Cambricon,
    /// Moore Threads, ROCm/DCU `kfd`, Iluvatar); `/dev/dri/*` is listed whole.
    public static let deviceNodePrefixes = [
        "nvidia", "davinci", "devmm_svm", "hisi_hdc", "cambricon", "mtgpu", "kfd", "iluvatar",
    ]

    public static let containerRuntimes = ["docker", "podman", "containerd", "isula"]

    /// Words in `/proc/1/cgroup` that mean PID 1 lives in a container.
    static let containerCgroupWords = ["docker", "kubepods", "containerd", "libpod", "lxc", "isulad"]

    /// First column of `/proc/modules`, sorted.
    func probeModules() -> [String]? {
        guard let text = source.readFile("/proc/modules") else { return nil }
        return text.lines.compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
    }

    func probeDeviceNodes() -> [String]? {
        guard let entries = source.listDirectory("/dev") else { return nil }
        let matching = entries.filter { name in Self.deviceNodePrefixes.contains { name.hasPrefix($0) } }
            .map { "/dev/\($0)" }
        let dri = (source.listDirectory("/dev/dri") ?? []).map { "/dev/dri/\($0)" }
        return (matching + dri).sorted()
    }

    /// v2 when the unified hierarchy is mounted at /sys/fs/cgroup (it has `cgroup.controllers`);
    /// v1 (or hybrid, counted as v1) when per-controller directories are there instead.
    func probeCgroupVersion() -> Int? {
        if source.fileExists("/sys/fs/cgroup/cgroup.controllers") { return 2 }
        let entries = source.listDirectory("/sys/fs/cgroup") ?? []
        return entries.contains(where: { ["memory", "cpu", "cpuset", "devices"].contains($0) }) ? 1 : nil
    }

    /// selinuxfs first (`enforce` is 1 or 0), else `getenforce`; nil when neither says.
    func probeSELinux() -> String? {
        switch source.readTrimmed("/sys/fs/selinux/enforce") {
        case "1": return "enforcing"
        case "0": return "permissive"
        default: break
        }
        return source.output(["getenforce"])?.trimmingWhitespace.lowercased().nonEmpty
    }

    func probeContainer() -> SystemFacts.Container {
        var hints: [String] = []
        for marker in ["/.dockerenv", "/run/.containerenv"] where source.fileExists(marker) {
            hints.append(marker)
        }
        let cgroup = (source.readFile("/proc/1/cgroup") ?? "").lowercased()
        for word in Self.containerCgroupWords where cgroup.contains(word) {
            hints.append("/proc/1/cgroup: \(word)")
        }
        let runtimes = Self.containerRuntimes.map { tool(named: $0, argv: [$0, "--version"]) }
        return SystemFacts.Container(inContainer: !hints.isEmpty, hints: hints, runtimes: runtimes)
    }

    /// A tool's presence and the version it prints; absent tools are recorded as such.
    func tool(named name: String, argv: [String]) -> SystemFacts.Tool {
        guard let result = source.run(argv) else { return SystemFacts.Tool(name: name, present: false) }
        let version = result.succeeded ? VersionText.firstLineVersion(result.text) : nil
        return SystemFacts.Tool(name: name, present: true, version: version)
    }
}
