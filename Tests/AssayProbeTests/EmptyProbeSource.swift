@testable import AssayProbe

/// A source that knows nothing: no files, no tools.
struct EmptyProbeSource: ProbeSource {
    func readFile(_ path: String) -> String? { nil }
    func listDirectory(_ path: String) -> [String]? { nil }
    func fileExists(_ path: String) -> Bool { false }
    func readLink(_ path: String) -> String? { nil }
    func run(_ argv: [String]) -> CommandOutput? { nil }
}
