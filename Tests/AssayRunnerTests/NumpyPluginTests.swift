import AssayBackend
import AssayRunner
import AssayTestSupport
import Testing

/// The shipped numpy backend passes every `assay plugin check` check (numpy is its one dependency).
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct NumpyPluginTests {
    @Test func theNumpyBackendPassesThePluginCheck() throws {
        let configuration = PluginConfiguration(
            command: ["python3", "Backends/python/numpy_backend.py"],
            workingDirectory: Repository.root.path,
            device: "cpu",
            maxRestarts: 0
        )
        let checks = PluginConformanceCheck(configuration: configuration).run()
        let failed = checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }
        #expect(failed.isEmpty, "\(failed)")
        #expect(checks.contains { $0.name == "execute matmul_int8 int8" && $0.passed })
        #expect(checks.contains { $0.name == "malformed header is invalid" && $0.passed })
        #expect(checks.last?.name == "shutdown answers bye and exits 0")
    }
}
