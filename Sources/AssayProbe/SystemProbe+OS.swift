import AssayCore

extension SystemProbe {
    /// `/etc/os-release`, falling back to `/usr/lib/os-release` as os-release(5) says.
    func probeOS() -> SystemFacts.OperatingSystem? {
        guard let text = source.readFile("/etc/os-release") ?? source.readFile("/usr/lib/os-release") else {
            return nil
        }
        let fields = KeyValueText.shellAssignments(text)
        let nonEmpty: (String) -> String? = { key in fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        let os = SystemFacts.OperatingSystem(
            id: nonEmpty("ID"),
            versionID: nonEmpty("VERSION_ID"),
            version: nonEmpty("VERSION"),
            prettyName: nonEmpty("PRETTY_NAME"),
            idLike: nonEmpty("ID_LIKE").map { $0.split(separator: " ").map(String.init) }
        )
        return os == SystemFacts.OperatingSystem() ? nil : os
    }
}
