import ArgumentParser
import AssayCore
import AssayRunner
import Foundation

@main
struct AssayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract:
            "Hardware/software adaptation harness: conformance and performance suites, reports, certificates, CI gate.",
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
        subcommands: [
            RunCommand.self, InitCommand.self, TargetsCommand.self, SuitesCommand.self, PluginCommand.self,
            ReportCommand.self,
            CompareCommand.self, KeygenCommand.self, CertifyCommand.self, VerifyCommand.self, GateCommand.self,
            BaselineCommand.self, FleetCommand.self, RegistryCommand.self,
        ]
    )

    /// Parses and runs, mapping usage errors to exit code 2 (the documented "bad input").
    static func main() {
        let outcome = execute(nil)
        if let message = outcome.message, !message.isEmpty {
            // Help and version go to stdout, as ArgumentParser prints them; diagnostics to stderr.
            let handle = outcome.status == ExitStatus.success ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data((message + "\n").utf8))
        }
        Foundation.exit(outcome.status)
    }

    /// Parses and runs `arguments` (nil: the process's), in process: the exit status and what
    /// `main` prints besides the command's own output. The one error → exit-status mapping.
    static func execute(_ arguments: [String]?) -> (status: Int32, message: String?) {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return (ExitStatus.success, nil)
        } catch let error as BadInput {
            // The one place bad input becomes exit 2: commands let InputError and FileIOError through.
            return (ExitStatus.badInput, "error: \(error.userMessage)")
        } catch let error as CocoaError where error.isFileError {
            // A file that cannot be read or written is bad input (exit 2, not a verdict), named by path.
            let path =
                error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
                ?? "a file"
            let verb = error.code.rawValue >= CocoaError.fileWriteUnknown.rawValue ? "cannot write" : "cannot read"
            return (ExitStatus.badInput, "error: \(path): \(verb) (file system error \(error.code.rawValue))")
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            return (code == .validationFailure ? ExitStatus.badInput : code.rawValue, message)
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
