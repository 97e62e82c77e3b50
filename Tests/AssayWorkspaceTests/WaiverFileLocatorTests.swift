import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayWorkspace

/// Where `Waivers/<target-id>.yaml` is found: beside the descriptor first, then the workspace,
/// then `$ASSAY_HOME`; none is no waivers.
@Suite struct WaiverFileLocatorTests {
    static func waivers(_ target: String, issue: String) -> String {
        """
        target: \(target)
        waivers:
          - {case: "*", category: upstream, reason: r, issue: \(issue), owner: o, approver: a, expires: 2030-01-01}

        """
    }

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func besideTheDescriptorThenTheWorkspaceThenHome() throws {
        let top = try TemporaryDirectory.make(prefix: "assay-waiver-lookup")
        defer { try? FileManager.default.removeItem(at: top) }
        let workspace = top.appendingPathComponent("lab")
        let home = top.appendingPathComponent("home")
        let other = top.appendingPathComponent("other")
        try Self.write("id: t\nkind: cpu\nbackend: {builtin: cpu}\n", other.appendingPathComponent("Targets/t.yaml"))
        try Self.write("x", workspace.appendingPathComponent("Suites/s.yaml"))
        let found = Workspace(root: workspace, home: home, currentDirectory: workspace)
        let locator = WaiverFileLocator(locator: ResourceLocator(workspace: found, builtins: []))
        let target = try locator.locator.locate(other.appendingPathComponent("Targets/t.yaml").path, kind: .target)

        #expect(try locator.locate(for: target, targetID: "t", option: nil) == nil)
        try Self.write(Self.waivers("t", issue: "HOME"), home.appendingPathComponent("Waivers/t.yaml"))
        #expect(try locator.locate(for: target, targetID: "t", option: nil)?.file.waivers.first?.reference == "HOME")
        try Self.write(Self.waivers("t", issue: "WORKSPACE"), workspace.appendingPathComponent("Waivers/t.yaml"))
        let inWorkspace = try locator.locate(for: target, targetID: "t", option: nil)
        #expect(
            inWorkspace?.file.waivers.first?.reference == "WORKSPACE" && inWorkspace?.displayName == "Waivers/t.yaml"
        )
        try Self.write(Self.waivers("t", issue: "BESIDE"), other.appendingPathComponent("Waivers/t.yaml"))
        #expect(try locator.locate(for: target, targetID: "t", option: nil)?.file.waivers.first?.reference == "BESIDE")
        // An explicit file wins over all of them.
        try Self.write(Self.waivers("t", issue: "EXPLICIT"), workspace.appendingPathComponent("w.yaml"))
        #expect(
            try locator.locate(for: target, targetID: "t", option: "w.yaml")?.file.waivers.first?.reference
                == "EXPLICIT"
        )
    }

    @Test func aMalformedFoundFileIsAnErrorNotIgnored() throws {
        let top = try TemporaryDirectory.make(prefix: "assay-waiver-bad")
        defer { try? FileManager.default.removeItem(at: top) }
        try Self.write("target: t\nwaivers:\n  - {case: \"*\"}\n", top.appendingPathComponent("Waivers/t.yaml"))
        let locator = WaiverFileLocator(
            locator: ResourceLocator(workspace: Workspace(root: top, home: nil, currentDirectory: top), builtins: [])
        )
        let target = LocatedResource(
            kind: .target,
            name: "t",
            origin: .builtin,
            url: nil,
            displayName: "builtin:Targets/t.yaml",
            text: ""
        )
        let error = try #require(throws: InputError.self) {
            try locator.locate(for: target, targetID: "t", option: nil)
        }
        #expect(error.file == "Waivers/t.yaml" && error.line == 3 && error.message.contains("missing required field"))
    }
}
