import AssayCore

extension RunComparison {
    /// How many "only in some runs" cases `compare.md` names; the rest are counted.
    public static let partialListLimit = 10

    /// `compare.md`: the runs and their counts, then performance cases (what a comparison is
    /// usually for), then cases whose outcome differs, then the cases missing from some runs as a
    /// count per pattern of presence and a short list. Identical rows are counted, not listed.
    /// - Parameter withHTML: compare.html is written next to it, so the Markdown may point there.
    public func markdown(withHTML: Bool = false) -> String {
        var out = ["## Assay comparison of \(runs.count) runs", ""]
        var runsTable = MarkdownTable(["run", "target", "status", "verdict", "counts", "fingerprint"])
        for (index, run) in runs.enumerated() {
            let model = ReportModel(run)
            runsTable.append([
                label(index), model.targetLabel, run.status.rawValue, model.verdict.headline, model.countsLine,
                String(run.environment.fingerprint.prefix(12)),
            ])
        }
        out.append(runsTable.rendered)
        let performance = rows.filter(\.isPerformance)
        if !performance.isEmpty {
            var table = MarkdownTable(
                ["case"] + runs.indices.map(label) + runs.indices.dropFirst().map { "\(label($0)) ÷ #1" }
            )
            for row in performance {
                table.append(
                    [row.id.description + (row.isPartial ? " (only in some runs)" : "")]
                        + row.results.map(Self.cellText) + row.ratios.dropFirst().map(Self.ratioText)
                )
            }
            out += ["", "### Performance", "", table.rendered]
        }
        let differing = rows.filter { !$0.isPerformance && !$0.isPartial && $0.outcomesDiffer }
        if !differing.isEmpty {
            var table = MarkdownTable(["case"] + runs.indices.map(label))
            for row in differing { table.append([row.id.description] + row.results.map(Self.cellText)) }
            out += ["", "### Outcomes that differ", "", table.rendered]
        }
        let partial = rows.filter { !$0.isPerformance && $0.isPartial }
        if !partial.isEmpty { out += ["", "### Only in some runs", ""] + partialSummary(partial) }
        let same = rows.count - performance.count - differing.count - partial.count
        if same > 0 {
            out += [
                "",
                "\(same) cases have the same outcome in every run" + (withHTML ? " (listed in compare.html)." : "."),
            ]
        }
        if showsFingerprintDifference { out += ["", "Note: the runs' environment fingerprints differ."] }
        return out.joined(separator: "\n") + "\n"
    }

    /// `17 cases are only in some runs: 15 only in #1; 2 in #1, #3.` and the first few ids.
    func partialSummary(_ partial: [Row]) -> [String] {
        var patterns: [String: Int] = [:]
        var order: [String] = []
        for row in partial {
            let present = row.results.indices.filter { row.results[$0] != nil }.map { "#\($0 + 1)" }
            let pattern =
                present.count == 1
                ? "only in \(present[0])"
                : present.isEmpty ? "in no run (planned only)" : "in \(present.joined(separator: ", "))"
            if patterns[pattern] == nil { order.append(pattern) }
            patterns[pattern, default: 0] += 1
        }
        var lines = [
            "\(partial.count) cases are only in some runs: "
                + order.map { "\(patterns[$0]!) \($0)" }.joined(separator: "; ") + "."
        ]
        lines.append("")
        for row in partial.prefix(Self.partialListLimit) {
            let cells = row.results.indices.compactMap { index in
                row.results[index].map { "#\(index + 1) \($0.outcome.rawValue)" }
            }
            lines.append(
                "- `\(MarkdownTable.cell(row.id.description))`: \(cells.isEmpty ? "no result" : cells.joined(separator: ", "))"
            )
        }
        if partial.count > Self.partialListLimit {
            lines.append("- … and \(partial.count - Self.partialListLimit) more (compare.html lists every case)")
        }
        return lines
    }

    var showsFingerprintDifference: Bool { Set(runs.map(\.environment.fingerprint)).count > 1 }
}
