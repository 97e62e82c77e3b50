import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import assay

/// Commands run in process through `AssayCommand.execute`, the path `main` takes (in the style of
/// swift-argument-parser's `AssertExecuteCommand`, without a subprocess): the exit status and
/// the diagnostics `main` prints.
@Suite struct ExecuteCommandTests {
    /// Runs `arguments` in process and checks the exit status; returns the printed diagnostics.
    @discardableResult
    func assertExecute(
        _ arguments: [String],
        exits status: Int32,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        let outcome = AssayCommand.execute(arguments)
        #expect(outcome.status == status, "\(arguments): \(outcome.message ?? "")", sourceLocation: sourceLocation)
        return outcome.message ?? ""
    }

    @Test func versionIsTheOneConstant() {
        #expect(assertExecute(["--version"], exits: 0) == AssayVersion.current)
    }

    @Test func usageErrorsAreBadInput() {
        #expect(assertExecute(["frobnicate"], exits: 2).contains("frobnicate"))
        #expect(
            assertExecute(["run", "--target", "local-cpu", "--suite", "smoke", "--rounds", "0"], exits: 2).contains(
                "--rounds must be at least 1"
            )
        )
    }

    @Test func aValidDescriptorValidates() {
        assertExecute(
            ["targets", "validate", Repository.root.appendingPathComponent("Targets/local-cpu.yaml").path],
            exits: 0
        )
    }

    @Test func anInvalidDescriptorIsExit2() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-execute")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("typo.yaml")
        let text = try String(
            contentsOf: Repository.root.appendingPathComponent("Targets/local-cpu.yaml"),
            encoding: .utf8
        )
        try (text + "\nunknown_key: 1\n").write(to: file, atomically: true, encoding: .utf8)
        assertExecute(["targets", "validate", file.path], exits: 2)
    }

    /// An input error reaches the root and is printed once, naming the file, with exit 2.
    @Test func aMissingTargetIsNamedWithExit2() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-execute")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no-such-target.yaml").path
        let message = assertExecute(["run", "--target", missing, "--suite", "smoke", "--out", folder.path], exits: 2)
        #expect(message.hasPrefix("error: ") && message.contains("no-such-target.yaml"), "\(message)")
    }
}
