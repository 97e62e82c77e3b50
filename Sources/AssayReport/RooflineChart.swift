import AssayCore

/// A log-log roofline in SVG: the compute roof of each dtype with a known peak, the memory
/// bandwidth slope, and each performance case at (arithmetic intensity, achieved FLOP/s).
/// Ops without FLOPs have no place on these axes; they are returned apart, to be shown
/// against the bandwidth ceiling alone.
///
/// Both axes are titled; a legend under the plot names every roof with its figure and source
/// and every marker shape; point labels carry the case's shape and are placed by `LabelLayout`
/// so that no two overlap (a label with no free spot is listed in the legend instead).
struct RooflineChart: Sendable {
    struct Point: Sendable {
        var label: String
        var detail: String
        var intensity: Double
        var flopsPerSecond: Double
        var bound: PerformanceRecord.Bound?
    }

    let ceilings: RooflineCeilings
    let points: [Point]
    /// Measured cases that move bytes but do no arithmetic (copy, transpose, embedding).
    let memoryOnly: [CaseResult]

    static let width = 680.0, plotHeight = 400.0
    static let left = 104.0, right = 24.0, top = 20.0, bottom = 48.0
    static let fontSize = 11.0, legendRow = 17.0

    init(ceilings: RooflineCeilings, cases: [CaseResult]) {
        self.ceilings = ceilings
        var points: [Point] = []
        var memoryOnly: [CaseResult] = []
        for result in cases {
            guard let performance = result.performance else { continue }
            if let ai = performance.arithmeticIntensity, ai > 0, ai.isFinite,
                let rate = performance.flopsPerSecond, rate > 0, rate.isFinite
            {
                let detail =
                    "\(result.id): AI \(Figures.number(ai)) FLOP/B, \(Figures.rate(rate, unit: "FLOP/s"))"
                    + (performance.percentOfRoofline.map {
                        ", \(Figures.ceilingPercent($0, of: performance)) of roofline"
                    } ?? "")
                points.append(
                    Point(
                        label: "\(result.op) \(result.dtype) \(result.id.shape)",
                        detail: detail,
                        intensity: ai,
                        flopsPerSecond: rate,
                        bound: performance.bound
                    )
                )
            } else if (performance.bytesPerSecond ?? 0) > 0 {
                memoryOnly.append(result)
            }
        }
        self.points = points
        self.memoryOnly = memoryOnly
    }

    var isEmpty: Bool { points.isEmpty && ceilings.compute.isEmpty }

    /// The marker of each bound, named in the legend: shapes, so the chart reads without colour.
    static let markers: [(bound: PerformanceRecord.Bound?, name: String)] = [
        (.compute, "compute-bound case"), (.memory, "memory-bound case"), (nil, "bound unknown"),
    ]

