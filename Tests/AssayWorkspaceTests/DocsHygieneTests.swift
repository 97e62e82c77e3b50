import AssayTestSupport
import Foundation
import Testing

/// The project's documentation and scripts speak of the project alone: no path that exists only
/// on one machine, no tool of the environment a session ran in (issue 22).
@Suite("Docs hygiene")
struct DocsHygieneTests {
    /// Absolute paths that name one machine's layout, after a character that cannot start a path
    /// (so `~/.local/...`, `$HOME/...`, `./work/x` and URLs' hosts are not caught).
    static let machinePath = try! NSRegularExpression(
        pattern: #"(^|[\s`'"(=:\[])/(work|root|home/[A-Za-z0-9_-]+|Users/[A-Za-z0-9_-]+)/"#
    )

    /// Phrases of the remote-execution tool the GPU run was once described through.
    static let outsideTools = [
        "device tool", "device call", "`device` `run`", "carry: [", "carry [\\\"", "kind: nvidia-h100-x1",
        "give_back", "files_at", "files_fetch", "the session's",
    ]

    /// Every problem in `text`, as `file:line: what`.
    static func problems(in text: String, file: String) -> [String] {
        var found: [String] = []
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let range = NSRange(line.startIndex..., in: line)
            if machinePath.firstMatch(in: line, range: range) != nil {
                found.append("\(file):\(index + 1): machine-specific absolute path: \(line)")
            }
            for phrase in outsideTools where line.contains(phrase) {
                found.append("\(file):\(index + 1): names a tool outside the project (\(phrase)): \(line)")
            }
        }
        return found
    }

    /// README.md, docs/, Backends/ (text files, build outputs aside) and Benchmarks/gpu/.
    static func files() throws -> [URL] {
        let root = Repository.root
        var files = [root.appendingPathComponent("README.md")]
        let skipped: Set<String> = ["__pycache__", "build", "dist", ".pytest_cache"]
        for folder in ["docs", "Backends", "Benchmarks/gpu"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder),
                includingPropertiesForKeys: [.isRegularFileKey]
            )
            while let url = enumerator?.nextObject() as? URL {
                if skipped.contains(url.lastPathComponent) || url.lastPathComponent.hasSuffix(".egg-info") {
                    enumerator?.skipDescendants()
                    continue
                }
                if ["md", "py", "sh", "toml", "yaml", "yml", "txt", "cfg"].contains(url.pathExtension) {
                    files.append(url)
                }
            }
        }
        return files
    }

    @Test("README.md, docs/, Backends/ and Benchmarks/gpu/ name no machine path and no outside tool")
    func projectTextsSpeakOfTheProjectAlone() throws {
        let files = try Self.files()
        #expect(files.count > 10, "found only \(files.map(\.lastPathComponent))")
        var problems: [String] = []
        for url in files {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            let relative = String(url.path.dropFirst(Repository.root.path.count + 1))
            problems += Self.problems(in: String(decoding: data, as: UTF8.self), file: relative)
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the scanner catches what it looks for and lets ordinary text through")
    func scannerCatchesPlantedProblems() {
        #expect(Self.problems(in: "cd /work/main && pytest", file: "x").count == 1)
        #expect(Self.problems(in: "see `/root/assay/keys`", file: "x").count == 1)
        #expect(Self.problems(in: "PREFIX=/home/alice/.local", file: "x").count == 1)
        #expect(Self.problems(in: "then call `device` `run` with carry: [\".gpu-kit\"]", file: "x").count == 2)
        #expect(
            Self.problems(
                in: "PREFIX=$HOME/.local, ~/.local/bin, /usr/local/bin, /tmp/x, /sys/devices, ./work/",
                file: "x"
            ).isEmpty
        )
        #expect(Self.problems(in: "the hello's options {\"device\": \"cuda\"} and `device` strings", file: "x").isEmpty)
    }

    @Test("README has prerequisites, the files a run writes, and a docs index with PROTOCOL.md and the Python README")
    func readmeHasTheSectionsNewUsersNeed() throws {
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8)
        for needle in [
            "## Prerequisites", "Swift 6", "Python 3.8", "numpy", "run.json", "journal.jsonl", "report.html",
            "report.md",
            "junit.xml", "report.json", "## Documentation", "docs/PROTOCOL.md", "Backends/python/README.md",
            "bash Benchmarks/gpu/stage.sh", "bash Benchmarks/gpu/run.sh",
        ] {
            #expect(readme.contains(needle), "README.md lacks \(needle)")
        }
        let index = try #require(readme.range(of: "## Documentation"))
        for document in [
            "docs/ARCHITECTURE.md", "docs/PROTOCOL.md", "docs/OPS.md", "docs/FORMATS.md", "docs/DECISIONS.md",
            "docs/CI.md",
            "Backends/python/README.md",
        ] {
            #expect(readme[index.upperBound...].contains("`\(document)`"), "the docs index lacks \(document)")
            #expect(
                FileManager.default.fileExists(atPath: Repository.root.appendingPathComponent(document).path),
                "\(document) is indexed but missing"
            )
        }
    }
}
