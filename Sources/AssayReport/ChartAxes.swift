import AssayCore

/// The frame of a log-log SVG chart: decade grid lines with their tick labels on both axes,
/// the plot frame and the axis titles (the roofline and the bus-bandwidth chart share it).
struct ChartAxes: Sendable {
    var width: Double, height: Double, left: Double, right: Double, top: Double, bottom: Double
    var xTitle: String
    var yTitle: String? = nil
    var xTick: @Sendable (Double) -> String
    var yTick: @Sendable (Double) -> String

    func svg(x: ChartScale, y: ChartScale) -> XMLNode {
        let plotBottom = height - bottom
        return .element("g", ["class": "axes"]) {
            let xTicks = x.decadeTicks
            for (index, tick) in xTicks.enumerated() {
                let px = svgNumber(x.position(tick))
                // The end ticks point inwards: the first would meet the lowest y tick label, the last the edge.
                let anchor = index == 0 ? "start" : index == xTicks.count - 1 ? "end" : "middle"
                XMLNode.element(
                    "line",
                    ["x1": px, "y1": svgNumber(top), "x2": px, "y2": svgNumber(plotBottom), "class": "grid"]
                )
                XMLNode.element("text", ["x": px, "y": svgNumber(plotBottom + 16), "text-anchor": anchor]) {
                    xTick(tick)
                }
            }
            for tick in y.decadeTicks {
                let py = svgNumber(y.position(tick))
                XMLNode.element(
                    "line",
                    ["x1": svgNumber(left), "y1": py, "x2": svgNumber(width - right), "y2": py, "class": "grid"]
                )
                XMLNode.element(
                    "text",
                    ["x": svgNumber(left - 6), "y": svgNumber(y.position(tick) + 4), "text-anchor": "end"]
                ) { yTick(tick) }
            }
            XMLNode.element(
                "rect",
                [
                    "x": svgNumber(left), "y": svgNumber(top), "width": svgNumber(width - left - right),
                    "height": svgNumber(plotBottom - top), "class": "frame",
                ]
            )
            XMLNode.element(
                "text",
                [
                    "x": svgNumber((left + width - right) / 2), "y": svgNumber(height - 10),
                    "text-anchor": "middle", "class": "axis-title x-title",
                ]
            ) { xTitle }
            if let yTitle {
                let middle = (top + plotBottom) / 2
                XMLNode.element(
                    "text",
                    [
                        "x": svgNumber(-middle), "y": "14", "transform": "rotate(-90)",
                        "text-anchor": "middle", "class": "axis-title y-title",
                    ]
                ) { yTitle }
            }
        }
    }
}