    func svg() -> XMLNode {
        let roofs = ceilings.compute.sorted { $0.value.value > $1.value.value }
        let bandwidth = ceilings.bandwidth?.value
        let ridges = bandwidth.map { bw in roofs.map { $0.value.value / bw } } ?? []
        let x = ChartScale.decades(
            covering: points.map(\.intensity) + ridges,
            pad: 4,
            from: Self.left,
            to: Self.width - Self.right
        )
        let leftRoof = bandwidth.map { [$0 * x.low] } ?? []
        let y = ChartScale.decades(
            covering: points.map(\.flopsPerSecond) + roofs.map(\.value.value) + leftRoof,
            pad: 3,
            maxDecades: 7,
            from: Self.plotHeight - Self.bottom,
            to: Self.top
        )
        let frame = LabelLayout.Box(
            x: Self.left,
            y: Self.top,
            width: Self.width - Self.left - Self.right,
            height: Self.plotHeight - Self.top - Self.bottom
        )
        let positions = points.map { (x: x.position($0.intensity), y: y.position($0.flopsPerSecond)) }
        var layout = LabelLayout(
            fontSize: Self.fontSize,
            frame: frame,
            obstacles: positions.map { LabelLayout.Box(x: $0.x - 6, y: $0.y - 6, width: 12, height: 12) }
        )
        // Roof tags first (they sit on their lines), then the points, left to right.
        let tags = roofs.map { roof in
            layout.place(roof.key, nearX: x.position(x.high) - 12, y: y.position(roof.value.value))
        }
        let slopeTag = bandwidth.flatMap { bw -> LabelLayout.Placement? in
            let middle = (max(x.low, y.low / bw) * min(x.high, (roofs.first?.value.value ?? y.high) / bw, y.high / bw))
                .squareRoot()
            return layout.place("memory", nearX: x.position(middle), y: y.position(bw * middle))
        }
        var labels = [LabelLayout.Placement?](repeating: nil, count: points.count)
        for index in points.indices.sorted(by: { positions[$0].x < positions[$1].x }) {
            labels[index] = layout.place(points[index].label, nearX: positions[index].x, y: positions[index].y)
        }
        let unlabelled = points.indices.filter { labels[$0] == nil }.map { points[$0].label }
        let legend = legendRows(roofs: roofs, unlabelled: unlabelled)
        let height = Self.plotHeight + 8 + Double(legend.count) * Self.legendRow
        return .chart(
            kind: "roofline",
            width: Self.width,
            height: height,
            label: "Roofline chart",
            title: "Roofline: achieved FLOP/s against arithmetic intensity (log-log)"
        ) {
            axes(x: x, y: y)
            if let bandwidth { slope(bandwidth, peak: roofs.first?.value.value, x: x, y: y) }
            for roof in roofs {
                let start = bandwidth.map { roof.value.value / $0 } ?? x.low
                let yPos = y.position(roof.value.value)
                XMLNode.element(
                    "line",
                    [
                        "x1": svgNumber(x.position(max(start, x.low))), "y1": svgNumber(yPos),
                        "x2": svgNumber(x.position(x.high)), "y2": svgNumber(yPos), "class": "roof",
                    ]
                )
            }
            for (tag, roof) in zip(tags, roofs) { if let tag { Self.text(roof.key, at: tag, class: "roof-label") } }
            if let slopeTag { Self.text("memory", at: slopeTag, class: "roof-label") }
            for (index, point) in points.enumerated() {
                XMLNode.element("g", ["class": "point \(point.bound?.rawValue ?? "unbound")"]) {
                    XMLNode.element("title") { point.detail }
                    Self.marker(point.bound, x: positions[index].x, y: positions[index].y)
                    if let label = labels[index] { Self.text(point.label, at: label, class: "point-label") }
                }
            }
            XMLNode.element("g", ["class": "legend"]) {
                for (row, entry) in legend.enumerated() {
                    let baseline = Self.plotHeight + 8 + Double(row) * Self.legendRow + 12
                    entry.swatch(16, baseline - 4)
                    XMLNode.element("text", ["x": "44", "y": svgNumber(baseline)]) { entry.text }
                }
            }
        }
    }

    private struct LegendRow {
        var text: String
        var swatch: (Double, Double) -> XMLNode
    }

