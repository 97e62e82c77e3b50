import Foundation

/// Runs helper tools (python3, openssl, chromium, the built `assay`) from tests.
public enum Subprocess {
    /// How a tool ended and what it wrote.
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output, with standard error unless it was discarded.
        public var data: Data
        public var output: String { String(decoding: data, as: UTF8.self) }
    }

    /// Where a tool's standard error goes.
    public enum ErrorOutput: Sendable {
        /// Into the captured output, after or among standard output (for failure messages).
        case merged
        /// Nowhere (when the output is parsed, as JSON say).
        case discarded
    }

    /// Runs `argv` to the end: `argv[0]` is a path or a name looked up on PATH (through
    /// `/usr/bin/env`, which exits 127 when there is no such tool). `input`, when given, is
    /// written to its standard input; otherwise it inherits ours. Throws only when the process
    /// cannot be started.
    public static func run(
        _ argv: [String],
        in directory: URL? = nil,
        input: Data? = nil,
        standardError: ErrorOutput = .merged
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = standardError == .merged ? output : FileHandle.nullDevice
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            // Written from another thread so that neither side blocks on a full pipe.
            Thread {
                stdin.fileHandleForWriting.write(input)
                try? stdin.fileHandleForWriting.close()
            }.start()
        }
        // Read before waiting so a full pipe cannot block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, data: data)
    }

    /// Starts `executable` with its output discarded and returns at once, for a test that
    /// watches, signals or waits for the process itself.
    public static func launch(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The path of the first executable named `name` on PATH, or nil: for skipping a test
    /// whose tool is not installed.
    public static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
