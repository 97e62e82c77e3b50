import AssayCore
import AssayOps
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

/// Issue 13 (items 1, 2, 8, 9) and issue 24: each supervision rule against the hostile plugin
/// written for it (Tests/Fixtures/plugins), with short deadlines.
@Suite(.enabled(if: Python.isAvailable, "python3 is not on PATH"))
struct PluginSupervisionTests {
    /// A backend on fixture `script`; `environment` values may name files in a fresh scratch folder.
    static func backend(
        _ script: String,
        _ arguments: [String] = [],
        environment: [String: String] = [:],
        requestTimeout: Double = 2,
        maxRestarts: Int = 3
    ) -> PluginBackend {
        PluginBackend(
            configuration: PluginConfiguration(
                command: ["python3", PluginFixtures.path(script)] + arguments,
                environment: environment,
                device: "cpu",
                handshakeTimeoutSeconds: 10,
                requestTimeoutSeconds: requestTimeout,
                maxRestarts: maxRestarts
            )
        )
    }

    static func scratch() throws -> URL { try TemporaryDirectory.make(prefix: "assay-supervision") }

    static func relu() throws -> (OpProblem, [Tensor]) { try PluginBackendTests.relu() }

    static func error(_ body: () throws -> Void) -> BackendError? { PluginBackendTests.backendError(body) }

    /// The message of the protocol violation `body` threw ("" and an issue for anything else).
    static func violation(_ body: () throws -> Void) -> String {
        let error = error(body)
        guard case .protocolViolation(let message, _)? = error else {
            Issue.record("expected a violation, got \(String(describing: error))")
            return ""
        }
        return message
    }

    // MARK: issue 13

