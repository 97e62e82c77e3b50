@testable import AssayProbe

/// Wraps a source and replaces some files' contents and some tools' results,
/// to test malformed inputs, failing tools and timeouts on otherwise real fixtures.
struct OverridingProbeSource: ProbeSource {
    var base: any ProbeSource
    var files: [String: String] = [:]
    /// Keyed by tool name.
    var tools: [String: CommandOutput] = [:]

    func readFile(_ path: String) -> String? { files[path] ?? base.readFile(path) }
    func listDirectory(_ path: String) -> [String]? { base.listDirectory(path) }
    func fileExists(_ path: String) -> Bool { files[path] != nil || base.fileExists(path) }
    func readLink(_ path: String) -> String? { base.readLink(path) }
    func run(_ argv: [String]) -> CommandOutput? { argv.first.flatMap { tools[$0] } ?? base.run(argv) }
}
