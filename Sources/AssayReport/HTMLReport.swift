import AssayCore

/// `report.html`: everything about one run on one self-contained page — summary, conformance
/// matrix with evidence, performance table, roofline, sample distributions, system checks
/// and waivers. Every string from the record is escaped by `XMLNode`.
public struct HTMLReport: Sendable {
    public let model: ReportModel
    /// Planned-but-not-run cases listed before "and M more".
    static let maxNotRunListed = 50

    public init(_ model: ReportModel) { self.model = model }

    public func rendered() -> String {
        HTMLPage.render(
            title: "Assay \(model.verdict.headline) — \(model.record.target.value.id) — \(model.record.runID)"
        ) {
            header
            summarySection
            if !model.matrix.isEmpty { conformanceSection }
            if !model.problems.filter({ $0.kind != .conformance }).isEmpty { otherProblemsSection }
            if !model.performance.isEmpty { performanceSection }
            if !model.collectives.isEmpty { collectiveSection }
            if !model.models.isEmpty { modelSection }
            if !model.modelPerformance.isEmpty { modelPerformanceSection }
            if !model.system.isEmpty { systemSection }
            if !model.unsupported.isEmpty { unsupportedSection }
            if !model.waivers.isEmpty || !model.declaredWaivers.isEmpty { waiverSection }
            if !model.notRun.isEmpty { notRunSection }
            XMLNode.element("footer") {
                "Written by assay from run record \(model.record.runID) (schema \(model.record.schemaVersion), harness \(model.record.harnessVersion)). "
                    + "Self-contained: no scripts, nothing fetched."
            }
        }
    }

    private var header: XMLNode {
        .element("header") {
            XMLNode.element("h1") { "Assay report: \(model.targetLabel)" }
            XMLNode.element("p") {
                XMLNode.element("span", ["class": "verdict \(model.verdict.rawValue)"]) { model.verdict.headline }
                " "
                for outcome in Outcome.allCases {
                    if let count = model.counts[outcome] {
                        XMLNode.element("span", ["class": "chip o-\(outcome.rawValue)"]) {
                            "\(count) \(outcome.rawValue)"
                        }
                    }
                }
                if !model.notRun.isEmpty {
                    XMLNode.element("span", ["class": "chip o-notRun"]) { "\(model.notRun.count) not run" }
                }
            }
        }
    }

    // MARK: shared pieces

    /// A table with a header row; cells are nodes so they can hold links and badges.
    static func table(
        _ header: [String],
        class className: String? = nil,
        numeric: Set<Int> = [],
        rows: [[XMLNode]]
    ) -> XMLNode {
        .element("table", ["class": className]) {
            XMLNode.element("thead") {
                XMLNode.element("tr") { for title in header { XMLNode.element("th") { title } } }
            }
            XMLNode.element("tbody") {
                for row in rows {
                    XMLNode.element("tr") {
                        for (index, cell) in row.enumerated() {
                            XMLNode.element("td", ["class": numeric.contains(index) ? "num" : nil]) { cell }
                        }
                    }
                }
            }
        }
    }

    /// Label/value rows, for the summary's fact tables.
    static func facts(_ title: String, _ pairs: [(String, String?)]) -> XMLNode {
        .element("div") {
            XMLNode.element("h3") { title }
            XMLNode.element("table") {
                for (label, value) in pairs {
                    if let value {
                        XMLNode.element("tr") {
                            XMLNode.element("th") { label }
                            XMLNode.element("td") { value }
                        }
                    }
                }
            }
        }
    }

    static func outcome(_ outcome: Outcome) -> XMLNode {
        .element("span", ["class": "outcome o-\(outcome.rawValue)"]) { outcome.rawValue }
    }

    static func code(_ text: String) -> XMLNode { .element("code") { text } }

    /// Fragment id of a case in this page (position in the record: unique and always valid).
    func anchor(of result: CaseResult) -> String {
        "case-\(model.record.cases.firstIndex { $0.id == result.id } ?? 0)"
    }
}
