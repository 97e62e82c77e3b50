import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

private let numpy: ConditionTrait = .enabled(if: Python.canImport("numpy"), "python3 with numpy is not available")

/// `versions_match` through a whole run on the numpy backend: the version it reports in its
/// handshake against the descriptor's declaration.
@Suite struct VersionsMatchRunTests {
    func run(numpyRule: String) throws -> CaseResult {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: numpy-versions
                kind: cpu
                versions:
                  numpy: \(numpyRule)
                backend:
                  command: [python3, Backends/python/numpy_backend.py]
                """,
            suite: "id: v\nkind: system\ncases:\n  - check: versions_match\n"
        )
        return try #require(record.cases.first)
    }

    static func installedNumpy() throws -> String {
        try Python.run("import numpy; print(numpy.__version__)").output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(numpy) func numpy126DeclaredOnThisMachinesNumpyFailsClearly() throws {
        let installed = try Self.installedNumpy()
        try #require(!installed.hasPrefix("1.26"), "this test needs a numpy other than 1.26")
        let result = try run(numpyRule: "\"1.26\"")
        #expect(result.outcome == .fail)
        #expect(
            result.message == "numpy: declared exact 1.26, observed \(installed) (backend numpy runtime)",
            "\(result.message ?? "")"
        )
        let prefix = try run(numpyRule: "{version: \"1.26\", match: prefix}")
        #expect(prefix.outcome == .fail)
        #expect(prefix.message == "numpy: declared prefix 1.26, observed \(installed) (backend numpy runtime)")
    }

    @Test(numpy) func aPrefixOrRangeThatHoldsPasses() throws {
        let installed = try Self.installedNumpy()
        let major = try #require(installed.split(separator: ".").first.flatMap { Int($0) })
        let prefix = try run(numpyRule: "{version: \"\(major)\", match: prefix}")
        #expect(prefix.outcome == .pass, "\(prefix.message ?? "")")
        #expect(prefix.system?.observed == "numpy \(installed)")
        let range = try run(numpyRule: "{version: \">=\(major),<\(major + 1)\", match: range}")
        #expect(range.outcome == .pass, "\(range.message ?? "")")
    }
}
