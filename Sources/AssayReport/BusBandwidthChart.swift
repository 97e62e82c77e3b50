import AssayCore

/// Bus bandwidth against size, log-log, in SVG: one line per collective op (and dtype, and
/// in-place variant) over the sizes of its cases, and the declared link bandwidth as a
/// horizontal line, the ceiling a bus figure is compared with (nccl-tests' busbw plots).
struct BusBandwidthChart: Sendable {
    struct Series: Sendable {
        var label: String
        /// (bytes, bus GB/s), by size.
        var points: [(bytes: Double, busGBs: Double)]
    }

    let series: [Series]
    let linkGBs: Double?

    static let width = 680.0, height = 360.0
    static let left = 80.0, right = 24.0, top = 20.0, bottom = 48.0
    static let colours = ["#1f5fbf", "#c25e00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#455a64"]

    init(cases: [CaseResult]) {
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
        series = grouped.keys.sorted().map {
            Series(label: $0, points: grouped[$0]!.sorted { $0.0 < $1.0 }.map { (bytes: $0.0, busGBs: $0.1) })
        }
        linkGBs = link
    }

    var isEmpty: Bool { series.isEmpty }

    func svg() -> XMLNode {
        let all = series.flatMap(\.points)
        let x = ChartScale.decades(
            covering: all.map(\.bytes),
            pad: 2,
            maxDecades: 10,
            from: Self.left,
            to: Self.width - Self.right
        )
        let y = ChartScale.decades(
            covering: all.map(\.busGBs) + (linkGBs.map { [$0] } ?? []),
            pad: 2,
            maxDecades: 7,
            from: Self.height - Self.bottom,
            to: Self.top
        )
        return .chart(
            kind: "busbw",
            width: Self.width,
            height: Self.height,
            label: "Bus bandwidth against size",
            title: "Collectives: bus bandwidth (GB/s) against size (bytes), log-log"
        ) {
            axes(x: x, y: y)
            if let linkGBs {
                let py = svgNumber(y.position(linkGBs))
                XMLNode.element(
                    "line",
                    [
                        "x1": svgNumber(Self.left), "y1": py, "x2": svgNumber(Self.width - Self.right), "y2": py,
                        "class": "roof",
                    ]
                )
                XMLNode.element(
                    "text",
                    [
                        "x": svgNumber(Self.width - Self.right - 4), "y": svgNumber(y.position(linkGBs) - 5),
                        "class": "roof-label", "text-anchor": "end",
                    ]
                ) { "declared link \(Figures.number(linkGBs)) GB/s" }
            }
            for (index, line) in series.enumerated() {
                let colour = Self.colours[index % Self.colours.count]
                let coordinates = line.points.map {
                    "\(svgNumber(x.position($0.bytes))),\(svgNumber(y.position($0.busGBs)))"
                }
                XMLNode.element("g", ["class": "series"]) {
                    XMLNode.element("title") {
                        line.label + ": "
                            + line.points.map { "\(Figures.number($0.bytes)) B → \(Figures.number($0.busGBs)) GB/s" }
                            .joined(separator: ", ")
                    }
                    if coordinates.count > 1 {
                        XMLNode.element(
                            "polyline",
                            [
                                "points": coordinates.joined(separator: " "), "fill": "none", "stroke": colour,
                                "stroke-width": "2",
                            ]
                        )
                    }
                    for point in line.points {
                        XMLNode.element(
                            "circle",
                            [
                                "cx": svgNumber(x.position(point.bytes)), "cy": svgNumber(y.position(point.busGBs)),
                                "r": "3.5", "fill": colour,
                            ]
                        )
                    }
                    XMLNode.element(
                        "text",
                        [
                            "x": svgNumber(Self.left + 8), "y": svgNumber(Self.top + 14 + Double(index) * 13),
                            "fill": colour, "class": "point-label",
                        ]
                    ) { line.label }
                }
            }
        }
    }

    private func axes(x: ChartScale, y: ChartScale) -> XMLNode {
        ChartAxes(
            width: Self.width,
            height: Self.height,
            left: Self.left,
            right: Self.right,
            top: Self.top,
            bottom: Self.bottom,
            xTitle: "size per collective (bytes, nccl-tests size)",
            xTick: { Figures.rate($0, unit: "B") },
            yTick: { "\(Figures.number($0)) GB/s" }
        ).svg(x: x, y: y)
    }
}
