import AssayCore
import Foundation

/// Every version this run can see, by the key a descriptor's `versions:` (or its `from:`)
/// names, with where it came from. What the backend reports wins over a probe of this machine
/// for the same key: the backend's is what actually runs the cases.
public struct ObservedVersions: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var version: String
        /// `backend runtime`, `backend device 0`, `probe: os-release`, …
        public var source: String
    }

    public private(set) var entries: [String: Entry] = [:]

    /// Probes first, then the backend's handshake over them.
    public init(facts: SystemFacts, backend: BackendIdentity?, harnessVersion: String?) {
        if let harnessVersion { set("harness", harnessVersion, "harness") }
        if let os = facts.os {
            if let name = os.prettyName { set("os", name, "probe: os-release PRETTY_NAME") }
            if let id = os.id { set("os_id", id, "probe: os-release ID") }
            if let version = os.versionID { set("os_version", version, "probe: os-release VERSION_ID") }
        }
        if let release = facts.kernel?.release { set("kernel", release, "probe: kernel release") }
        if let glibc = facts.glibcVersion { set("glibc", glibc, "probe: glibc") }
        for tool in facts.toolchain ?? [] {
            if let version = tool.version { set(tool.name, version, "probe: \(tool.name) --version") }
        }
        for tool in facts.acceleratorTools ?? [] where tool.present {
            if let version = tool.version { set(tool.name, version, "probe: \(tool.name)") }
            if entries["driver"] == nil,
                let driver = tool.devices.lazy.compactMap(\.driverVersion).first ?? tool.version
            {
                set("driver", driver, "probe: \(tool.name)")
            }
        }
        guard let backend else { return }
        set("backend", backend.version, "backend \(backend.name)")
        // The host CPU "device" of a CPU backend has no driver or runtime worth comparing.
        if let device = backend.devices.first(where: { $0.kind != .cpu }) {
            if let driver = device.driver { set("driver", driver, "backend device \(device.index)") }
            if let runtime = device.runtime { set("device_runtime", runtime, "backend device \(device.index)") }
        }
        for (key, value) in backend.runtime { set(key, value, "backend \(backend.name) runtime") }
    }

    private mutating func set(_ key: String, _ version: String, _ source: String) {
        let version = version.trimmingCharacters(in: .whitespaces)
        guard !version.isEmpty else { return }
        entries[key] = Entry(version: version, source: source)
    }

    public subscript(key: String) -> Entry? { entries[key] }

    /// The keys, sorted, for a message that says what could have been compared.
    public var keys: [String] { entries.keys.sorted() }
}
