import AssayCore

extension ReportModel {
    /// Collective cases that ran (with or without a figure), in plan order.
    var collectives: [CaseResult] { record.cases.filter { $0.kind == .collective && $0.collective != nil } }
}

extension HTMLReport {
    /// Collectives: each case's size, ranks, latency and nccl-tests bandwidths, and bus
    /// bandwidth against size per op (log-log) with the declared link bandwidth.
    var collectiveSection: XMLNode {
        let chart = BusBandwidthChart.chart(cases: model.collectives)
        return .element("section", ["id": "collectives"]) {
            XMLNode.element("h2") { "Collectives" }
            XMLNode.element("p", ["class": "muted"]) {
                "A sample is the slowest rank's time; bus bandwidth = algorithm bandwidth × the nccl-tests factor "
                    + "(all_reduce 2(n−1)/n; all_gather, reduce_scatter, all_to_all (n−1)/n; broadcast, reduce, send_recv 1). "
                    + "Every rank's output was checked exactly before timing."
            }
            Self.table(
                [
                    "case", "outcome", "ranks", "size", "latency (median)", "algorithm bandwidth", "bus bandwidth",
                    "% of link",
                ],
                class: "perf",
                numeric: [2, 3, 4, 5, 6, 7],
                rows: model.collectives.map(collectiveRow)
            )
            if !chart.isEmpty {
                XMLNode.element("h3") { "Bus bandwidth against size" }
                chart.svg()
            }
            let maps = model.collectives.compactMap(P2PHeatMap.init)
            if !maps.isEmpty {
                XMLNode.element("h3") { "Peer-to-peer copy bandwidth" }
                XMLNode.element("p", ["class": "muted"]) {
                    "Each ordered pair alone: the source rank (row) copies the case's bytes to the destination rank (column), "
                        + "checked exactly, then timed; GB/s from the median of the slower rank's time per copy. "
                        + "The case's figures above are its slowest pair's."
                }
                for map in maps {
                    XMLNode.element("h4") { Self.code(map.title) }
                    map.svg()
                }
            }
        }
    }

    private func collectiveRow(_ result: CaseResult) -> [XMLNode] {
        let figures = result.collective!
        func gbs(_ value: Double?) -> String { value.map { Figures.rate($0 * 1e9, unit: "B/s") } ?? "—" }
        return [
            Self.code(result.id.description),
            Self.outcome(result.outcome),
            .text("\(figures.ranks)"),
            .text(Figures.rate(Double(figures.bytes), unit: "B")),
            .text(figures.latencyMicroseconds.map { Figures.duration(nanoseconds: $0 * 1e3) } ?? "—"),
            .text(gbs(figures.algorithmGBs)),
            .text(gbs(figures.busGBs)),
            .text(
                figures.percentOfLink.map { Figures.percent($0) + " of \(Figures.number(figures.linkGBs ?? 0)) GB/s" }
                    ?? "—"
            ),
        ]
    }
}
