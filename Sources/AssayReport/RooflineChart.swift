import AssayCore

/// A log-log roofline in SVG: the compute roof of each dtype with a known peak, the memory
/// bandwidth slope, and each performance case at (arithmetic intensity, achieved FLOP/s).
/// Ops without FLOPs have no place on these axes; they are returned apart, to be shown
/// against the bandwidth ceiling alone.
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

    static let width = 680.0, height = 400.0
    static let left = 80.0, right = 24.0, top = 20.0, bottom = 48.0

    init(ceilings: RooflineCeilings, cases: [CaseResult]) {
        self.ceilings = ceilings
        var points: [Point] = [], memoryOnly: [CaseResult] = []
        for result in cases {
            guard let performance = result.performance else { continue }
            if let ai = performance.arithmeticIntensity, ai > 0, ai.isFinite,
               let rate = performance.flopsPerSecond, rate > 0, rate.isFinite {
                let detail = "\(result.id): AI \(Figures.number(ai)) FLOP/B, \(Figures.rate(rate, unit: "FLOP/s"))"
                    + (performance.percentOfRoofline.map { ", \(Figures.ceilingPercent($0, of: performance)) of roofline" } ?? "")
                points.append(Point(label: "\(result.op) \(result.dtype)", detail: detail, intensity: ai,
                                    flopsPerSecond: rate, bound: performance.bound))
            } else if (performance.bytesPerSecond ?? 0) > 0 {
                memoryOnly.append(result)
            }
        }
        self.points = points; self.memoryOnly = memoryOnly
    }

    var isEmpty: Bool { points.isEmpty && ceilings.compute.isEmpty }

    func svg() -> XMLNode {
        let roofs = ceilings.compute.sorted { $0.value.value > $1.value.value }
        let bandwidth = ceilings.bandwidth?.value
        let ridges = bandwidth.map { bw in roofs.map { $0.value.value / bw } } ?? []
        let x = ChartScale.decades(covering: points.map(\.intensity) + ridges, pad: 4,
                                   from: Self.left, to: Self.width - Self.right)
        let leftRoof = bandwidth.map { [$0 * x.low] } ?? []
        let y = ChartScale.decades(covering: points.map(\.flopsPerSecond) + roofs.map(\.value.value) + leftRoof,
                                   pad: 3, maxDecades: 7, from: Self.height - Self.bottom, to: Self.top)
        return .element("svg", ["viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))", "class": "chart roofline",
                                "role": "img", "aria-label": "Roofline chart"]) {
            XMLNode.element("title") { "Roofline: achieved FLOP/s against arithmetic intensity (log-log)" }
            axes(x: x, y: y)
            if let bandwidth {
                slope(bandwidth, peak: roofs.first?.value.value, x: x, y: y)
            }
            for (index, roof) in roofs.enumerated() {
                let start = bandwidth.map { roof.value.value / $0 } ?? x.low
                let yPos = y.position(roof.value.value)
                XMLNode.element("line", ["x1": svgNumber(x.position(max(start, x.low))), "y1": svgNumber(yPos),
                                         "x2": svgNumber(x.position(x.high)), "y2": svgNumber(yPos), "class": "roof"])
                XMLNode.element("text", ["x": svgNumber(x.position(x.high) - 4), "y": svgNumber(yPos - 5 - Double(index % 2) * 11),
                                         "class": "roof-label", "text-anchor": "end"]) {
                    "\(roof.key) peak \(Figures.rate(roof.value.value, unit: "FLOP/s")) \(roof.value.note)"
                }
            }
            for point in points {
                let px = x.position(point.intensity), py = y.position(point.flopsPerSecond)
                XMLNode.element("g", ["class": "point \(point.bound?.rawValue ?? "unbound")"]) {
                    XMLNode.element("title") { point.detail }
                    XMLNode.element("circle", ["cx": svgNumber(px), "cy": svgNumber(py), "r": "5"])
                    XMLNode.element("text", ["x": svgNumber(px + 8), "y": svgNumber(py + 4), "class": "point-label"]) { point.label }
                }
            }
        }
    }

    private func slope(_ bandwidth: Double, peak: Double?, x: ChartScale, y: ChartScale) -> XMLNode {
        // From where the slope enters the plot to the ridge point (or the right edge without a peak).
        let start = max(x.low, y.low / bandwidth)
        let end = min(x.high, peak.map { $0 / bandwidth } ?? x.high, y.high / bandwidth)
        let label = "memory \(Figures.rate(bandwidth, unit: "B/s")) \(ceilings.bandwidth?.note ?? "")"
        return .element("g", ["class": "bandwidth"]) {
            if start < end {
                XMLNode.element("line", ["x1": svgNumber(x.position(start)), "y1": svgNumber(y.position(bandwidth * start)),
                                         "x2": svgNumber(x.position(end)), "y2": svgNumber(y.position(bandwidth * end)),
                                         "class": "roof"])
            }
            XMLNode.element("text", ["x": svgNumber(x.position(start) + 6), "y": svgNumber(y.position(bandwidth * start) - 8),
                                     "class": "roof-label"]) { label }
        }
    }

    private func axes(x: ChartScale, y: ChartScale) -> XMLNode {
        ChartAxes(width: Self.width, height: Self.height, left: Self.left, right: Self.right, top: Self.top, bottom: Self.bottom,
                  xTitle: "arithmetic intensity (FLOP/byte)", xTick: { Figures.number($0) },
                  yTick: { Figures.rate($0, unit: "FLOP/s") }).svg(x: x, y: y)
    }
}
