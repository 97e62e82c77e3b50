import AssayCore

extension SystemProbe {
    public static let toolchainTools = ["python3", "gcc", "clang"]

    func probeToolchain() -> [SystemFacts.Tool] {
        Self.toolchainTools.map { tool(named: $0, argv: [$0, "--version"]) }
    }

    /// `ldd --version` (glibc's ldd prints `ldd (… GLIBC …) 2.35`), else
    /// `getconf GNU_LIBC_VERSION` (`glibc 2.28`); nil on musl and other libcs.
    func probeGlibc() -> String? {
        if let text = source.output(["ldd", "--version"]), text.lines.first?.uppercased().contains("LIBC") == true,
            let version = VersionText.firstLineVersion(text)
        {
            return version
        }
        if let text = source.output(["getconf", "GNU_LIBC_VERSION"]), text.hasPrefix("glibc") {
            return VersionText.firstLineVersion(text)
        }
        return nil
    }
}
