import ArgumentParser
import AssayCore
import AssayRunner
import Foundation

@main
struct AssayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Hardware/software adaptation harness: conformance and performance suites, reports, certificates, CI gate.",
        discussion: """
        Point Assay at a target (Targets/<id>.yaml); it runs suites (Suites/<id>.yaml) through the target's \
        backend and writes Reports/<target>/<run-id>/run.json plus a journal that survives a crash.

        Where targets, suites and profiles come from, first match wins: (1) a path given on the command \
        line (anything with a / or a .yaml ending); (2) Targets/, Suites/, Profiles/ of the workspace, the \
        nearest folder at or above the current directory that holds assay.yaml or one of those folders \
        (`assay init` creates one); (3) the same folders under $ASSAY_HOME; (4) the copies built into this \
        binary (the local-cpu, numpy-cpu and torch-cpu targets, every shipped suite and profile). \
        `assay targets list` and `assay suites list` say where each one came from.

        Exit codes: 0 success, 1 a case failed (or a check did not pass), 2 bad input or usage, 3 inconclusive \
        (gate only), 10 to 17 certificate verification failures (verify), 130 interrupted.
        """,
        version: AssayVersion.current,
        subcommands: [RunCommand.self, InitCommand.self, TargetsCommand.self, SuitesCommand.self, PluginCommand.self, ReportCommand.self,
                      CompareCommand.self, KeygenCommand.self, CertifyCommand.self, VerifyCommand.self, GateCommand.self,
                      BaselineCommand.self, FleetCommand.self, RegistryCommand.self])

    /// Parses and runs, mapping usage errors to exit code 2 (the documented "bad input").
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as BadInput {
            // The one place bad input becomes exit 2: commands let InputError and FileIOError through.
            FileHandle.standardError.write(Data("error: \(error.userMessage)\n".utf8))
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

/// An error the user fixes in their input or files: printed as `error: …`, exit 2.
protocol BadInput: Error {
    var userMessage: String { get }
}

/// Bad input that has already been described (file:line: field: message).
struct InputFailure: BadInput {
    var message: String
    var userMessage: String { message }
}

extension InputError: BadInput {
    var userMessage: String { description }
}

extension FileIOError: BadInput {
    var userMessage: String { description }
}
