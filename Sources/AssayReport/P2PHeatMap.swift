import AssayCore
import Foundation

/// The peer-to-peer matrix of a `p2p_copy` case as an SVG heat map: one cell per ordered pair
/// (row: source rank, column: destination rank), coloured by copy bandwidth on a linear scale
/// from the slowest pair (light) to the fastest (dark), the value printed in cells wide enough
/// for it, and a legend bar with the scale's ends. Ranks are labelled by number only, so the
/// labels never crowd however many ranks there are; the diagonal is hatched (no copy).
struct P2PHeatMap: Sendable {
    let title: String
    let ranks: Int
    /// GB/s by (source, destination).
    let cells: [Int: [Int: Double]]

    static let left = 78.0, top = 54.0, bottom = 16.0, legendGap = 28.0, legendWidth = 14.0, legendText = 92.0
    static let light = (238.0, 244.0, 251.0), dark = (74.0, 144.0, 217.0)
    /// Cells narrower than this show their value only in the tooltip.
    static let minValueCell = 44.0

    init?(_ result: CaseResult) {
        guard let figures = result.collective, let pairs = figures.pairs, !pairs.isEmpty else { return nil }
        title = "\(result.id)"
        ranks = figures.ranks
        var cells: [Int: [Int: Double]] = [:]
        for pair in pairs { cells[pair.source, default: [:]][pair.destination] = pair.gbs }
        self.cells = cells
    }

    var cell: Double { min(72, max(24, (440.0 / Double(max(ranks, 1))).rounded(.down))) }
    var width: Double { Self.left + Double(ranks) * cell + Self.legendGap + Self.legendWidth + Self.legendText }
    var height: Double { Self.top + Double(ranks) * cell + Self.bottom }

    static func colour(_ fraction: Double) -> String {
        let t = min(1, max(0, fraction.isFinite ? fraction : 0.5))
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(light.0, dark.0), mix(light.1, dark.1), mix(light.2, dark.2))
    }

    func svg() -> XMLNode {
        let values = cells.values.flatMap(\.values)
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        let span = high - low
        func fraction(_ value: Double) -> Double { span > 0 ? (value - low) / span : 0.5 }
        let size = cell
        let grid = Double(ranks) * cell
        let id =
            "p2p-" + title.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
        return .element(
            "svg",
            [
                "viewBox": "0 0 \(svgNumber(width)) \(svgNumber(height))", "class": "chart p2p",
                "style": "max-width: \(svgNumber(width))px", "role": "img",
                "aria-label": "Peer-to-peer copy bandwidth, \(ranks) ranks",
            ]
        ) {
            XMLNode.element("title") {
                "\(title): copy bandwidth (GB/s) from each source rank (row) to each destination rank (column)"
            }
            XMLNode.element("defs") {
                XMLNode.element("linearGradient", ["id": "\(id)-scale", "x1": "0", "y1": "1", "x2": "0", "y2": "0"]) {
                    XMLNode.element("stop", ["offset": "0", "stop-color": Self.colour(0)])
                    XMLNode.element("stop", ["offset": "1", "stop-color": Self.colour(1)])
                }
                XMLNode.element(
                    "pattern",
                    ["id": "\(id)-none", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse"]
                ) {
                    XMLNode.element("path", ["d": "M0,6 L6,0", "stroke": "#c8ccd0", "stroke-width": "1"])
                }
            }
            XMLNode.element(
                "text",
                ["x": svgNumber(Self.left + grid / 2), "y": "14", "text-anchor": "middle", "class": "axis-title"]
            ) { "destination rank" }
            XMLNode.element(
                "text",
                [
                    "x": svgNumber(-(Self.top + grid / 2)), "y": "16", "text-anchor": "middle", "class": "axis-title",
                    "transform": "rotate(-90)",
                ]
            ) { "source rank" }
            for rank in 0..<ranks {
                let centre = Double(rank) * size + size / 2
                XMLNode.element(
                    "text",
                    ["x": svgNumber(Self.left + centre), "y": svgNumber(Self.top - 8), "text-anchor": "middle"]
                ) { "\(rank)" }
                XMLNode.element(
                    "text",
                    ["x": svgNumber(Self.left - 8), "y": svgNumber(Self.top + centre + 4), "text-anchor": "end"]
                ) { "\(rank)" }
            }
            for source in 0..<ranks {
                for destination in 0..<ranks {
                    let x = Self.left + Double(destination) * size
                    let y = Self.top + Double(source) * size
                    let value = cells[source]?[destination]
                    let fill = value.map { Self.colour(fraction($0)) } ?? "url(#\(id)-none)"
                    XMLNode.element("g", ["class": "cell"]) {
                        XMLNode.element("title") {
                            "rank \(source) → rank \(destination): "
                                + (value.map { "\(Figures.number($0)) GB/s" }
                                    ?? (source == destination ? "no copy" : "not measured"))
                        }
                        XMLNode.element(
                            "rect",
                            [
                                "x": svgNumber(x), "y": svgNumber(y), "width": svgNumber(size),
                                "height": svgNumber(size),
                                "fill": fill, "stroke": "#fff", "stroke-width": "1",
                            ]
                        )
                        if let value, size >= Self.minValueCell {
                            XMLNode.element(
                                "text",
                                [
                                    "x": svgNumber(x + size / 2), "y": svgNumber(y + size / 2 + 4),
                                    "text-anchor": "middle",
                                    "class": "cell-value",
                                ]
                            ) { Figures.significant(value) }
                        }
                    }
                }
            }
            let barX = Self.left + grid + Self.legendGap
            XMLNode.element("g", ["class": "legend"]) {
                XMLNode.element(
                    "rect",
                    [
                        "x": svgNumber(barX), "y": svgNumber(Self.top), "width": svgNumber(Self.legendWidth),
                        "height": svgNumber(grid), "fill": "url(#\(id)-scale)", "stroke": "#8a939b",
                        "stroke-width": "1",
                    ]
                )
                XMLNode.element("text", ["x": svgNumber(barX), "y": svgNumber(Self.top - 8)]) { "GB/s" }
                XMLNode.element("text", ["x": svgNumber(barX + Self.legendWidth + 6), "y": svgNumber(Self.top + 10)]) {
                    "\(Figures.significant(high)) max"
                }
                XMLNode.element("text", ["x": svgNumber(barX + Self.legendWidth + 6), "y": svgNumber(Self.top + grid)])
                { "\(Figures.significant(low)) min" }
            }
        }
    }
}
