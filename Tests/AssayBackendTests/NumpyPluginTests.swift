import Foundation
import Testing
@testable import AssayBackend

/// Whether python3 can import numpy (the numpy backend's one dependency).
private let numpyAvailable: Bool = {
    guard FakePlugin.python3Available else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy"]
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// The shipped numpy backend passes every `assay plugin check` check.
@Suite(.enabled(if: numpyAvailable, "python3 with numpy is not available"))
struct NumpyPluginTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theNumpyBackendPassesThePluginCheck() throws {
        let configuration = PluginConfiguration(command: ["python3", "Backends/python/numpy_backend.py"],
                                                workingDirectory: Self.repository.path, device: "cpu", maxRestarts: 0)
        let checks = PluginConformanceCheck(configuration: configuration).run()
        let failed = checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }
        #expect(failed.isEmpty, "\(failed)")
        #expect(checks.contains { $0.name == "execute matmul_int8 int8" && $0.passed })
        #expect(checks.contains { $0.name == "malformed header is invalid" && $0.passed })
        #expect(checks.last?.name == "shutdown answers bye and exits 0")
    }
}
