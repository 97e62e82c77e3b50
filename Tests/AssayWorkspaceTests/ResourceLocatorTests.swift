import AssayBuiltins
import AssayCore
import AssayTestSupport
import AssayWorkspace
import Foundation
import Testing

@Suite("Resource lookup")
struct ResourceLocatorTests {
    static let builtins = [
        BuiltinFile(path: "Suites/smoke.yaml", text: "builtin smoke\n"),
        BuiltinFile(path: "Suites/extra.yaml", text: "builtin extra\n"),
        BuiltinFile(path: "Targets/local-cpu.yaml", text: "builtin target\n"),
    ]

    /// A workspace folder (with Suites/smoke.yaml and a subfolder) and an ASSAY_HOME folder
    /// (with Suites/smoke.yaml and Suites/extra.yaml), side by side.
    static func layout() throws -> (top: URL, workspace: URL, home: URL) {
        let top = try TemporaryDirectory.make(prefix: "assay-lookup")
        let workspace = top.appendingPathComponent("lab")
        let home = top.appendingPathComponent("home")
        for folder in [
            workspace.appendingPathComponent("Suites"), workspace.appendingPathComponent("deep/er"),
            home.appendingPathComponent("Suites"),
        ] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try "workspace smoke\n".write(
            to: workspace.appendingPathComponent("Suites/smoke.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try "home smoke\n".write(
            to: home.appendingPathComponent("Suites/smoke.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try "home extra\n".write(
            to: home.appendingPathComponent("Suites/extra.yaml"),
            atomically: true,
            encoding: .utf8
        )
        return (top, workspace, home)
    }

    @Test("explicit path, then workspace, then $ASSAY_HOME, then built-in")
    func lookupOrder() throws {
        let (top, workspace, home) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: top) }
        let found = try Workspace.discover(
            from: workspace.appendingPathComponent("deep/er"),
            environment: ["ASSAY_HOME": home.path]
        )
        #expect(found.root?.path == workspace.standardizedFileURL.path)
        let locator = ResourceLocator(workspace: found, builtins: Self.builtins)

        let smoke = try locator.locate("smoke", kind: .suite)
        #expect(
            smoke.text == "workspace smoke\n" && smoke.origin == .workspace && smoke.displayName == "Suites/smoke.yaml"
        )
        let extra = try locator.locate("extra", kind: .suite)
        #expect(extra.text == "home extra\n" && extra.origin == .home)
        let target = try locator.locate("local-cpu", kind: .target)
        #expect(
            target.text == "builtin target\n" && target.origin == .builtin
                && target.displayName == "builtin:Targets/local-cpu.yaml"
        )
        // A path is read as given, relative to the current directory, even when an id would match.
        let path = try locator.locate("../../../home/Suites/smoke.yaml", kind: .suite)
        #expect(path.text == "home smoke\n" && path.origin == .path)

        #expect(throws: InputError.self) { try locator.locate("nowhere", kind: .suite) }
        #expect(throws: InputError.self) { try locator.locate("missing.yaml", kind: .suite) }
    }

    @Test("lists say where each one came from; the first place wins")
    func listing() throws {
        let (top, workspace, home) = try Self.layout()
        defer { try? FileManager.default.removeItem(at: top) }
        let locator = ResourceLocator(
            workspace: Workspace(root: workspace, home: home, currentDirectory: workspace),
            builtins: Self.builtins
        )
        let suites = locator.list(.suite)
        #expect(suites.map(\.name) == ["extra", "smoke"])
        #expect(suites.map(\.origin) == [.home, .workspace])
        #expect(suites[0].whereFrom == "ASSAY_HOME \(home.appendingPathComponent("Suites/extra.yaml").path)")
        #expect(locator.list(.target).map(\.whereFrom) == ["built-in"])
    }

    @Test("outside any workspace: no root, reports under the current directory, built-ins found")
    func outsideAWorkspace() throws {
        let top = try TemporaryDirectory.make(prefix: "assay-lookup-bare")
        defer { try? FileManager.default.removeItem(at: top) }
        let found = try Workspace.discover(from: top, environment: [:])
        #expect(found.root == nil && found.home == nil)
        #expect(found.reportsRoot(option: nil).path == top.appendingPathComponent("Reports").standardizedFileURL.path)
        let locator = ResourceLocator(workspace: found)
        #expect(try locator.locate("smoke", kind: .suite).origin == .builtin)
        #expect(try locator.locate("cpu-server", kind: .profile).origin == .builtin)
    }

    @Test("assay.yaml sets the defaults; a bad key names file, line and field")
    func settings() throws {
        let top = try TemporaryDirectory.make(prefix: "assay-settings")
        defer { try? FileManager.default.removeItem(at: top) }
        let file = top.appendingPathComponent("assay.yaml")
        try "# lab\ndefault_target: numpy-cpu\nreports: out/runs\nstation_key: keys/k.key\n".write(
            to: file,
            atomically: true,
            encoding: .utf8
        )
        let found = try Workspace.discover(from: top, environment: [:])
        #expect(
            found.settings
                == WorkspaceSettings(defaultTarget: "numpy-cpu", reports: "out/runs", stationKey: "keys/k.key")
        )
        #expect(found.reportsRoot(option: nil).path == top.appendingPathComponent("out/runs").standardizedFileURL.path)
        #expect(found.stationKey?.path == top.appendingPathComponent("keys/k.key").standardizedFileURL.path)

        try "# comments only\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try Workspace.discover(from: top, environment: [:]).settings == WorkspaceSettings())

        try "reports: Reports\nregistry: x\n".write(to: file, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) { try Workspace.discover(from: top, environment: [:]) }
        #expect(error.line == 2 && error.message.contains("unknown key 'registry'"))
        try "reports: \"\"\n".write(to: file, atomically: true, encoding: .utf8)
        let empty = try #require(throws: InputError.self) { try Workspace.discover(from: top, environment: [:]) }
        #expect(empty.field == "reports" && empty.line == 1)
    }
}
