import AssayCore
import AssayOps
import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend

/// Feature shm (ABP 1.1, issue 18): large tensors through the plugin's region, small ones and
/// 1.0 plugins through the pipe, and every hostile-plugin rule on the shared-memory path
/// (Tests/Fixtures/plugins/shm_plugin.py names each misbehaviour).
@Suite(.enabled(if: Python.isAvailable, "python3 is not on PATH"))
struct SharedMemoryTests {
    static func backend(_ mode: String, environment: [String: String] = [:], maxRestarts: Int = 3) -> PluginBackend {
        PluginSupervisionTests.backend("shm_plugin.py", [mode], environment: environment, maxRestarts: maxRestarts)
    }

    /// relu on `count` values from -2 up; above the 64 KiB threshold from 16 Ki values.
    static func relu(_ count: Int) throws -> (OpProblem, [Tensor]) { try PluginBackendTests.relu(count) }

    static func expected(_ count: Int) -> [Float] { (0..<count).map { max(Float($0) - 2, 0) } }

    static let large = 40_000  // 160 000 bytes
    static let small = 100

    @Test func largeTensorsTravelThroughTheRegionAndSmallOnesThroughThePipe() throws {
        let backend = Self.backend("good")  // answers invalid when the threshold rule is broken
        defer { backend.shutdown() }
        #expect(try backend.describe().features == ["shm"])
        #expect(backend.usesSharedMemory, "\(backend.sharedMemoryRefusal ?? "")")
        for count in [Self.large, Self.small, Self.large, 16 << 10, (16 << 10) - 1] {
            let (problem, inputs) = try Self.relu(count)
            #expect(try backend.execute(problem, inputs: inputs)[0].floats() == Self.expected(count))
        }
        #expect(backend.startCount == 1)
    }

    @Test func aPluginThatDoesNotOfferShmGetsLargeTensorsThroughThePipe() throws {
        let backend = Self.backend("v1.0")
        defer { backend.shutdown() }
        #expect(try backend.describe().features == nil && !backend.usesSharedMemory)
        let (problem, inputs) = try Self.relu(Self.large)
        #expect(try backend.execute(problem, inputs: inputs)[0].floats() == Self.expected(Self.large))
    }

    @Test func withoutTheFeatureOfferedTheHarnessSendsNoShmFields() throws {
        var configuration = Self.backend("good").configuration
        configuration.features = ["collective"]
        let backend = PluginBackend(configuration: configuration)
        defer { backend.shutdown() }
        #expect(try backend.describe().features == nil && !backend.usesSharedMemory)
        let (problem, inputs) = try Self.relu(Self.large)
        #expect(try backend.execute(problem, inputs: inputs)[0].floats() == Self.expected(Self.large))
    }

    /// A region the harness must not map: the plugin keeps the pipe, with the reason recorded.
    @Test(arguments: [
        ("unsealed", "F_SEAL_SHRINK"), ("nonce", "nonce"), ("devnull", "not a regular file"),
        ("file", "not a memfd on shmem"), ("oversize", "offered"),
    ])
    func aRegionThatFailsACheckIsRefusedAndThePipeServes(mode: String, reason: String) throws {
        let folder = try PluginSupervisionTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = Self.backend(mode, environment: ["FIXTURE_DIR": folder.path])
        defer { backend.shutdown() }
        _ = try backend.describe()
        #expect(!backend.usesSharedMemory)
        let refusal = backend.sharedMemoryRefusal ?? ""
        #expect(refusal.contains(reason), "\(refusal)")
        let (problem, inputs) = try Self.relu(Self.large)
        #expect(try backend.execute(problem, inputs: inputs)[0].floats() == Self.expected(Self.large))
    }

    @Test(arguments: [
        ("outside", "lies outside the window"), ("before", "lies outside the window"),
        ("huge", "lies outside the window"),
        ("pipe-offset", "no shared-memory window was offered"), ("garbage", "unrequested bytes after the reply"),
    ])
    func aBadOffsetOrGarbageAfterAShmReplyIsAViolation(mode: String, reason: String) throws {
        let backend = Self.backend(mode)
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu(Self.large)
        let message = PluginSupervisionTests.violation { _ = try backend.execute(problem, inputs: inputs) }
        #expect(message.contains(reason), "\(message)")
        #expect(backend.process == nil, "the plugin was killed")
    }

    @Test func outputsAreCopiedWhenTheReplyArrivesSoLateWritesDoNotReachThem() throws {
        let backend = Self.backend("late")
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu(Self.large)
        let outputs = try backend.execute(problem, inputs: inputs)
        Thread.sleep(forTimeInterval: 0.6)  // the plugin overwrites the region after 0.3 s
        #expect(outputs[0].floats() == Self.expected(Self.large))
    }

    @Test func aPluginDyingMidTransferIsACrashAndTheRestartGetsAFreshRegion() throws {
        let folder = try PluginSupervisionTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backend = Self.backend("die", environment: ["FIXTURE_MARKER": folder.appendingPathComponent("marker").path])
        defer { backend.shutdown() }
        let (problem, inputs) = try Self.relu(Self.large)
        let error = try #require(PluginSupervisionTests.error { _ = try backend.execute(problem, inputs: inputs) })
        #expect(error.outcome == .crash && error.description.contains("killed by signal 9"), "\(error)")
        #expect(try backend.execute(problem, inputs: inputs)[0].floats() == Self.expected(Self.large))
        #expect(backend.startCount == 2 && backend.usesSharedMemory)
    }

    /// The harness closes its descriptor of the region once mapped: nothing of the plugin's
    /// region stays in the harness's descriptor table (the next plugin inherits only 0, 1, 2).
    @Test func theHarnessKeepsNoDescriptorOfTheRegion() throws {
        let backend = Self.backend("good")
        defer { backend.shutdown() }
        _ = try backend.describe()
        #expect(backend.usesSharedMemory)
        let links = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")
        }
        #expect(!links.contains { $0.contains("memfd:assay-shm") }, "\(links)")
    }

    @Test func theWindowRuleInTheValidator() throws {
        let tensor = WireTensor(dtype: "f32", shape: [16], nbytes: 64)
        var shared = tensor
        shared.shmOffset = 128
        #expect(
            try WireTensor.validate(
                [shared, tensor],
                payloadBytes: 64,
                cap: 1 << 20,
                field: "outputs",
                shmWindow: 128..<192
            ).count == 2
        )
        #expect(throws: PluginIOError.self) {
            try WireTensor.validate([shared], payloadBytes: 0, cap: 1 << 20, field: "outputs", shmWindow: 129..<256)
        }
        #expect(throws: PluginIOError.self) {
            try WireTensor.validate([shared], payloadBytes: 0, cap: 1 << 20, field: "outputs", shmWindow: 0..<191)
        }
        #expect(throws: PluginIOError.self) {
            try WireTensor.validate([shared], payloadBytes: 0, cap: 1 << 20, field: "outputs")
        }
        // The shared bytes count against the reply's cap like piped ones.
        #expect(throws: PluginIOError.self) {
            try WireTensor.validate(
                [shared, tensor],
                payloadBytes: 64,
                cap: 100,
                field: "outputs",
                shmWindow: 0..<1024
            )
        }
    }
}
