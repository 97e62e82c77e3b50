/// What a tool printed and how it ended.
public struct CommandOutput: Sendable, Equatable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    /// True when the tool was stopped for running past its time limit.
    public var timedOut: Bool

    public init(exitCode: Int32 = 0, stdout: String, stderr: String = "", timedOut: Bool = false) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }

    public var succeeded: Bool { exitCode == 0 && !timedOut }

    /// Standard output, or standard error when a tool writes its answer there
    /// (`python3 --version` before 3.4, `ldd --version` on some builds).
    public var text: String { stdout.trimmingWhitespace.isEmpty ? stderr : stdout }
}
