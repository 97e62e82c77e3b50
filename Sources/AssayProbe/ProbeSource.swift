/// Everything a probe may read, behind one seam, so every probe is a pure function of its
/// source: `LiveProbeSource` reads this machine, `FixtureProbeSource` a recorded tree.
///
/// Nothing here throws: an unreadable file, a missing directory or an absent tool is
/// an ordinary answer (`nil`), recorded as unknown or "not present", never an error.
public protocol ProbeSource: Sendable {
    /// The whole text of a file at an absolute path, or nil when it cannot be read.
    func readFile(_ path: String) -> String?
    /// The names in a directory (not paths), sorted, or nil when it cannot be listed.
    func listDirectory(_ path: String) -> [String]?
    func fileExists(_ path: String) -> Bool
    /// The target of a symbolic link, as stored, or nil when the path is not a link.
    func readLink(_ path: String) -> String?
    /// Runs a tool found on PATH. Nil only when the tool is not present; a tool that fails
    /// or times out still answers, with its exit status.
    func run(_ argv: [String]) -> CommandOutput?
}

extension ProbeSource {
    /// The file's text with surrounding whitespace removed; nil when unreadable or empty.
    func readTrimmed(_ path: String) -> String? {
        guard let text = readFile(path)?.trimmingWhitespace, !text.isEmpty else { return nil }
        return text
    }

    /// The file read as a decimal integer (sysfs attributes such as `numa_node`).
    func readInt(_ path: String) -> Int? {
        readTrimmed(path).flatMap { Int($0) }
    }

    /// Standard output of a tool that ran and succeeded, or nil.
    func output(_ argv: [String]) -> String? {
        guard let result = run(argv), result.succeeded else { return nil }
        return result.text
    }
}
