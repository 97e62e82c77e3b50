import AssayCore
import Foundation

/// `junit.xml`: one `testsuite` per suite, one `testcase` per case, in the shape Jenkins,
/// GitLab and GitHub reporters read (validated against Jenkins xunit's junit-10.xsd):
/// `failure` for wrong answers, `error` for errors, crashes and timeouts, `skipped` for
/// observed (system checks with nothing declared), unsupported, waived and not-run cases.
public struct JUnitReport: Sendable {
    public let model: ReportModel

    public init(_ model: ReportModel) { self.model = model }

    /// Counts of one suite as the attributes report them.
    struct Tally: Equatable {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        var seconds = 0.0
    }

    public func rendered() -> String {
        let record = model.record
        var suites: [String] = []
        var bySuite: [String: [XMLNode]] = [:]
        var tallies: [String: Tally] = [:]
        func add(suite: String, _ node: XMLNode, _ update: (inout Tally) -> Void) {
            if bySuite[suite] == nil { suites.append(suite) }
            bySuite[suite, default: []].append(node)
            update(&tallies[suite, default: Tally()])
        }
        for result in record.cases {
            add(suite: result.id.suite, testcase(result)) { tally in
                tally.tests += 1
                tally.seconds += max(0, result.seconds.isFinite ? result.seconds : 0)
                switch result.outcome {
                case .fail: tally.failures += 1
                case .error, .crash, .timeout: tally.errors += 1
                case .observed, .unsupported, .waived: tally.skipped += 1
                case .pass: break
                }
            }
        }
        for id in model.notRun {
            let node = XMLNode.element(
                "testcase",
                ["classname": Self.classname(id), "name": Self.name(id), "time": "0.000"]
            ) {
                XMLNode.element("skipped", ["message": "not run: the run is \(record.status.rawValue)"])
            }
            add(suite: id.suite, node) {
                $0.tests += 1
                $0.skipped += 1
            }
        }
        let total = tallies.values.reduce(into: Tally()) { sum, tally in
            sum.tests += tally.tests
            sum.failures += tally.failures
            sum.errors += tally.errors
            sum.skipped += tally.skipped
            sum.seconds += tally.seconds
        }
        let root = XMLNode.element(
            "testsuites",
            [
                "name": "assay \(record.target.value.id) \(record.runID)", "tests": String(total.tests),
                "failures": String(total.failures), "errors": String(total.errors), "time": Self.seconds(total.seconds),
            ]
        ) {
            for suite in suites {
                let tally = tallies[suite]!
                XMLNode.element(
                    "testsuite",
                    [
                        "name": suite, "tests": String(tally.tests), "failures": String(tally.failures),
                        "errors": String(tally.errors), "skipped": String(tally.skipped),
                        "time": Self.seconds(tally.seconds),
                        "timestamp": Self.timestamp(record.startedAt), "hostname": record.environment.facts?.hostname,
                    ]
                ) {
                    properties
                    bySuite[suite]!
                }
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.rendered(.xml)
    }

    private var properties: XMLNode {
        let record = model.record
        let pairs: [(String, String)] = [
            ("assay.target.id", record.target.value.id), ("assay.target.title", record.target.value.title),
            ("assay.target.sha256", record.target.sha256),
            ("assay.environment.fingerprint", record.environment.fingerprint),
            ("assay.run.id", record.runID), ("assay.run.status", record.status.rawValue),
            ("assay.verdict", model.verdict.rawValue),
            ("assay.backend", "\(record.backend.name) \(record.backend.version)"),
            ("assay.harness.version", record.harnessVersion),
        ]
        return .element("properties") {
            for (name, value) in pairs { XMLNode.element("property", ["name": name, "value": value]) }
        }
    }

    private func testcase(_ result: CaseResult) -> XMLNode {
        .element(
            "testcase",
            [
                "classname": Self.classname(result.id), "name": Self.name(result.id),
                "time": Self.seconds(result.seconds),
            ]
        ) {
            switch result.outcome {
            case .pass: []
            case .fail:
                XMLNode.element(
                    "failure",
                    ["message": ReportModel.evidenceLine(result), "type": result.outcome.rawValue]
                ) {
                    Self.details(result)
                }
            case .error, .crash, .timeout:
                XMLNode.element(
                    "error",
                    ["message": result.message ?? result.outcome.rawValue, "type": result.outcome.rawValue]
                ) {
                    Self.details(result)
                }
            case .observed:
                // Not a pass: nothing was declared to compare the reading with.
                XMLNode.element(
                    "skipped",
                    [
                        "message":
                            "observed, not checked (the target declares nothing for it): \(result.system?.observed ?? "")"
                    ]
                )
            case .unsupported:
                XMLNode.element("skipped", ["message": Self.unsupportedMessage(result.message)])
            case .waived:
                XMLNode.element("skipped", ["message": Self.waiverMessage(result)]) { Self.details(result) }
            }
        }
    }

    /// `smoke.matmul`: CI tools group by the part before the last dot.
    static func classname(_ id: CaseID) -> String { "\(id.suite).\(id.op)" }

    /// `m64.n48.k32/bf16[/attrs]`.
    static func name(_ id: CaseID) -> String {
        let base = "\(id.shape)/\(id.dtype)"
        return id.attrs.isEmpty ? base : "\(base)/\(id.attrs)"
    }

    private static func waiverMessage(_ result: CaseResult) -> String {
        guard let waiver = result.waiver else { return "waived" }
        return "waived (\(waiver.category.rawValue), \(waiver.reference)): \(waiver.reason)"
    }

    /// The body of a failure: the case id, the evidence line by line, and stderr of a crash.
    private static func details(_ result: CaseResult) -> String {
        var lines = ["case: \(result.id)", "outcome: \(result.outcome.rawValue)"]
        if let message = result.message { lines.append("message: \(message)") }
        if let evidence = result.evidence {
            lines.append("error model: \(evidence.modelText)")
            lines.append(
                "max abs error \(Figures.number(evidence.maxAbsError)), max rel error \(Figures.number(evidence.maxRelError))"
                    + (evidence.maxUlps.map { ", max \(Figures.number($0)) ulp" } ?? "")
            )
            lines.append("mismatches \(evidence.mismatches)/\(evidence.elements)")
            if let worst = evidence.worstIndex {
                lines.append("worst index [\(worst.map(String.init).joined(separator: ", "))]")
            }
            for sample in evidence.samples { lines.append("  at " + evidence.text(of: sample)) }
            if let axes = evidence.axisText { lines.append("mismatches per axis: \(axes)") }
            for alternative in evidence.alternatives ?? [] { lines.append("accepted alternative: \(alternative)") }
            for problem in evidence.structural { lines.append("structural: \(problem)") }
        }
        if let line = ReportModel.systemLine(result) { lines.append(line) }
        if let stderr = result.stderrTail, !stderr.isEmpty { lines.append("stderr:\n\(stderr)") }
        return lines.joined(separator: "\n")
    }

    /// Seconds with three decimals, the form junit-10.xsd's SUREFIRE_TIME accepts.
    /// `unsupported: <reason>`, said once even when the reason already starts with it.
    static func unsupportedMessage(_ message: String?) -> String {
        let reason = message ?? "not declared by the backend"
        return reason.hasPrefix("unsupported") ? reason : "unsupported: \(reason)"
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", value.isFinite && value > 0 ? value : 0)
    }

    /// Ant's form, `2026-11-24T07:41:10`, in UTC.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}
