import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

@Suite struct JUnitReportTests {
    /// Jenkins' JUnit schema, under Fixtures/ (excluded from the target, so read by path).
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/junit-10.xsd"
    )

    let xml = JUnitReport(ReportModel(RecordFixture.record(hostile: true))).rendered()

    @Test func countsMatchTheOutcomes() throws {
        let root = try ParsedXML.parse(xml)
        #expect(root.name == "testsuites")
        let suite = try #require(root.children.first { $0.attributes["name"] == "conformance" })
        // 10 results + 1 planned-but-not-run case; fail ×2 + system fail; error, crash, timeout; unsupported, waived, not run.
        #expect(suite.attributes["tests"] == "11")
        #expect(suite.attributes["failures"] == "3")
        #expect(suite.attributes["errors"] == "3")
        #expect(suite.attributes["skipped"] == "3")
        #expect(suite.all("testcase").count == 11)
        #expect(suite.all("failure").count == 3)
        #expect(suite.all("error").count == 3)
        #expect(suite.all("skipped").count == 3)
        #expect(root.attributes["tests"] == "13")
        #expect(root.attributes["failures"] == "3" && root.attributes["errors"] == "3")
    }

    @Test func namesFollowTheCaseID() throws {
        let names = try ParsedXML.parse(xml).all("testcase").filter { $0.attributes["classname"] == "conformance.gelu" }
            .compactMap { $0.attributes["name"] }
        #expect(names == ["shape1000/bf16/approximate=tanh"])
    }

    @Test func failureCarriesEvidence() throws {
        let testcase = try #require(
            try ParsedXML.parse(xml).all("testcase").first { $0.attributes["name"] == "m64.n48.k32/bf16" }
        )
        let failure = try #require(testcase.children.first { $0.name == "failure" })
        #expect(failure.attributes["type"] == "fail")
        let body = failure.text
        #expect(body.contains("mismatches 12/3072"))
        #expect(body.contains("expected 0.0, got NaN"))
        #expect(body.contains("worst index [3, 7]"))
        #expect(body.contains(RecordFixture.hostile), "the hostile text survives as text, escaped in the file")
    }

    @Test func hostileTextIsEscaped() {
        #expect(!xml.contains("<script"))
        #expect(xml.contains("&lt;script&gt;"))
        #expect(!xml.unicodeScalars.contains("\u{1B}"), "control characters are replaced")
    }

    @Test(.enabled(if: Python.canImport("xmlschema"), "python3 module xmlschema not installed (pip install xmlschema)"))
    func validatesAgainstJenkinsJUnitSchema() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-report-tests")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("junit.xml")
        try Data(xml.utf8).write(to: file)
        let result = try Python.run(
            "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2]); print('valid')",
            [Self.schema.path, file.path]
        )
        #expect(result.status == 0, "\(result.output)")
    }
}
