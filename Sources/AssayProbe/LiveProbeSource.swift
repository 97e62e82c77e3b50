import Foundation

/// Reads this machine: files from the real filesystem, tools through `Foundation.Process`.
///
/// Tools are looked up on PATH plus the sbin directories (where `getenforce` and vendor
/// tools such as `npu-smi` live but user PATHs often do not reach), run with `LC_ALL=C`
/// so their output parses the same everywhere, with stdin closed and a time limit, because
/// a vendor tool talking to a wedged driver can hang for minutes.
public struct LiveProbeSource: ProbeSource {
    /// Seconds a tool may run before it is stopped.
    public var timeout: Double
    /// Directories searched for tools, in order.
    public var searchPath: [String]
    /// The environment tools run with (plus `LC_ALL=C`, `LANG=C`).
    public var environment: [String: String]
    /// Files and outputs beyond this many bytes are cut; nothing probed is near it.
    public static let maxBytes = 4 << 20

    static let systemDirectories = [
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
        "/sbin", "/bin",
    ]

    public init(timeout: Double = 5, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.timeout = timeout
        self.environment = environment
        let fromEnvironment = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        var seen = Set<String>()
        self.searchPath = (fromEnvironment + Self.systemDirectories).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    public func readFile(_ path: String) -> String? {
        // FileHandle reads /proc and /sys files (size 0 in stat) to EOF, unlike a size-based read.
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Self.maxBytes) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public func listDirectory(_ path: String) -> [String]? {
        (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted()
    }

    public func fileExists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    public func readLink(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// The absolute path of a tool, or nil when it is not on the search path.
    public func locate(_ tool: String) -> String? {
        if tool.contains("/") {
            return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil
        }
        return searchPath.lazy.map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public func run(_ argv: [String]) -> CommandOutput? {
        guard let tool = argv.first, let executable = locate(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        var environment = self.environment
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        process.environment = environment
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            // On PATH but not runnable (permissions, bad interpreter): present, and failed.
            return CommandOutput(exitCode: 126, stdout: "", stderr: "\(error)")
        }
        // Drain both pipes concurrently so a chatty tool never blocks on a full pipe.
        let stdout = PipeDrain(stdoutPipe.fileHandleForReading)
        let stderr = PipeDrain(stderrPipe.fileHandleForReading)
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if finished.wait(timeout: .now() + 1) == .timedOut {
                Self.forceKill(process.processIdentifier)
                _ = finished.wait(timeout: .now() + 1)
            }
        }
        // A grandchild may keep a pipe open; do not wait for it forever.
        let out = stdout.collect(waitingUpTo: timedOut ? 0.5 : 2)
        let err = stderr.collect(waitingUpTo: timedOut ? 0.5 : 2)
        let status: Int32 = process.isRunning ? -1 : process.terminationStatus
        return CommandOutput(exitCode: timedOut ? -1 : status, stdout: out, stderr: err, timedOut: timedOut)
    }
}
