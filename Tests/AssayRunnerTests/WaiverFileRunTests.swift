import AssayBackend
import AssayTestSupport
import AssayWorkspace
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Waivers from `Waivers/<target-id>.yaml`: applied through their last day, snapshotted in
/// run.json (a resume sees the same), named in the message of a failure they no longer cover.
@Suite struct WaiverFileRunTests {
    /// A workspace whose target expects an architecture no machine has, so `arch` fails.
    struct Lab {
        let root: URL

        init() throws {
            root = try TemporaryDirectory.make(prefix: "assay-waiver-file")
            try write(
                "id: lab-t\nkind: cpu\nbackend: {builtin: cpu}\nexpect: {arch: sparc64}\n",
                to: "Targets/lab-t.yaml"
            )
            try write("id: sys\nkind: system\ncases:\n  - check: arch\n  - check: kernel\n", to: "Suites/sys.yaml")
        }

        func write(_ text: String, to path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        /// Writes `Waivers/lab-t.yaml` expiring on `expires`; returns its text.
        @discardableResult
        func writeWaivers(expires: String) throws -> String {
            let text = waivers(expires: expires)
            try write(text, to: "Waivers/lab-t.yaml")
            return text
        }

        func waivers(expires: String, target: String = "lab-t") -> String {
            """
            target: \(target)
            waivers:
              - case: "sys/check/arch/*"
                category: hardware-limit
                reason: the lab machine is not a SPARC
                issue: LAB-12
                owner: alice
                approver: bob
                expires: \(expires)
            """
        }

        func request(resume: URL? = nil, waivers: String? = nil) -> RunRequest {
            let workspace = Workspace(root: root, home: nil, currentDirectory: root)
            return RunRequest(
                target: "lab-t",
                suites: ["sys"],
                reportsRoot: root.appendingPathComponent("Reports"),
                resume: resume,
                root: root,
                command: ["test"],
                locator: ResourceLocator(workspace: workspace, builtins: []),
                waivers: waivers
            )
        }

        func run(_ request: RunRequest) throws -> (RunRecord, URL) {
            let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
                NativeCPUBackend(threads: 1)
            }
            return (try session.run(), session.directory)
        }
    }

    static func day(_ offset: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    @Test func aWaiverExpiringTodayStillAppliesAndIsSnapshotted() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        let text = try lab.writeWaivers(expires: Self.day(0))
        let (record, _) = try lab.run(lab.request())
        let arch = try #require(record.cases.first)
        #expect(arch.outcome == .waived, "\(arch.message ?? "")")
        #expect(arch.waiver?.owner == "alice" && arch.waiver?.approver == "bob")
        #expect(record.waivers?.path == "Waivers/lab-t.yaml")
        #expect(record.waivers?.text == text && record.waivers?.sha256 == Digest.sha256Hex(text))
        // The descriptor snapshot is untouched by the waivers: its digest is the descriptor's alone.
        #expect(
            record.target.sha256
                == Digest.sha256Hex("id: lab-t\nkind: cpu\nbackend: {builtin: cpu}\nexpect: {arch: sparc64}\n")
        )
    }

    @Test func aFailureUnderAnExpiredWaiverSaysSo() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        let yesterday = Self.day(-1)
        try lab.writeWaivers(expires: yesterday)
        let (record, _) = try lab.run(lab.request())
        let arch = try #require(record.cases.first)
        #expect(arch.outcome == .fail)
        #expect(arch.waiver?.expired == true)
        #expect(
            arch.message?.hasPrefix(
                "waiver LAB-12 (hardware-limit, pattern sys/check/arch/*) expired on \(yesterday), so the failure stands: expected sparc64"
            ) == true,
            "\(arch.message ?? "")"
        )
    }

    @Test func aResumeKeepsTheWaiversTheRunStartedWith() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        let text = try lab.writeWaivers(expires: Self.day(30))
        let (_, directory) = try lab.run(lab.request())
        // As if killed before any case: no journal, status interrupted.
        let runJSON = directory.appendingPathComponent("run.json")
        var record = try RunRecord.load(contentsOf: runJSON)
        record.status = .interrupted
        record.cases = []
        try RecordCoding.encoder().encode(record).write(to: runJSON)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("journal.jsonl"))
        let refused = try #require(throws: InputError.self) {
            try lab.run(lab.request(resume: directory, waivers: "other.yaml"))
        }
        #expect(refused.field == "--waivers" && refused.message.contains("keeps the waiver file it started with"))
        // Today's file has lost the waiver; the resumed run still applies the snapshot.
        try lab.writeWaivers(expires: Self.day(-5))
        let (resumed, _) = try lab.run(lab.request(resume: directory))
        #expect(resumed.cases.first?.outcome == .waived)
        #expect(resumed.waivers?.text == text)
    }

    @Test func anExplicitFileIsUsedAndOneForAnotherTargetIsRefused() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        try lab.write(lab.waivers(expires: Self.day(10)), to: "elsewhere/w.yaml")
        let (record, _) = try lab.run(lab.request(waivers: "elsewhere/w.yaml"))
        #expect(record.cases.first?.outcome == .waived)
        #expect(record.waivers?.path == "elsewhere/w.yaml")
        try lab.write(lab.waivers(expires: Self.day(10), target: "lab-u"), to: "elsewhere/u.yaml")
        let error = try #require(throws: InputError.self) { try lab.run(lab.request(waivers: "elsewhere/u.yaml")) }
        #expect(error.description == "elsewhere/u.yaml:1: target: this waiver file is for target 'lab-u', not 'lab-t'")
        let missing = try #require(throws: InputError.self) { try lab.run(lab.request(waivers: "elsewhere/none.yaml")) }
        #expect(missing.message.contains("cannot read the file"))
    }

    /// Descriptor waivers still apply, with a deprecation warning naming where they belong.
    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func descriptorWaiversStillApplyWithAWarning() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        try lab.write(
            """
            id: lab-t
            kind: cpu
            backend: {builtin: cpu}
            expect: {arch: sparc64}
            waivers:
              - {pattern: "sys/check/arch/*", category: hardware-limit, reference: LAB-1, reason: not a SPARC, expires: 2099-01-01}

            """,
            to: "Targets/lab-t.yaml"
        )
        let executable = try #require(Repository.assayExecutable).path
        let result = try Subprocess.run(
            [executable, "run", "--target", "lab-t", "--suite", "sys", "--no-reports"],
            in: lab.root
        )
        #expect(result.status == 0, "\(result.output)")
        #expect(
            result.output.contains("warning: Targets/lab-t.yaml: waivers inside the target descriptor are deprecated"),
            "\(result.output)"
        )
        #expect(result.output.contains("move them to Waivers/lab-t.yaml with an owner and approver"))
        #expect(result.output.contains("1 observed") && result.output.contains("1 waived"))
    }

    @Test func withoutAWaiverFileTheFailureStands() throws {
        let lab = try Lab()
        defer { try? FileManager.default.removeItem(at: lab.root) }
        let (record, _) = try lab.run(lab.request())
        #expect(record.cases.map(\.outcome) == [.fail, .observed])
        #expect(record.waivers == nil)
    }
}
