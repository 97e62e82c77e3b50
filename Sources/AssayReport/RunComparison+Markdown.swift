import AssayCore

extension RunComparison {
    /// `compare.md`: the runs, their counts, then the rows worth reading — performance cases,
    /// cases whose outcome differs, cases missing from some runs. Identical rows are counted, not listed.
    /// - Parameter withHTML: compare.html is written next to it, so the Markdown may point there.
    public func markdown(withHTML: Bool = false) -> String {
        var out = ["## Assay comparison of \(runs.count) runs", ""]
        var runsTable = MarkdownTable(["run", "target", "status", "verdict", "counts", "fingerprint"])
        for (index, run) in runs.enumerated() {
            let model = ReportModel(run)
            runsTable.append([label(index), model.targetLabel, run.status.rawValue, model.verdict.headline, model.countsLine,
                              String(run.environment.fingerprint.prefix(12))])
        }
        out.append(runsTable.rendered)
        let listed = rows.filter { $0.isPerformance || $0.outcomesDiffer || $0.isPartial }
        if !listed.isEmpty {
            var header = ["case"] + runs.indices.map(label)
            let ratioColumns = runs.indices.dropFirst().map { "\(label($0)) ÷ #1" }
            let showRatios = listed.contains { $0.isPerformance }
            if showRatios { header += ratioColumns }
            var table = MarkdownTable(header)
            for row in listed {
                var cells = [row.id.description + (row.isPartial ? " (only in some runs)" : "")]
                cells += row.results.map(Self.cellText)
                if showRatios { cells += row.ratios.dropFirst().map(Self.ratioText) }
                table.append(cells)
            }
            out += ["", table.rendered]
        }
        let same = rows.count - listed.count
        if same > 0 {
            out += ["", "\(same) cases have the same outcome in every run" + (withHTML ? " (listed in compare.html)." : ".")]
        }
        if showsFingerprintDifference { out += ["", "Note: the runs' environment fingerprints differ."] }
        return out.joined(separator: "\n") + "\n"
    }

    var showsFingerprintDifference: Bool { Set(runs.map(\.environment.fingerprint)).count > 1 }
}
