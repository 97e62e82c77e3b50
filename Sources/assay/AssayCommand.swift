import ArgumentParser
import Foundation

@main
struct AssayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Hardware/software adaptation harness: conformance and performance suites, reports, certificates, CI gate.",
        discussion: """
        Point Assay at a target (Targets/<id>.yaml); it runs suites (Suites/<id>.yaml) through the target's \
        backend and writes Reports/<target>/<run-id>/run.json plus a journal that survives a crash.

        Exit codes: 0 success, 1 a case failed (or a check did not pass), 2 bad input or usage, 3 inconclusive \
        (gate only), 10–17 certificate verification failures (verify), 130 interrupted.
        """,
        version: "0.1.0",
        subcommands: [RunCommand.self, TargetsCommand.self, SuitesCommand.self, PluginCommand.self, ReportCommand.self,
                      CompareCommand.self, KeygenCommand.self, CertifyCommand.self, VerifyCommand.self, GateCommand.self,
                      BaselineCommand.self])

    /// Parses and runs, mapping usage errors to exit code 2 (the documented "bad input").
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputFailure {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(ExitStatus.badInput)
        } catch let error as CocoaError where error.isFileError {
            // A file that cannot be read or written is bad input (exit 2, not a verdict), named by path.
            let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path ?? "a file"
            let verb = error.code.rawValue >= CocoaError.fileWriteUnknown.rawValue ? "cannot write" : "cannot read"
            FileHandle.standardError.write(Data("error: \(path): \(verb) (file system error \(error.code.rawValue))\n".utf8))
            Foundation.exit(ExitStatus.badInput)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.badInput)
            }
            exit(withError: error)
        }
    }
}

/// The exit statuses every subcommand shares.
enum ExitStatus {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let badInput: Int32 = 2
    static let interrupted: Int32 = 130
}

/// Bad input that has already been described (file:line: field: message).
struct InputFailure: Error {
    var message: String
}
