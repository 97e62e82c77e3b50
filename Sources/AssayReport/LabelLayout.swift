/// Places chart labels so that none overlaps another, a marker, or a fixed obstacle, and each
/// stays inside the plot: every label tries a ring of positions around its anchor, nearest
/// first, and takes the first free one. A label with no free position is not drawn on the
/// plot; the caller lists it under the chart instead, so nothing is hidden and nothing overlaps.
///
/// Widths are estimated from the character count at `charWidth` ems: wider than the glyphs of
/// the sans-serif fonts the page names, so the real text fits inside its box.
struct LabelLayout: Sendable {
    struct Box: Sendable, Equatable {
        var x: Double, y: Double, width: Double, height: Double
        var maxX: Double { x + width }
        var maxY: Double { y + height }

        func intersects(_ other: Box) -> Bool {
            x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
        }

        func inside(_ frame: Box) -> Bool { x >= frame.x && y >= frame.y && maxX <= frame.maxX && maxY <= frame.maxY }
    }

    /// Where a placed label's text goes: its box, and the SVG text anchor point (start-anchored, baseline).
    struct Placement: Sendable, Equatable {
        var box: Box
        var textX: Double { box.x }
        var baseline: Double { box.maxY - 0.22 * box.height }
    }

    static let charWidth = 0.64
    let fontSize: Double
    let frame: Box
    private(set) var occupied: [Box]

    init(fontSize: Double, frame: Box, obstacles: [Box]) {
        self.fontSize = fontSize
        self.frame = frame
        self.occupied = obstacles
    }

    static func width(of text: String, fontSize: Double) -> Double { Double(text.count) * fontSize * charWidth }

    /// Takes the first free spot for `text` around (`x`, `y`), or nil when every spot is taken.
    mutating func place(_ text: String, nearX x: Double, y: Double) -> Placement? {
        let width = Self.width(of: text, fontSize: fontSize)
        let height = fontSize * 1.25
        for distance in [8.0, 16, 28, 44] {
            let candidates = [
                Box(x: x + distance, y: y - height / 2, width: width, height: height),  // right
                Box(x: x - distance - width, y: y - height / 2, width: width, height: height),  // left
                Box(x: x - width / 2, y: y - distance - height, width: width, height: height),  // above
                Box(x: x - width / 2, y: y + distance, width: width, height: height),  // below
                Box(x: x + distance * 0.7, y: y - distance * 0.7 - height, width: width, height: height),
                Box(x: x + distance * 0.7, y: y + distance * 0.7, width: width, height: height),
                Box(x: x - distance * 0.7 - width, y: y - distance * 0.7 - height, width: width, height: height),
                Box(x: x - distance * 0.7 - width, y: y + distance * 0.7, width: width, height: height),
            ]
            if let free = candidates.first(where: { $0.inside(frame) && !occupied.contains(where: $0.intersects) }) {
                occupied.append(free)
                return Placement(box: free)
            }
        }
        return nil
    }
}
