import AssayBuiltins
import AssayCore
import AssayTestSupport
import AssayWorkspace
import Foundation
import Testing

@Suite("assay init")
struct WorkspaceInitializerTests {
    @Test("creates assay.yaml, the built-ins, the example and .gitignore; keeps what exists")
    func createsAndKeeps() throws {
        let top = try TemporaryDirectory.make(prefix: "assay-init")
        defer { try? FileManager.default.removeItem(at: top) }
        let folder = top.appendingPathComponent("ws")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Suites"),
            withIntermediateDirectories: true
        )
        try "mine\n".write(to: folder.appendingPathComponent("Suites/smoke.yaml"), atomically: true, encoding: .utf8)

        let entries = try WorkspaceInitializer.create(at: folder)
        #expect(entries.filter { !$0.created }.map(\.path) == ["Suites/smoke.yaml"])
        #expect(try String(contentsOf: folder.appendingPathComponent("Suites/smoke.yaml"), encoding: .utf8) == "mine\n")
        for builtin in BuiltinFiles.all where builtin.path != "Suites/smoke.yaml" {
            #expect(
                try String(contentsOf: folder.appendingPathComponent(builtin.path), encoding: .utf8) == builtin.text
            )
        }
        let keys = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("keys").path)
        #expect((keys[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let ignore = try String(contentsOf: folder.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(
            ignore.contains("Reports/") && ignore.contains("keys/") && ignore.contains("gate/")
                && ignore.contains("Baselines/")
        )

        // The workspace it made is found from inside, with the settings it wrote.
        let found = try Workspace.discover(from: folder.appendingPathComponent("Targets"), environment: [:])
        #expect(found.root?.path == folder.standardizedFileURL.path)
        #expect(found.settings.defaultTarget == "local-cpu" && found.settings.reports == "Reports")
        #expect(try ResourceLocator(workspace: found).locate("local-cpu", kind: .target).origin == .workspace)

        // The example is a valid plugin descriptor once copied to a .yaml name.
        let example = try String(
            contentsOf: folder.appendingPathComponent("Targets/example-plugin.yaml.example"),
            encoding: .utf8
        )
        let descriptor = try TargetDescriptor.parse(text: example, file: "example")
        #expect(descriptor.backend.command?.first == "assay-backend-torch" && descriptor.backend.fallbackCommand != nil)
        #expect(!ResourceLocator(workspace: found).list(.target).contains { $0.name.hasPrefix("example") })

        let again = try WorkspaceInitializer.create(at: folder)
        #expect(again.allSatisfy { !$0.created })
    }
}
