import AssayCore

/// The frame of a log-log SVG chart: decade grid lines with their tick labels on both axes,
/// the plot frame and the x-axis title (the roofline and the bus-bandwidth chart share it).
struct ChartAxes: Sendable {
    var width: Double, height: Double, left: Double, right: Double, top: Double, bottom: Double
    var xTitle: String
    var xTick: @Sendable (Double) -> String
    var yTick: @Sendable (Double) -> String

    func svg(x: ChartScale, y: ChartScale) -> XMLNode {
        .element("g", ["class": "axes"]) {
            for tick in x.decadeTicks {
                let px = svgNumber(x.position(tick))
                XMLNode.element("line", ["x1": px, "y1": svgNumber(top), "x2": px, "y2": svgNumber(height - bottom), "class": "grid"])
                XMLNode.element("text", ["x": px, "y": svgNumber(height - bottom + 16), "text-anchor": "middle"]) { xTick(tick) }
            }
            for tick in y.decadeTicks {
                let py = svgNumber(y.position(tick))
                XMLNode.element("line", ["x1": svgNumber(left), "y1": py, "x2": svgNumber(width - right), "y2": py, "class": "grid"])
                XMLNode.element("text", ["x": svgNumber(left - 6), "y": svgNumber(y.position(tick) + 4), "text-anchor": "end"]) { yTick(tick) }
            }
            XMLNode.element("rect", ["x": svgNumber(left), "y": svgNumber(top), "width": svgNumber(width - left - right),
                                     "height": svgNumber(height - top - bottom), "class": "frame"])
            XMLNode.element("text", ["x": svgNumber((left + width - right) / 2), "y": svgNumber(height - 10),
                                     "text-anchor": "middle", "class": "axis-title"]) { xTitle }
        }
    }
}
