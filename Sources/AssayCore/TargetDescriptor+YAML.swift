import Foundation

extension TargetDescriptor {
    /// Loads and validates a descriptor; every error names file, line and field.
    public static func load(contentsOf url: URL, displayName: String? = nil) throws -> (TargetDescriptor, text: String) {
        let (root, text) = try YAMLValue.load(contentsOf: url, displayName: displayName)
        return (try TargetDescriptor(yaml: root), text)
    }

    public static func parse(text: String, file: String) throws -> TargetDescriptor {
        try TargetDescriptor(yaml: try YAMLValue.load(text: text, file: file))
    }

    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["id", "title", "kind", "vendor", "model", "versions", "backend",
                                             "capabilities", "expect", "waivers", "notes", "slurm"])
        let id = try map.required("id").identifier()
        let kindValue = try map.required("kind")
        guard let kind = Kind(rawValue: try kindValue.string()) else {
            throw kindValue.error("unknown kind '\(try kindValue.string())' (one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var versions: [String: String] = [:]
        if let value = map["versions"] {
            for (key, entry) in try value.freeMapping() { versions[key] = try entry.string() }
        }
        self.init(
            id: id,
            title: try map["title"]?.string() ?? id,
            kind: kind,
            vendor: try map["vendor"]?.string(),
            model: try map["model"]?.string(),
            versions: versions,
            backend: try BackendSpec(yaml: try map.required("backend")),
            capabilities: try map["capabilities"].map(DeclaredCapabilities.init(yaml:)) ?? .init(),
            expect: try map["expect"].map(SystemExpectations.init(yaml:)),
            waivers: try map["waivers"]?.sequence().map(Waiver.init(yaml:)) ?? [],
            slurm: try map["slurm"].map(SlurmOptions.init(yaml:)))
    }
}

extension BackendSpec {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["builtin", "command", "fallback_command", "env", "cwd", "device", "timeouts", "max_restarts", "threads"])
        var env: [String: String] = [:]
        if let value = map["env"] { for (key, entry) in try value.freeMapping() { env[key] = try entry.string() } }
        var handshake = 60.0, request = 300.0
        if let timeouts = try map["timeouts"]?.mapping(allowed: ["handshake_s", "request_s"]) {
            handshake = try timeouts["handshake_s"]?.positiveDouble() ?? handshake
            request = try timeouts["request_s"]?.positiveDouble() ?? request
        }
        self.init(builtin: try map["builtin"]?.string(), command: try map["command"]?.strings(), env: env,
                  cwd: try map["cwd"]?.string(), device: try map["device"]?.string(),
                  handshakeTimeoutSeconds: handshake, requestTimeoutSeconds: request,
                  maxRestarts: try map["max_restarts"]?.nonNegativeInt() ?? 3, threads: try map["threads"]?.positiveInt())
        if let fallbackValue = map["fallback_command"] {
            if map["command"] == nil { throw fallbackValue.error("'fallback_command' goes with 'command'") }
            fallbackCommand = try fallbackValue.strings()
            if fallbackCommand?.isEmpty ?? true { throw fallbackValue.error("must be a non-empty argv") }
        }
        if let builtinValue = map["builtin"] {
            guard builtin == "cpu" else { throw builtinValue.error("unknown builtin backend '\(builtin ?? "")' (only 'cpu')") }
            if map["command"] != nil { throw builtinValue.error("give either 'builtin' or 'command', not both") }
        } else {
            guard let command, !command.isEmpty else { throw yaml.error("backend needs 'builtin: cpu' or a non-empty 'command'") }
        }
    }
}

extension DeclaredCapabilities {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["peak_tflops", "memory_bandwidth_gbs", "memory_gib", "devices", "host_link_gbs"])
        var peaks: [String: Double] = [:]
        if let value = map["peak_tflops"] {
            for (key, entry) in try value.freeMapping() {
                guard DType(name: key) != nil else { throw entry.error("unknown dtype '\(key)' (one of: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))") }
                peaks[DType(name: key)!.rawValue] = try entry.positiveDouble()
            }
        }
        self.init(peakTFLOPS: peaks, memoryBandwidthGBs: try map["memory_bandwidth_gbs"]?.positiveDouble(),
                  memoryGiB: try map["memory_gib"]?.positiveDouble(), devices: try map["devices"]?.nonNegativeInt(),
                  hostLinkGBs: try map["host_link_gbs"]?.positiveDouble())
    }
}

extension SystemExpectations {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["os_id", "os_version", "min_kernel", "arch", "modules", "device_nodes",
                                             "cpu_flags", "accelerators", "min_memory_gib", "hugepages", "cgroup", "min_glibc",
                                             "min_host_device_gbs", "min_device_memory_gib"])
        self.init(osIDs: try map["os_id"]?.strings() ?? [], osVersion: try map["os_version"]?.string(),
                  minKernel: try map["min_kernel"]?.string(), arch: try map["arch"]?.string(),
                  modules: try map["modules"]?.strings() ?? [], deviceNodes: try map["device_nodes"]?.strings() ?? [],
                  cpuFlags: try map["cpu_flags"]?.strings() ?? [], accelerators: try map["accelerators"]?.nonNegativeInt(),
                  minMemoryGiB: try map["min_memory_gib"]?.positiveDouble(), hugepages: try map["hugepages"]?.nonNegativeInt(),
                  cgroup: try map["cgroup"]?.string(), minGlibc: try map["min_glibc"]?.string(),
                  minHostDeviceGBs: try map["min_host_device_gbs"]?.positiveDouble(),
                  minDeviceMemoryGiB: try map["min_device_memory_gib"]?.positiveDouble())
        if let cgroupValue = map["cgroup"], !["v1", "v2"].contains(cgroup ?? "") {
            throw cgroupValue.error("cgroup must be v1 or v2")
        }
    }
}

extension Waiver {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["pattern", "category", "reference", "reason", "expires"])
        let categoryValue = try map.required("category")
        guard let category = Category(rawValue: try categoryValue.string()) else {
            throw categoryValue.error("unknown waiver category '\(try categoryValue.string())' (one of: \(Category.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self.init(pattern: try map.required("pattern").string(), category: category,
                  reference: try map.required("reference").string(), reason: try map.required("reason").string(),
                  expires: try map.required("expires").date())
    }
}

extension YAMLValue {
    func positiveDouble() throws -> Double {
        let value = try double()
        guard value > 0 else { throw error("must be greater than 0, found \(value)") }
        guard value.isFinite else { throw error("must be finite, found \(value)") }
        return value
    }
}
