import AssayCore

/// Lines of (x, y) points on log-log axes in SVG, with an optional horizontal roof: what the
/// collectives' bus bandwidth chart and the models' tokens/s chart draw, each with its own
/// series, axis titles and tick units.
struct LogLogSeriesChart: Sendable {
    struct Series: Sendable {
        var label: String
        /// (x, y), by x.
        var points: [(x: Double, y: Double)]

        /// One series per label, by label, each with its points sorted by x.
        static func sorted(_ grouped: [String: [(Double, Double)]]) -> [Series] {
            grouped.keys.sorted().map {
                Series(label: $0, points: grouped[$0]!.sorted { $0.0 < $1.0 }.map { (x: $0.0, y: $0.1) })
            }
        }
    }

    /// A horizontal line at `value` with its label (a declared ceiling).
    struct Roof: Sendable {
        var value: Double
        var label: String
    }

    var kind: String
    var label: String
    var title: String
    var xTitle: String
    var series: [Series]
    var roof: Roof?
    var xTick: @Sendable (Double) -> String
    var yTick: @Sendable (Double) -> String
    /// One point's tooltip text, e.g. "1 MiB → 12 GB/s".
    var describe: @Sendable (Double, Double) -> String

    static let width = 680.0, height = 360.0
    static let left = 80.0, right = 24.0, top = 20.0, bottom = 48.0
    static let colours = ["#1f5fbf", "#c25e00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#455a64"]

    var isEmpty: Bool { series.isEmpty }

    func svg() -> XMLNode {
        let all = series.flatMap(\.points)
        let x = ChartScale.decades(
            covering: all.map(\.x),
            pad: 2,
            maxDecades: 10,
            from: Self.left,
            to: Self.width - Self.right
        )
        let y = ChartScale.decades(
            covering: all.map(\.y) + (roof.map { [$0.value] } ?? []),
            pad: 2,
            maxDecades: 7,
            from: Self.height - Self.bottom,
            to: Self.top
        )
        return .chart(kind: kind, width: Self.width, height: Self.height, label: label, title: title) {
            ChartAxes(
                width: Self.width,
                height: Self.height,
                left: Self.left,
                right: Self.right,
                top: Self.top,
                bottom: Self.bottom,
                xTitle: xTitle,
                xTick: xTick,
                yTick: yTick
            ).svg(x: x, y: y)
            if let roof {
                let py = svgNumber(y.position(roof.value))
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
                        "x": svgNumber(Self.width - Self.right - 4), "y": svgNumber(y.position(roof.value) - 5),
                        "class": "roof-label", "text-anchor": "end",
                    ]
                ) { roof.label }
            }
            for (index, line) in series.enumerated() {
                let colour = Self.colours[index % Self.colours.count]
                let coordinates = line.points.map { "\(svgNumber(x.position($0.x))),\(svgNumber(y.position($0.y)))" }
                XMLNode.element("g", ["class": "series"]) {
                    XMLNode.element("title") {
                        line.label + ": " + line.points.map { describe($0.x, $0.y) }.joined(separator: ", ")
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
                                "cx": svgNumber(x.position(point.x)), "cy": svgNumber(y.position(point.y)), "r": "3.5",
                                "fill": colour,
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
}
