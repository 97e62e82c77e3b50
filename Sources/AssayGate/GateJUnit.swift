import AssayCore
import Foundation

/// JUnit XML for CI test views: one testcase per conformance finding and per performance
/// verdict, plus one for the cases whose outcome did not change. Regressed and failing-missing → `<failure>` with the figures;
/// inconclusive → `<skipped>`; everything else passes. Valid against Jenkins' junit-10.xsd
/// (which allows `skipped` on `<testsuite>`, not on `<testsuites>`).
public enum GateJUnit {
    public static func render(_ report: GateReport) -> String {
        var cases: [String] = []
        var failures = 0
        var skipped = 0
        for finding in report.conformance {
            let name = "conformance: \(finding.id)"
            let text =
                "\(finding.kind.rawValue): baseline \(finding.baselineOutcome?.rawValue ?? "absent"), current \(finding.currentOutcome?.rawValue ?? "absent")"
                + (finding.message.map { " — \($0)" } ?? "")
            if finding.failsGate {
                failures += 1
                cases.append(
                    testcase(
                        name,
                        classname: "assay.gate.conformance",
                        body: "<failure message=\"\(escape(text))\">\(escape(text))</failure>"
                    )
                )
            } else {
                cases.append(
                    testcase(
                        name,
                        classname: "assay.gate.conformance",
                        body: "<system-out>\(escape(text))</system-out>"
                    )
                )
            }
        }
        let unchanged =
            report.comparedCases
            - report.conformance.filter { $0.baselineOutcome != nil && $0.currentOutcome != nil }.count
        cases.append(
            testcase(
                "conformance: \(unchanged) cases with unchanged outcomes",
                classname: "assay.gate.conformance",
                body: ""
            )
        )
        for row in report.performance {
            let text =
                "\(row.verdict.rawValue): ratio \(GateMarkdown.ratioText(row.ratio)) CI \(GateMarkdown.intervalText(row)), "
                + "τ \(GateMarkdown.percent(row.tau)), p \(GateMarkdown.figure(row.pValue)), Holm-adjusted p \(GateMarkdown.figure(row.adjustedPValue)), "
                + "units \(GateMarkdown.unitsText(row)), "
                + "baseline median \(GateMarkdown.nanoseconds(row.baselineMedian)) (n=\(row.baselineSamples)), "
                + "current median \(GateMarkdown.nanoseconds(row.currentMedian)) (n=\(row.currentSamples))"
                + (row.confirmed ? ", confirmed by a re-run" : "") + (row.note.map { " — \($0)" } ?? "")
            let body: String
            switch row.verdict {
            case .regressed:
                failures += 1
                body = "<failure message=\"\(escape(text))\">\(escape(text))</failure>"
            case .inconclusive:
                skipped += 1
                body = "<skipped message=\"\(escape(text))\"/>"
            case .same, .improved:
                body = "<system-out>\(escape(text))</system-out>"
            }
            cases.append(testcase("performance: \(row.id)", classname: "assay.gate.performance", body: body))
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="assay gate" tests="\(cases.count)" failures="\(failures)" errors="0">
            <testsuite name="assay gate \(escape(report.baseline.runID)) → \(escape(report.current.runID))" tests="\(cases.count)" failures="\(failures)" skipped="\(skipped)" errors="0">
            \(cases.joined(separator: "\n"))
            </testsuite>
            </testsuites>

            """
    }

    private static func testcase(_ name: String, classname: String, body: String) -> String {
        "<testcase classname=\"\(classname)\" name=\"\(escape(name))\">\(body)</testcase>"
    }

    /// Delegates to the shared `Markup.escape`, so every document Assay writes escapes alike.
    static func escape(_ text: String) -> String { Markup.escape(text) }
}