    /// One row per roof (its figure and source), the slope, each marker shape in use, and the
    /// labels that found no free spot, wrapped to the chart's width.
    private func legendRows(
        roofs: [(key: String, value: RooflineCeilings.Ceiling)],
        unlabelled: [String]
    ) -> [LegendRow] {
        var rows = roofs.map { roof in
            LegendRow(text: "\(roof.key) peak \(Figures.rate(roof.value.value, unit: "FLOP/s")) \(roof.value.note)") {
                x,
                y in
                .element(
                    "line",
                    [
                        "x1": svgNumber(x), "y1": svgNumber(y), "x2": svgNumber(x + 20), "y2": svgNumber(y),
                        "class": "roof",
                    ]
                )
            }
        }
        if let bandwidth = ceilings.bandwidth {
            rows.append(
                LegendRow(text: "memory \(Figures.rate(bandwidth.value, unit: "B/s")) \(bandwidth.note)") { x, y in
                    .element(
                        "line",
                        [
                            "x1": svgNumber(x), "y1": svgNumber(y + 5), "x2": svgNumber(x + 20), "y2": svgNumber(y - 5),
                            "class": "roof",
                        ]
                    )
                }
            )
        }
        let bounds = Set(points.map { $0.bound?.rawValue ?? "unbound" })
        for marker in Self.markers where bounds.contains(marker.bound?.rawValue ?? "unbound") {
            rows.append(
                LegendRow(text: marker.name) { x, y in
                    .element("g", ["class": "key \(marker.bound?.rawValue ?? "unbound")"]) {
                        Self.marker(marker.bound, x: x + 10, y: y)
                    }
                }
            )
        }
        var line = ""
        let room = Self.width - 44 - Self.right
        for label in unlabelled {
            let next = line.isEmpty ? "not labelled on the plot (no free spot): \(label)" : "\(line); \(label)"
            if LabelLayout.width(of: next, fontSize: Self.fontSize) > room, !line.isEmpty {
                rows.append(LegendRow(text: line + ";") { _, _ in .element("g") {} })
                line = label
            } else {
                line = next
            }
        }
        if !line.isEmpty { rows.append(LegendRow(text: line) { _, _ in .element("g") {} }) }
        return rows
    }

    /// A circle for compute-bound cases, a square for memory-bound ones, a triangle otherwise.
    static func marker(_ bound: PerformanceRecord.Bound?, x: Double, y: Double) -> XMLNode {
        switch bound {
        case .compute: .element("circle", ["cx": svgNumber(x), "cy": svgNumber(y), "r": "5"])
        case .memory: .element("rect", ["x": svgNumber(x - 4.5), "y": svgNumber(y - 4.5), "width": "9", "height": "9"])
        case nil:
            .element(
                "path",
                [
                    "d":
                        "M\(svgNumber(x)) \(svgNumber(y - 6))L\(svgNumber(x + 5.5)) \(svgNumber(y + 4))L\(svgNumber(x - 5.5)) \(svgNumber(y + 4))Z"
                ]
            )
        }
    }

    static func text(_ text: String, at placement: LabelLayout.Placement, class name: String) -> XMLNode {
        .element("text", ["x": svgNumber(placement.textX), "y": svgNumber(placement.baseline), "class": name]) { text }
    }

    private func slope(_ bandwidth: Double, peak: Double?, x: ChartScale, y: ChartScale) -> XMLNode {
        // From where the slope enters the plot to the ridge point (or the right edge without a peak).
        let start = max(x.low, y.low / bandwidth)
        let end = min(x.high, peak.map { $0 / bandwidth } ?? x.high, y.high / bandwidth)
        return .element("g", ["class": "bandwidth"]) {
            if start < end {
                XMLNode.element(
                    "line",
                    [
                        "x1": svgNumber(x.position(start)), "y1": svgNumber(y.position(bandwidth * start)),
                        "x2": svgNumber(x.position(end)), "y2": svgNumber(y.position(bandwidth * end)),
                        "class": "roof",
                    ]
                )
            }
        }
    }

    private func axes(x: ChartScale, y: ChartScale) -> XMLNode {
        ChartAxes(
            width: Self.width,
            height: Self.plotHeight,
            left: Self.left,
            right: Self.right,
            top: Self.top,
            bottom: Self.bottom,
            xTitle: "arithmetic intensity (FLOP/byte)",
            yTitle: "achieved FLOP/s (log scale)",
            xTick: { Figures.number($0) },
            yTick: { Figures.rate($0, unit: "FLOP/s") }
        ).svg(x: x, y: y)
    }
}
