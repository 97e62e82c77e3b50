import Foundation

extension TargetDescriptor {
    /// Loads and validates a descriptor; every error names file, line and field.
    /// `variables` expands `${…}` in the backend (see `DescriptorVariables`); nil keeps the text as written.
    public static func load(
        contentsOf url: URL,
        displayName: String? = nil,
        variables: DescriptorVariables? = nil
    ) throws -> (TargetDescriptor, text: String) {
        let (root, text) = try YAMLValue.load(contentsOf: url, displayName: displayName)
        return (try TargetDescriptor(yaml: root, variables: variables), text)
    }

    public static func parse(
        text: String,
        file: String,
        variables: DescriptorVariables? = nil
    ) throws -> TargetDescriptor {
        try TargetDescriptor(yaml: try YAMLValue.load(text: text, file: file), variables: variables)
    }

    init(yaml: YAMLValue, variables: DescriptorVariables? = nil) throws {
        let map = try yaml.mapping(allowed: [
            "id", "title", "kind", "vendor", "model", "versions", "backend",
            "capabilities", "expect", "waivers", "notes", "slurm",
        ])
        let id = try map.required("id").identifier()
        let kindValue = try map.required("kind")
        guard let kind = Kind(rawValue: try kindValue.string()) else {
            throw kindValue.error(
                "unknown kind '\(try kindValue.string())' (one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        var versions: [String: String] = [:]
        var rules: [String: DeclaredVersion] = [:]
        if let value = map["versions"] {
            for (key, entry) in try value.freeMapping() {
                (versions[key], rules[key]) = try DeclaredVersion.parse(entry)
            }
        }
        self.init(
            id: id,
            title: try map["title"]?.string() ?? id,
            kind: kind,
            vendor: try map["vendor"]?.string(),
            model: try map["model"]?.string(),
            versions: versions,
            backend: try BackendSpec(yaml: try map.required("backend"), variables: variables),
            capabilities: try map["capabilities"].map(DeclaredCapabilities.init(yaml:)) ?? .init(),
            expect: try map["expect"].map(SystemExpectations.init(yaml:)),
            waivers: try map["waivers"]?.sequence().map(Waiver.init(yaml:)) ?? [],
            slurm: try map["slurm"].map(SlurmOptions.init(yaml:))
        )
        declaredVersions = rules
    }
}

extension DeclaredVersion {
    /// `key: 1.26.4` (exact), or `key: {version: "1.26", match: prefix, from: numpy}`.
    static func parse(_ entry: YAMLValue) throws -> (text: String, rule: DeclaredVersion) {
        guard (try? entry.freeMapping()) != nil else {
            let text = try entry.string()
            return (text, DeclaredVersion(rule: try rule(match: "exact", version: text, at: entry)))
        }
        let map = try entry.mapping(allowed: ["version", "match", "from"])
        let versionValue = try map.required("version")
        let text = try versionValue.string()
        let rule = try rule(
            match: try map["match"]?.string() ?? "exact",
            version: text,
            at: map["match"] ?? versionValue
        )
        let from = try map["from"]?.string()
        if let from, from.isEmpty, let fromValue = map["from"] {
            throw fromValue.error("name the observed version to compare with")
        }
        return (text, DeclaredVersion(rule: rule, from: from))
    }

    private static func rule(match: String, version: String, at value: YAMLValue) throws -> VersionRule {
        do { return try VersionRule.parse(match: match, version: version) } catch { throw value.error(error.message) }
    }
}

extension BackendSpec {
    init(yaml: YAMLValue, variables: DescriptorVariables? = nil) throws {
        let map = try yaml.mapping(allowed: [
            "builtin", "command", "fallback_command", "env", "cwd", "device", "options",
            "timeouts", "max_restarts", "threads", "ranks",
        ])
        func expanded(_ value: YAMLValue) throws -> String { try DescriptorVariables.expand(value, with: variables) }
        // An argv is a list: a string would be one program name with spaces in it, never split.
        func argv(_ value: YAMLValue) throws -> [String] {
            guard case .sequence = value.node else {
                throw value.error("must be a list (argv), e.g. [python3, backend.py], found \(value.kindName)")
            }
            let items = try value.sequence().map(expanded)
            if items.isEmpty { throw value.error("must be a non-empty argv") }
            return items
        }
        // In the order a descriptor usually lists them, so the first error is the first one read.
        let command = try map["command"].map(argv)
        let fallback = try map["fallback_command"].map(argv)
        let cwd = try map["cwd"].map(expanded)
        var env: [String: String] = [:]
        if let value = map["env"] { for (key, entry) in try value.freeMapping() { env[key] = try expanded(entry) } }
        var options: [String: String] = [:]
        if let value = map["options"] {
            for (key, entry) in try value.freeMapping() {
                guard case .scalar = entry.node else {
                    throw entry.error("an option's value is a single value, found \(entry.kindName)")
                }
                if key == "device" { throw entry.error("give the device as backend.device, not as an option") }
                options[key] = try entry.string()
            }
        }
        var handshake = 60.0
        var request = 300.0
        if let timeouts = try map["timeouts"]?.mapping(allowed: ["handshake_s", "request_s"]) {
            handshake = try timeouts["handshake_s"]?.positiveDouble() ?? handshake
            request = try timeouts["request_s"]?.positiveDouble() ?? request
        }
        self.init(
            builtin: try map["builtin"]?.string(),
            command: command,
            env: env,
            cwd: cwd,
            device: try map["device"]?.string(),
            handshakeTimeoutSeconds: handshake,
            requestTimeoutSeconds: request,
            maxRestarts: try map["max_restarts"]?.nonNegativeInt() ?? 3,
            threads: try map["threads"]?.positiveInt()
        )
        self.options = options.isEmpty ? nil : options
        ranks = try map["ranks"].map { try RankSpec(yaml: $0, expand: expanded) }
        if let ranksValue = map["ranks"], map["builtin"] != nil {
            throw ranksValue.error("'ranks' start one plugin per rank; the builtin backend has none")
        }
        if let fallbackValue = map["fallback_command"] {
            if map["command"] == nil { throw fallbackValue.error("'fallback_command' goes with 'command'") }
            fallbackCommand = fallback
        }
        if let builtinValue = map["builtin"] {
            guard builtin == "cpu" else {
                throw builtinValue.error("unknown builtin backend '\(builtin ?? "")' (only 'cpu')")
            }
            if map["command"] != nil { throw builtinValue.error("give either 'builtin' or 'command', not both") }
            if let optionsValue = map["options"] {
                throw optionsValue.error("'options' go to a plugin's hello; the builtin backend takes none")
            }
        } else {
            guard let command, !command.isEmpty else {
                throw yaml.error("backend needs 'builtin: cpu' or a non-empty 'command'")
            }
        }
    }
}

extension DeclaredCapabilities {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: [
            "peak_tflops", "memory_bandwidth_gbs", "memory_gib", "devices", "host_link_gbs", "link_gbs", "source",
        ])
        var peaks: [String: Double] = [:]
        if let value = map["peak_tflops"] {
            for (key, entry) in try value.freeMapping() {
                guard DType(name: key) != nil else {
                    throw entry.error(
                        "unknown dtype '\(key)' (one of: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                peaks[DType(name: key)!.rawValue] = try entry.positiveDouble()
            }
        }
        self.init(
            peakTFLOPS: peaks,
            memoryBandwidthGBs: try map["memory_bandwidth_gbs"]?.positiveDouble(),
            memoryGiB: try map["memory_gib"]?.positiveDouble(),
            devices: try map["devices"]?.nonNegativeInt(),
            hostLinkGBs: try map["host_link_gbs"]?.positiveDouble()
        )
        linkGBs = try map["link_gbs"]?.positiveDouble()
        // A peak without its provenance cannot be checked by whoever reads a certificate.
        if let sourceValue = map["source"] {
            source = try sourceValue.string().trimmingCharacters(in: .whitespacesAndNewlines)
            if source?.isEmpty != false {
                throw sourceValue.error("name the datasheet or specification the peaks come from")
            }
        } else if declaresPeaks {
            let peak = map["peak_tflops"] ?? map["memory_bandwidth_gbs"]!
            throw peak.error(
                "declared peaks need a 'source:' beside them (the datasheet or specification they come from, by name or URL)"
            )
        }
    }
}

extension SystemExpectations {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: [
            "os_id", "os_version", "min_kernel", "arch", "modules", "device_nodes",
            "cpu_flags", "accelerators", "min_memory_gib", "hugepages", "cgroup", "min_glibc",
            "min_host_device_gbs", "min_device_memory_gib", "sustained_load",
        ])
        self.init(
            osIDs: try map["os_id"]?.strings() ?? [],
            osVersion: try map["os_version"]?.string(),
            minKernel: try map["min_kernel"]?.string(),
            arch: try map["arch"]?.string(),
            modules: try map["modules"]?.strings() ?? [],
            deviceNodes: try map["device_nodes"]?.strings() ?? [],
            cpuFlags: try map["cpu_flags"]?.strings() ?? [],
            accelerators: try map["accelerators"]?.nonNegativeInt(),
            minMemoryGiB: try map["min_memory_gib"]?.positiveDouble(),
            hugepages: try map["hugepages"]?.nonNegativeInt(),
            cgroup: try map["cgroup"]?.string(),
            minGlibc: try map["min_glibc"]?.string(),
            minHostDeviceGBs: try map["min_host_device_gbs"]?.positiveDouble(),
            minDeviceMemoryGiB: try map["min_device_memory_gib"]?.positiveDouble()
        )
        sustainedLoad = try map["sustained_load"].map(SustainedLoadSpec.init(yaml:))
        if let cgroupValue = map["cgroup"], !["v1", "v2"].contains(cgroup ?? "") {
            throw cgroupValue.error("cgroup must be v1 or v2")
        }
    }
}

extension Waiver {
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["pattern", "category", "reference", "reason", "expires"])
        self.init(
            pattern: try map.required("pattern").string(),
            category: try Category(yaml: try map.required("category")),
            reference: try map.required("reference").string(),
            reason: try map.required("reason").string(),
            expires: try map.required("expires").date()
        )
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
