import AssayPlanning
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// Issue 13.12: each gap is an error naming file, line and field, not a silent clamp, a folder
/// named after a control character, or an error from the plugin's interpreter.
@Suite struct ValidationGapTests {
    static func target(_ backend: String, id: String = "t") -> String {
        "id: \(id)\nkind: cpu\nbackend:\n\(backend)\n"
    }

    func failure(_ body: () throws -> Void) -> InputError? {
        do { try body() } catch let error as InputError { return error } catch {
            Issue.record("not an InputError: \(error)")
        }
        return nil
    }

    @Test func descriptorGapsAreLocatedErrors() throws {
        let cases: [(String, Int, String, String)] = [
            (Self.target("  builtin: cpu\n  max_restarts: -1"), 5, "backend.max_restarts", "must be 0 or more"),
            (Self.target("  builtin: cpu\n  threads: -4"), 5, "backend.threads", "must be 1 or more"),
            (Self.target("  builtin: cpu\n  threads: 0"), 5, "backend.threads", "must be 1 or more"),
            (Self.target("  builtin: cpu", id: "\"ok\\n\""), 1, "id", "must be letters"),
            (Self.target("  builtin: cpu", id: "\"a\\tb\""), 1, "id", "must be letters"),
        ]
        for (text, line, field, message) in cases {
            let error = try #require(failure { _ = try TargetDescriptor.parse(text: text, file: "t.yaml") }, "\(text)")
            #expect(
                error.file == "t.yaml" && error.line == line && error.field == field && error.message.contains(message),
                "\(error)"
            )
        }
        let duplicate = try #require(
            failure {
                _ = try TargetDescriptor.parse(
                    text: "id: t\nkind: cpu\nbackend:\n  builtin: cpu\n  threads: 2\n  threads: 3\n",
                    file: "t.yaml"
                )
            }
        )
        #expect(
            duplicate.line != nil && duplicate.column != nil && duplicate.message.contains("duplicated key 'threads'"),
            "\(duplicate)"
        )
    }

    @Test func suiteGapsAreLocatedErrors() throws {
        let cases: [(String, Int, String)] = [
            ("id: s\ncases:\n  - {op: relu, shapes: [{shape: [4]}], rtol: -1}\n", 3, "cases[0].rtol"),
            ("id: s\ncases:\n  - op: relu\n    shapes: [{shape: [4]}]\n    atol: -0.5\n", 5, "cases[0].atol"),
            ("id: \"s\\n\"\ncases:\n  - {op: relu, shapes: [{shape: [4]}]}\n", 1, "id"),
        ]
        for (text, line, field) in cases {
            let error = try #require(
                failure { _ = try Suite.parse(text: text, file: "s.yaml", validator: SuiteValidator()) },
                "\(text)"
            )
            #expect(error.file == "s.yaml" && error.line == line && error.field == field, "\(error)")
        }
    }

    @Test func missingCwdAndProgramAreNamed() throws {
        let root = Repository.root
        let cwdText = Self.target("  command: [python3, plugin.py]\n  cwd: no/such/folder")
        let cwd = try #require(
            failure {
                try TargetPreflight.check(
                    try TargetDescriptor.parse(text: cwdText, file: "t.yaml"),
                    text: cwdText,
                    file: "t.yaml",
                    root: root
                )
            }
        )
        #expect(cwd.line == 5 && cwd.field == "backend.cwd" && cwd.message.contains("no/such/folder"), "\(cwd)")
        let programText = Self.target("  command: [no-such-plugin-program, --flag]")
        let program = try #require(
            failure {
                try TargetPreflight.check(
                    try TargetDescriptor.parse(text: programText, file: "t.yaml"),
                    text: programText,
                    file: "t.yaml",
                    root: root
                )
            }
        )
        #expect(
            program.line == 4 && program.field == "backend.command[0]"
                && program.message.contains("no-such-plugin-program"),
            "\(program)"
        )
        // A program that exists passes.
        let fine = Self.target("  command: [python3, plugin.py]")
        try TargetPreflight.check(
            try TargetDescriptor.parse(text: fine, file: "t.yaml"),
            text: fine,
            file: "t.yaml",
            root: root
        )
    }

    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func missingProgramIsExitTwoForRunAndValidate() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-missing-program")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("t.yaml")
        try Self.target("  command: [no-such-plugin-program]").write(to: target, atomically: true, encoding: .utf8)
        let executable = try #require(Repository.assayExecutable).path
        let validate = try Subprocess.run([executable, "targets", "validate", target.path], in: Repository.root)
        #expect(validate.status == 2 && validate.output.contains("backend.command[0]"), "\(validate.output)")
        let run = try Subprocess.run(
            [
                executable, "run", "--target", target.path, "--suite", "smoke", "--out",
                folder.appendingPathComponent("R").path, "--quiet",
            ],
            in: Repository.root
        )
        #expect(
            run.status == 2 && run.output.contains("t.yaml:4") && run.output.contains("no-such-plugin-program"),
            "\(run.output)"
        )
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("R").path),
            "no run directory for bad input"
        )
    }
}
