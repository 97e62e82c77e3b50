import AssayTestSupport
import Foundation
import Testing

/// Scripts/check-imports.py keeps Package.swift's module graph true (issue 12): it passes on the
/// repository and fails, naming file:line or the target, on a planted wrong import and a dead edge.
@Suite("Import check")
struct ImportCheckTests {
    static let script = Repository.root.appendingPathComponent("Scripts/check-imports.py").path

    /// A two-target package (`Low`, `High` depending on `Low`) with `High`'s one file given.
    static func check(highSource: String, highDependencies: [String] = ["Low"]) throws -> Subprocess.Result {
        let root = try TemporaryDirectory.make(prefix: "assay-imports")
        defer { try? FileManager.default.removeItem(at: root) }
        for (name, source) in [("Low", "import Foundation\npublic let low = 1\n"), ("High", highSource)] {
            let folder = root.appendingPathComponent("Sources/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try source.write(to: folder.appendingPathComponent("\(name).swift"), atomically: true, encoding: .utf8)
        }
        let dependencies = highDependencies.map { #"{"byName": ["\#($0)", null]}"# }.joined(separator: ",")
        let package = """
            {"targets": [{"name": "Low", "type": "regular", "dependencies": []},
                         {"name": "High", "type": "regular", "dependencies": [\(dependencies)]}]}
            """
        let json = root.appendingPathComponent("package.json")
        try package.write(to: json, atomically: true, encoding: .utf8)
        return try Subprocess.run(["python3", script, "--package-json", json.path, "--root", root.path])
    }

    @Test func theRepositoryPasses() throws {
        let result = try Subprocess.run(["python3", Self.script], in: Repository.root)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func aDeclaredAndUsedDependencyPasses() throws {
        let result = try Self.check(highSource: "import Foundation\n@testable import Low\nlet high = low\n")
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func anUndeclaredImportFailsWithFileAndLine() throws {
        let result = try Self.check(highSource: "import Foundation\n\nimport struct Low.Thing\n", highDependencies: [])
        #expect(result.status == 1)
        #expect(
            result.output.contains("Sources/High/High.swift:3: High imports Low, which target High does not declare"),
            "\(result.output)"
        )
    }

    @Test func aDeadEdgeFails() throws {
        let result = try Self.check(highSource: "import Foundation\nlet high = 2\n")
        #expect(result.status == 1)
        #expect(result.output.contains("target High declares Low but no file of it imports Low"), "\(result.output)")
    }
}
