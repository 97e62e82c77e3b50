import AssayCore

/// Bus bandwidth against size, log-log, in SVG: one line per collective op (and dtype, and
/// in-place variant) over the sizes of its cases, and the declared link bandwidth as a
/// horizontal line, the ceiling a bus figure is compared with (nccl-tests' busbw plots).
enum BusBandwidthChart {
    static func chart(cases: [CaseResult]) -> LogLogSeriesChart {
        var grouped: [String: [(Double, Double)]] = [:]
        var link: Double?
        for result in cases {
            guard let figures = result.collective, let bus = figures.busGBs, bus > 0, bus.isFinite else { continue }
            let label =
                "\(figures.op.rawValue) \(result.dtype)" + (figures.inPlace ? " in place" : "")
                + (figures.root != 0 ? " root \(figures.root)" : "")
            grouped[label, default: []].append((Double(figures.bytes), bus))
            link = link ?? figures.linkGBs
        }
        return LogLogSeriesChart(
            kind: "busbw",
            label: "Bus bandwidth against size",
            title: "Collectives: bus bandwidth (GB/s) against size (bytes), log-log",
            xTitle: "size per collective (bytes, nccl-tests size)",
            series: LogLogSeriesChart.Series.sorted(grouped),
            roof: link.map { LogLogSeriesChart.Roof(value: $0, label: "declared link \(Figures.number($0)) GB/s") },
            xTick: { Figures.rate($0, unit: "B") },
            yTick: { "\(Figures.number($0)) GB/s" },
            describe: { "\(Figures.number($0)) B → \(Figures.number($1)) GB/s" }
        )
    }
}
