import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGate

/// gate.md lists every case (so a uniform small shift is visible) and gate.junit.xml is valid
/// Jenkins JUnit.
struct GateOutputTests {
    /// The Jenkins xUnit plugin's junit-10.xsd, kept once as the report tests' fixture.
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../AssayReportTests/Fixtures/junit-10.xsd").standardizedFileURL

    /// `count` cases, every one 5% slower with round-to-round noise too large to call any single one.
    static func uniformShift(count: Int) throws -> GateReport {
        let ids = (0..<count).map { "perf/add/shape\($0)/f32" }
        func side(_ factor: Double, _ seed: UInt64) -> RunRecord {
            SyntheticRuns.record(
                ids.enumerated().map { index, id in
                    let levels = [1.0, 1.06, 0.95].map { $0 * factor * 1000 }
                    return SyntheticRuns.performanceCase(
                        id,
                        rounds: levels.enumerated().map {
                            SyntheticRuns.samples(median: $1, cv: 0.01, n: 20, seed: seed + UInt64(100 * index + $0))
                        }
                    )
                }
            )
        }
        return try Gate.compare(baseline: side(1, 1), current: side(1.05, 5_000))
    }

    @Test func everyCaseIsListedWithRatioAndInterval() throws {
        let report = try Self.uniformShift(count: 5)
        #expect(report.performance.allSatisfy { $0.verdict == .inconclusive })
        let markdown = GateMarkdown.render(report)
        let ratios = report.performance.compactMap(\.ratio).sorted()
        #expect(ratios.count == 5 && ratios.allSatisfy { $0 > 1.03 && $0 < 1.07 }, "\(ratios)")
        #expect(
            markdown.contains("### All performance cases (median ratio \(GateMarkdown.ratioText(ratios[2])))"),
            "\(markdown)"
        )
        for row in report.performance {
            #expect(
                markdown.contains(
                    "| `\(row.id)` | inconclusive | \(GateMarkdown.ratioText(row.ratio)) | \(GateMarkdown.intervalText(row))"
                )
            )
        }
        #expect(!markdown.contains("<details>"))
        let long = GateMarkdown.render(try Self.uniformShift(count: GateMarkdown.collapseAbove + 1))
        #expect(
            long.contains("<details><summary>\(GateMarkdown.collapseAbove + 1) cases</summary>")
                && long.contains("</details>")
        )
    }

    @Test func noVarianceIsSaidInTheSummary() throws {
        let id = "perf/matmul/m64.n64.k64/f32"
        let report = try Gate.compare(
            baseline: SyntheticRuns.record([
                SyntheticRuns.performanceCase(id, samples: SyntheticRuns.samples(median: 100, cv: 0.01, seed: 1))
            ]),
            current: SyntheticRuns.record([
                SyntheticRuns.performanceCase(id, samples: SyntheticRuns.samples(median: 100, cv: 0.01, seed: 2))
            ])
        )
        #expect(report.status == .inconclusive)
        #expect(GateMarkdown.render(report).contains("cannot separate a change from run-to-run noise"))
        #expect(GateJUnit.render(report).contains("cannot separate a change from run-to-run noise"))
    }

    @Test(.enabled(if: Python.canImport("xmlschema"), "python3 module xmlschema not installed (pip install xmlschema)"))
    func junitValidatesAgainstJenkinsSchema() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-gate-junit")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every kind of testcase: failures (conformance and performance), skipped, passing.
        let report = try ExitCodeTests.sampleReport()
        let shifted = try Self.uniformShift(count: 3)
        func valid(_ xml: String, _ name: String) throws -> Bool {
            let file = directory.appendingPathComponent(name)
            try Data(xml.utf8).write(to: file)
            let result = try Python.run(
                "import sys, xmlschema; xmlschema.XMLSchema(sys.argv[1]).validate(sys.argv[2]); print('valid')",
                [Self.schema.path, file.path]
            )
            return result.status == 0
        }
        let xml = GateJUnit.render(report)
        #expect(try valid(xml, "gate.junit.xml"))
        #expect(try valid(GateJUnit.render(shifted), "shifted.junit.xml"))
        // The former output, `skipped` on <testsuites>, is what Jenkins rejected: the check sees it.
        let former = xml.replacingOccurrences(
            of: "<testsuites name=\"assay gate\"",
            with: "<testsuites skipped=\"0\" name=\"assay gate\""
        )
        #expect(try !valid(former, "former.junit.xml"))
    }
}
