import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// The built `assay` copied to a folder outside the repository works on its built-in data, in
/// a workspace made by `assay init`, and resumes a run from yet another directory.
@Suite("Installed binary", .serialized)
struct InstalledBinaryTests {
    /// `assay` with `$ASSAY_HOME` unset, so only the workspace and the built-ins count.
    static func assay(_ binary: URL, _ arguments: [String], in directory: URL) throws -> Subprocess.Result {
        try Subprocess.run(["-u", "ASSAY_HOME", binary.path] + arguments, in: directory)
    }

    static func folder(_ url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("run, suites list, init + run, resume and report from elsewhere: all exit 0")
    func worksOutsideTheRepository() throws {
        let built = try #require(Repository.assayExecutable, "assay is not built")
        let top = try TemporaryDirectory.make(prefix: "assay-installed")
        defer { try? FileManager.default.removeItem(at: top) }
        let binary = try Self.folder(top.appendingPathComponent("bin")).appendingPathComponent("assay")
        try FileManager.default.copyItem(at: built, to: binary)

        // Anywhere: the built-in local-cpu × smoke, reports under the current directory.
        let plain = try Self.folder(top.appendingPathComponent("plain"))
        let run = try Self.assay(binary, ["run", "--quiet", "--no-reports"], in: plain)
        #expect(run.status == 0, "\(run.output)")
        let record = try RunRecord.load(contentsOf: plain.appendingPathComponent("Reports/local-cpu/latest/run.json"))
        #expect(record.status == .complete && record.target.path == "builtin:Targets/local-cpu.yaml")
        let suites = try Self.assay(binary, ["suites", "list"], in: plain)
        #expect(suites.status == 0, "\(suites.output)")
        #expect(suites.output.split(separator: "\n").contains { $0.hasPrefix("smoke ") && $0.hasSuffix("(built-in)") })

        // A workspace: its own copies are used, from the folder or below it.
        let initialized = try Self.assay(binary, ["init", "ws"], in: top)
        #expect(initialized.status == 0, "\(initialized.output)")
        let workspace = top.appendingPathComponent("ws")
        let inWorkspace = try Self.assay(
            binary,
            ["run", "--suite", "smoke", "--quiet", "--no-reports"],
            in: workspace.appendingPathComponent("Suites")
        )
        #expect(inWorkspace.status == 0, "\(inWorkspace.output)")
        let workspaceRecord = try RunRecord.load(
            contentsOf: workspace.appendingPathComponent("Reports/local-cpu/latest/run.json")
        )
        #expect(
            workspaceRecord.target.path == "Targets/local-cpu.yaml"
                && workspaceRecord.suites.map(\.path) == ["Suites/smoke.yaml"]
        )
        let targets = try Self.assay(binary, ["targets", "list"], in: workspace)
        #expect(
            targets.status == 0
                && targets.output.contains(
                    "(workspace \(workspace.appendingPathComponent("Targets/local-cpu.yaml").path))"
                ),
            "\(targets.output)"
        )

        // Interrupt a run in the workspace, then resume it and report on it from another folder.
        let runDirectory = try Self.interruptedRun(binary, workspace: workspace)
        let elsewhere = try Self.folder(top.appendingPathComponent("elsewhere/deeper"))
        let resumed = try Self.assay(
            binary,
            ["run", "--resume", runDirectory.path, "--quiet", "--no-reports"],
            in: elsewhere
        )
        #expect(resumed.status == 0, "\(resumed.output)")
        let finished = try RunRecord.load(contentsOf: runDirectory.appendingPathComponent("run.json"))
        #expect(finished.status == .complete && finished.cases.count == finished.plannedCases.count)
        #expect(Set(finished.cases.map(\.id)).count == finished.cases.count)
        let report = try Self.assay(binary, ["report", runDirectory.path, "--format", "md"], in: elsewhere)
        #expect(report.status == 0, "\(report.output)")
        #expect(FileManager.default.fileExists(atPath: runDirectory.appendingPathComponent("report.md").path))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("Reports").path))
    }

    /// Starts a run of a few performance cases in `workspace` (through the numpy plugin, found
    /// relative to the workspace, when numpy is here), kills it after the first
    /// recorded case, and returns its run directory.
    static func interruptedRun(_ binary: URL, workspace: URL) throws -> URL {
        let plugin = Python.canImport("numpy")
        if plugin {
            // The shipped numpy-cpu falls back to Backends/python/numpy_backend.py under the workspace.
            try FileManager.default.createSymbolicLink(
                at: workspace.appendingPathComponent("Backends"),
                withDestinationURL: Repository.root.appendingPathComponent("Backends")
            )
        }
        try """
        id: slow
        kind: performance
        performance: {time_cap_s: 3, min_measured_s: 1}
        cases:
          - {op: add, dtypes: [f32], shapes: [{a: [4096], b: [4096]}, {a: [8192], b: [8192]}, {a: [16384], b: [16384]}]}
          - {op: relu, dtypes: [f32], shapes: [{shape: [4096]}, {shape: [8192]}, {shape: [16384]}]}
        """.write(to: workspace.appendingPathComponent("Suites/slow.yaml"), atomically: true, encoding: .utf8)
        let target = plugin ? "numpy-cpu" : "local-cpu"
        let process = try Subprocess.launch(
            binary,
            ["run", "--target", target, "--suite", "slow", "--no-ceilings", "--quiet", "--no-reports"],
            in: workspace
        )
        let latest = workspace.appendingPathComponent("Reports/\(target)/latest")
        let journal = latest.appendingPathComponent("journal.jsonl")
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline {
            if let text = try? String(contentsOf: journal, encoding: .utf8), text.contains("\n") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // A kill -9 mid-run (SIGINT may be blocked in processes the test runner starts).
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it was killed")
        return latest.resolvingSymlinksInPath()
    }

    @Test("help states the lookup order; completion scripts include init")
    func helpAndCompletions() throws {
        let built = try #require(Repository.assayExecutable, "assay is not built")
        let help = try Self.assay(built, ["help"], in: FileManager.default.temporaryDirectory)
        #expect(
            help.status == 0 && help.output.contains("$ASSAY_HOME") && help.output.contains("built into this"),
            "\(help.output)"
        )
        for shell in ["bash", "zsh", "fish"] {
            let script = try Self.assay(
                built,
                ["--generate-completion-script", shell],
                in: FileManager.default.temporaryDirectory
            )
            #expect(script.status == 0 && script.output.contains("init"), "\(shell): \(script.output.prefix(300))")
        }
    }
}
