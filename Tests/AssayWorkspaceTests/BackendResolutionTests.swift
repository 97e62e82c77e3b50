import AssayCore
import AssayTestSupport
import Foundation
import Testing

@Suite("Plugin command resolution")
struct BackendResolutionTests {
    static let descriptor = """
        id: numpy
        kind: cpu
        backend:
          command: [assay-backend-numpy]
          fallback_command: [python3, Backends/python/numpy_backend.py]
          cwd: plugins
        """

    /// A folder holding an executable `name`, for a PATH entry.
    static func binFolder(with name: String?) throws -> URL {
        let folder = try TemporaryDirectory.make(prefix: "assay-bin")
        if let name {
            let url = folder.appendingPathComponent(name)
            try "#!/bin/sh\n".write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        return folder
    }

    @Test("the installed entry point when it is on PATH, made absolute; cwd absolute")
    func entryPointWins() throws {
        let bin = try Self.binFolder(with: "assay-backend-numpy")
        defer { try? FileManager.default.removeItem(at: bin) }
        let spec = try TargetDescriptor.parse(text: Self.descriptor, file: "t.yaml").backend
        let resolved = spec.resolved(
            root: URL(fileURLWithPath: "/lab"),
            environment: ["PATH": "\(bin.path):/usr/bin:/bin"]
        )
        #expect(resolved.command == [bin.appendingPathComponent("assay-backend-numpy").path])
        #expect(resolved.cwd == "/lab/plugins" && resolved.fallbackCommand == nil)
    }

    @Test("the fallback when the entry point is not found, its program made absolute")
    func fallbackOtherwise() throws {
        let bin = try Self.binFolder(with: "python3")
        defer { try? FileManager.default.removeItem(at: bin) }
        let spec = try TargetDescriptor.parse(text: Self.descriptor, file: "t.yaml").backend
        let resolved = spec.resolved(root: URL(fileURLWithPath: "/lab"), environment: ["PATH": bin.path])
        #expect(resolved.command == [bin.appendingPathComponent("python3").path, "Backends/python/numpy_backend.py"])
        // Neither found: the last alternative as written, so that starting it fails naming it.
        let none = spec.resolved(root: URL(fileURLWithPath: "/lab"), environment: ["PATH": "/nonexistent"])
        #expect(none.command == ["python3", "Backends/python/numpy_backend.py"])
        // A built-in backend is left alone.
        let builtin = BackendSpec(builtin: "cpu")
        #expect(builtin.resolved(root: URL(fileURLWithPath: "/lab")) == builtin)
    }

    @Test("fallback_command needs command and an argv; errors name the line and field")
    func fallbackValidation() throws {
        let lone = "id: x\nkind: cpu\nbackend:\n  builtin: cpu\n  fallback_command: [python3]\n"
        let error = try #require(throws: InputError.self) { try TargetDescriptor.parse(text: lone, file: "t.yaml") }
        #expect(error.line == 5 && error.field == "backend.fallback_command")
        let empty = "id: x\nkind: cpu\nbackend:\n  command: [a]\n  fallback_command: []\n"
        #expect(throws: InputError.self) { try TargetDescriptor.parse(text: empty, file: "t.yaml") }
    }
}
