import AssayCore
import AssayOps
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

@Suite(.enabled(if: Python.isAvailable, "python3 is not on PATH"))
struct PluginBackendTests {
    static func relu(_ count: Int = 5) throws -> (OpProblem, [Tensor]) {
        let problem = try OpCatalogue.standard.problem(
            op: "relu",
            params: ["shape": .ints([count])],
            attrs: [:],
            dtype: .f32
        )
        let input = Tensor(float32: (0..<count).map { Float($0) - 2 }, shape: Shape([count]))
        return (problem, [input])
    }

    /// The error a call threw, as a BackendError.
    static func backendError(_ body: () throws -> Void) -> BackendError? {
        do {
            try body()
            return nil
        } catch let error as BackendError { return error } catch { return nil }
    }

    @Test func aWellBehavedPluginDescribesExecutesBenchmarksAndExits() throws {
        let backend = try FakePlugin.backend("ok")
        let identity = try backend.describe()
        #expect(identity.transport == .plugin && identity.protocolVersion == 1 && identity.name == "fake")
        #expect(identity.devices.first?.maxClockMHz == 1500 && identity.devices.first?.memoryBytes == 1024)
        #expect(identity.capabilities == ["relu": ["f32"]] && identity.runtime["build"] == "7")
        let (problem, inputs) = try Self.relu()
        let outputs = try backend.execute(problem, inputs: inputs)
        #expect(outputs.count == 1 && outputs[0].floats() == [0, 0, 0, 1, 2] && outputs[0].shape == Shape([5]))
        let samples = try backend.benchmark(BenchmarkRequest(problem: problem, seed: 1, mode: .warm, k: 4, samples: 3))
        #expect(samples.map(\.elapsedNanoseconds) == [4000, 4000, 4000])
        #expect(samples.allSatisfy { $0.telemetry?.smClockMHz == 1400 && $0.telemetry?.powerWatts == nil })
        let memory = try backend.memory()
        #expect(memory.totalBytes == 2048 && memory.freeBytes == 1024)
        #expect(backend.stop() == .exited(bye: true, status: 0))
        #expect(backend.startCount == 1)
    }

    /// Each framing failure kills the plugin, maps to its outcome with the stderr tail, and the
    /// next request runs on a restarted plugin that then behaves.
    @Test(arguments: [
        ("exit", Outcome.crash, "plugin exited with status 3"),
        ("hang", Outcome.timeout, "within 2 s"),
        ("malformed", Outcome.error, "unreadable reply header"),
        ("huge", Outcome.error, "the largest reply this request allows"),
        ("garbage", Outcome.error, "longer than 1048576 bytes"),
        ("badnbytes", Outcome.error, "nbytes 21 != product"),
    ])
    func aMisbehavingPluginIsRestarted(mode: String, outcome: Outcome, reason: String) throws {
        let backend = try FakePlugin.backend(mode)
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let error = try #require(Self.backendError { _ = try backend.execute(problem, inputs: inputs) })
        #expect(error.outcome == outcome)
        #expect(error.description.contains(reason), "\(error)")
        #expect(error.stderrTail?.contains("fake plugin misbehaving: \(mode)") == true)
        let outputs = try backend.execute(problem, inputs: inputs)
        #expect(outputs[0].floats() == [0, 0, 0, 1, 2])
        #expect(backend.startCount == 2)
    }

    /// Well-framed but wrong outputs come back as they are: the conformance checker judges them.
    @Test(arguments: [("wrongshape", DType.f32, Shape([6])), ("wrongdtype", DType.f64, Shape([5]))])
    func wellFramedWrongOutputsAreReturnedForJudging(mode: String, dtype: DType, shape: Shape) throws {
        let backend = try FakePlugin.backend(mode)
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu()
        let outputs = try backend.execute(problem, inputs: inputs)
        #expect(outputs[0].dtype == dtype && outputs[0].shape == shape)
        #expect(backend.startCount == 1)
    }

    @Test func afterMaxRestartsEveryRequestIsUnavailable() throws {
        let backend = try FakePlugin.backend("exit", maxRestarts: 0)
        let (problem, inputs) = try Self.relu()
        #expect(Self.backendError { _ = try backend.execute(problem, inputs: inputs) }?.outcome == .crash)
        let error = try #require(Self.backendError { _ = try backend.execute(problem, inputs: inputs) })
        guard case .unavailable(let message) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(
            error.outcome == .crash && message.contains("max_restarts 0") && message.contains("exited with status 3")
        )
        #expect(backend.startCount == 1)
    }

    @Test func aWrongSampleCountIsAProtocolViolation() throws {
        let backend = try FakePlugin.backend("badsamples")
        defer { backend.shutdown() }
        let (problem, _) = try Self.relu()
        let error = Self.backendError {
            _ = try backend.benchmark(BenchmarkRequest(problem: problem, seed: 1, mode: .warm, k: 1, samples: 3))
        }
        guard case .protocolViolation(let message, _)? = error else {
            Issue.record("expected a violation, got \(String(describing: error))")
            return
        }
        #expect(message.contains("2 samples for 3 requested"))
    }

    @Test func aRefusedHandshakeIsUnavailableWithTheReason() throws {
        let backend = try FakePlugin.backend("refuse")
        let error = try #require(Self.backendError { _ = try backend.describe() })
        guard case .unavailable(let message) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(message.contains("device missing") && message.contains("no such device"))
    }

    @Test func aMissingProgramIsUnavailable() throws {
        let backend = PluginBackend(configuration: PluginConfiguration(command: ["/nonexistent/assay-plugin"]))
        let error = try #require(Self.backendError { _ = try backend.describe() })
        guard case .unavailable(let message) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(message.contains("/nonexistent/assay-plugin"))
    }
}