    @Test func aPayloadBeyondTheLargestLegitimateReplyIsAViolationBeforeAllocation() throws {
        let backend = Self.backend("oversized_payload.py")
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let message = Self.violation { _ = try backend.execute(problem, inputs: inputs) }
        #expect(
            message.contains("payload_bytes 4294967296 exceeds")
                && message.contains("\(PluginBackend.largestResult(for: problem))"),
            "\(message)"
        )
    }

    /// `assay plugin check` against a plugin announcing 4 GiB: the peak RSS of the harness (and
    /// the plugin, waited for under it) stays far below the announced size.
    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func theHarnessPeakRSSStaysUnder200MBWhenAPluginAnnounces4GiB() throws {
        let assay = try #require(Repository.assayExecutable).path
        let result = try Subprocess.run([
            "python3", PluginFixtures.path("peak_rss.py"), assay, "plugin", "check", "--timeout", "5",
            "--", "python3", PluginFixtures.path("oversized_payload.py"),
        ])
        let fields = result.output.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try #require(fields.count == 2, "\(result.output)")
        #expect(fields[0] == 1, "plugin check fails the plugin")
        #expect(fields[1] < 200_000, "peak RSS \(fields[1]) kB")
    }

    @Test func aSegfaultIsSeenAtOnceWithItsSignalWhileAHelperHoldsStdout() throws {
        let backend = Self.backend("segfault_with_helper.py", requestTimeout: 30)
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let error = try #require(Self.error { _ = try backend.execute(problem, inputs: inputs) })
        // Watching only stdout, this would be a timeout after 30 s with the signal lost.
        guard case .crashed(let message, _) = error else {
            Issue.record("expected a crash, got \(error)")
            return
        }
        #expect(message.contains("killed by signal 11"), "\(message)")
    }

    @Test func aSetsidDescendantDiesOnEveryRestartAndAtShutdown() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("daemons")
        let backend = Self.backend("setsid_daemon.py", environment: ["FIXTURE_PID_FILE": pidFile.path])
        func daemons() -> [Int32] {
            ((try? String(contentsOf: pidFile, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
        }
        _ = try backend.describe()
        let first = try #require(daemons().first)
        #expect(PluginFixtures.isAlive(first), "the daemon runs while its plugin does")
        let (problem, inputs) = try Self.relu()
        #expect(Self.error { _ = try backend.execute(problem, inputs: inputs) }?.outcome == .crash)
        #expect(PluginFixtures.waitUntilGone(first, seconds: 2), "a restart kills the old plugin's daemon")
        _ = try backend.memory()  // a fresh plugin, a fresh daemon
        let second = try #require(daemons().last)
        #expect(second != first && PluginFixtures.isAlive(second))
        backend.shutdown()
        #expect(PluginFixtures.waitUntilGone(second, seconds: 2), "the end of the run kills the daemon")
    }

    @Test func aReplyHeaderThatIsNotStrictUTF8IsAViolation() throws {
        let backend = Self.backend("invalid_utf8_header.py")
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let message = Self.violation { _ = try backend.execute(problem, inputs: inputs) }
        #expect(message.contains("not valid UTF-8"), "\(message)")
    }

    // MARK: issue 24

    /// Several restarts, with a descriptor of our own open without close-on-exec: every start
    /// of the plugin sees only 0, 1 and 2.
    @Test func aRestartedPluginInheritsOnlyStdinStdoutAndStderr() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("fds")
        let leaky = folder.appendingPathComponent("leaky")
        #expect(FileManager.default.createFile(atPath: leaky.path, contents: Data()))
        let handle = try #require(FileHandle(forUpdatingAtPath: leaky.path))  // no O_CLOEXEC
        defer { try? handle.close() }
        let backend = Self.backend("list_fds.py", environment: ["FIXTURE_FD_LOG": log.path])
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        for _ in 0..<3 { #expect(Self.error { _ = try backend.execute(problem, inputs: inputs) }?.outcome == .crash) }
        let starts = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(starts.count == 3 && backend.startCount == 3)
        #expect(starts.allSatisfy { $0 == "0 1 2" }, "\(starts)")
    }

    @Test func aRestartWithAnotherIdentityMakesTheBackendUnavailable() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = Self.backend(
            "shifting_identity.py",
            environment: ["FIXTURE_MARKER": folder.appendingPathComponent("marker").path]
        )
        defer { backend.shutdown() }
        #expect(try backend.describe().capabilities == ["relu": ["f32"]])
        let (problem, inputs) = try Self.relu()
        #expect(Self.error { _ = try backend.execute(problem, inputs: inputs) }?.outcome == .crash)
        for _ in 0..<2 {  // the restart, and every request after it
            let error = try #require(Self.error { _ = try backend.execute(problem, inputs: inputs) })
            guard case .unavailable(let message) = error else {
                Issue.record("expected unavailable, got \(error)")
                return
            }
            #expect(
                message.contains("identity changed") && message.contains("capabilities changed: 1 → 0"),
                "\(message)"
            )
        }
        #expect(backend.identityFailure != nil && backend.startCount == 2)
    }

    @Test func unrequestedBytesAfterAReplyAreChargedToThatRequest() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = Self.backend(
            "duplicate_reply.py",
            environment: ["FIXTURE_MARKER": folder.appendingPathComponent("marker").path]
        )
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let error = try #require(Self.error { _ = try backend.execute(problem, inputs: inputs) })
        #expect(error.outcome == .error && error.description.contains("unrequested bytes after the reply"), "\(error)")
        let outputs = try backend.execute(problem, inputs: inputs)  // the next request gets its own answer
        #expect(outputs[0].floats() == [0, 0, 0, 1, 2] && backend.startCount == 2)
    }

    @Test(arguments: ["0", "-5"])
    func aSampleThatIsNotPositiveIsAViolation(value: String) throws {
        let backend = Self.backend("bad_samples.py", [value])
        defer { backend.shutdown() }
        let (problem, _) = try Self.relu()
        let message = Self.violation {
            _ = try backend.benchmark(BenchmarkRequest(problem: problem, seed: 1, mode: .warm, k: 1, samples: 3))
        }
        #expect(
            message.contains("elapsed_ns[0] is \(Double(value)!)") && message.contains("positive and finite"),
            "\(message)"
        )
    }

    @Test(arguments: [("fraction", "protocol must be an integer (got 1.1)"), ("huge", "number out of range: 1e999")])
    func aHeaderNumberProblemIsNamed(mode: String, expected: String) throws {
        let backend = Self.backend("odd_numbers.py", [mode])
        let error = try #require(Self.error { _ = try backend.describe() })
        #expect(error.description.contains(expected) && !error.description.contains("not valid JSON"), "\(error)")
    }
}
