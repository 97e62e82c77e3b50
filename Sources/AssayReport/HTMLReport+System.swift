import AssayCore

extension HTMLReport {
    var systemSection: XMLNode {
        .element("section", ["id": "system"]) {
            XMLNode.element("h2") { "System checks" }
            XMLNode.element("p", ["class": "muted"]) {
                "observed: the target declares nothing to compare with, so the reading is recorded, neither a pass nor a failure. "
                    + "unsupported, not applicable: a device check on a target without a device, left out of a profile's unsupported ratio."
            }
            Self.table(
                ["check", "expected", "observed", "outcome"],
                rows: model.system.map { result in
                    [
                        Self.code(result.id.shape), .text(result.system?.expected ?? "—"),
                        .text(result.system?.observed ?? result.message ?? "—"), Self.outcome(result.outcome),
                    ]
                }
            )
            let links = model.system.flatMap { $0.system?.devices ?? [] }
            if !links.isEmpty {
                XMLNode.element("h3") { "Host↔device links" }
                XMLNode.element("p", ["class": "muted"]) {
                    "Per device, one at a time: the faster of pinned and pageable copies each way, and the NUMA node the device "
                        + "is attached to (the kernel's for a PCI device; for a host CPU rank, the node of the CPUs it runs on)."
                }
                Self.table(
                    ["rank", "device", "NUMA node", "from", "host→device", "device→host"],
                    numeric: [0, 2, 4, 5],
                    rows: links.map(linkRow)
                )
            }
        }
    }

    private func linkRow(_ link: HostDeviceLink) -> [XMLNode] {
        func gbs(_ value: Double?) -> String { value.map { Figures.rate($0 * 1e9, unit: "B/s") } ?? "—" }
        return [
            .text("\(link.rank)"), .text(link.device), .text(link.numaNode.map(String.init) ?? "unknown"),
            link.numa.hasPrefix("/") ? Self.code(link.numa) : .text(link.numa),
            .text(link.note.map { _ in "unsupported" } ?? gbs(link.h2dGBs)),
            .text(link.note.map { _ in "—" } ?? gbs(link.d2hGBs)),
        ]
    }

    /// Waivers as applied to cases (or found expired), then the declared waivers (the waiver
    /// file's, then the deprecated ones in the descriptor) with how many cases each one matched.
    var waiverSection: XMLNode {
        let declared = model.declaredWaivers
        return .element("section", ["id": "waivers"]) {
            XMLNode.element("h2") { "Waivers" }
            if !model.waivers.isEmpty {
                Self.table(
                    ["case", "outcome", "status", "category", "reference", "reason", "expires"],
                    rows: model.waivers.map { result in
                        let waiver = result.waiver!
                        return [
                            .element("a", ["href": "#\(anchor(of: result))"]) { Self.code(result.id.description) },
                            Self.outcome(result.outcome),
                            .element("span", ["class": waiver.expired ? "flag" : "o-waived"]) {
                                waiver.expired ? "expired" : "applied"
                            },
                            .text(waiver.category.rawValue), .text(waiver.reference), .text(waiver.reason),
                            .text(Waiver.dayText(waiver.expires)),
                        ]
                    }
                )
            } else {
                XMLNode.element("p", ["class": "muted"]) { "No case matched a waiver." }
            }
            if !declared.isEmpty {
                XMLNode.element("h3") { "Declared" + (model.record.waivers.map { " in \($0.path)" } ?? "") }
                Self.table(
                    ["pattern", "category", "reference", "reason", "owner / approver", "last day", "cases matched"],
                    numeric: [6],
                    rows: declared.map { waiver in
                        let matched = model.record.cases.filter { waiver.matches($0.id.description) }.count
                        let people =
                            waiver.owner.map { "\($0) / \(waiver.approver ?? "—")" }
                            ?? "— (in the descriptor, deprecated)"
                        return [
                            Self.code(waiver.pattern), .text(waiver.category.rawValue), .text(waiver.reference),
                            .text(waiver.reason), .text(people), .text(Waiver.dayText(waiver.expires)),
                            .text(String(matched)),
                        ]
                    }
                )
            }
        }
    }

    /// Why each unsupported case was not run, grouped by reason: grey cells and rows say only
    /// that a case was unsupported, this says why.
    var unsupportedSection: XMLNode {
        let groups = Dictionary(grouping: model.unsupported, by: ReportModel.unsupportedReason)
        return .element("section", ["id": "unsupported"]) {
            XMLNode.element("h2") { "Unsupported" }
            Self.table(
                ["reason", "cases", "which"],
                numeric: [1],
                rows: groups.sorted {
                    $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key)
                }.map { reason, cases in
                    let listed = cases.prefix(Self.maxUnsupportedListed).map(\.id.description).joined(separator: ", ")
                    let more =
                        cases.count > Self.maxUnsupportedListed
                        ? " … and \(cases.count - Self.maxUnsupportedListed) more" : ""
                    return [.text(reason), .text(String(cases.count)), .element("code") { listed + more }]
                }
            )
        }
    }

    static let maxUnsupportedListed = 12

    var notRunSection: XMLNode {
        .element("section", ["id": "not-run"]) {
            XMLNode.element("h2") { "Not run" }
            XMLNode.element("p") {
                "\(model.notRun.count) planned cases have no result (run status \(model.record.status.rawValue)); "
                    + "`assay run --resume` continues the run."
            }
            XMLNode.element("ul") {
                for id in model.notRun.prefix(Self.maxNotRunListed) {
                    XMLNode.element("li") { Self.code(id.description) }
                }
                if model.notRun.count > Self.maxNotRunListed {
                    XMLNode.element("li") { "… and \(model.notRun.count - Self.maxNotRunListed) more" }
                }
            }
        }
    }
}
