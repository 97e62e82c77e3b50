import AssayCore

/// One performance case's raw samples as an SVG strip: every sample a dot (jittered
/// vertically so repeats stay visible), the interquartile box, the median and its 95% CI.
struct SampleStrip: Sendable {
    let performance: PerformanceRecord
    /// Beyond this many samples an evenly spaced subset is drawn (the caption says so).
    static let maxDots = 2000
    static let width = 680.0, height = 96.0, left = 12.0, right = 12.0

    func svg() -> XMLNode {
        let summary = performance.summary
        let samples = performance.samples.filter(\.isFinite)
        let x = ChartScale.linear(
            covering: samples + [summary.medianCILow, summary.medianCIHigh],
            from: Self.left,
            to: Self.width - Self.right
        )
        let step = max(1, (samples.count + Self.maxDots - 1) / Self.maxDots)
        let band = (top: 10.0, bottom: 62.0)
        return .element(
            "svg",
            [
                "viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))", "class": "chart strip", "role": "img",
                "aria-label": "Sample distribution",
            ]
        ) {
            XMLNode.element("title") {
                "\(samples.count) samples; median \(Figures.duration(nanoseconds: summary.median)), 95% CI "
                    + "\(Figures.duration(nanoseconds: summary.medianCILow)) – \(Figures.duration(nanoseconds: summary.medianCIHigh))"
            }
            if summary.n > 0 {
                XMLNode.element(
                    "rect",
                    [
                        "x": svgNumber(x.position(summary.p25)), "y": svgNumber(band.top),
                        "width": svgNumber(x.position(summary.p75) - x.position(summary.p25)),
                        "height": svgNumber(band.bottom - band.top), "class": "iqr",
                    ]
                )
                XMLNode.element(
                    "rect",
                    [
                        "x": svgNumber(x.position(summary.medianCILow)), "y": svgNumber(band.top - 4),
                        "width": svgNumber(max(1, x.position(summary.medianCIHigh) - x.position(summary.medianCILow))),
                        "height": svgNumber(band.bottom - band.top + 8), "class": "ci",
                    ]
                )
            }
            for index in stride(from: 0, to: samples.count, by: step) {
                XMLNode.element(
                    "circle",
                    [
                        "cx": svgNumber(x.position(samples[index])),
                        "cy": svgNumber(band.top + 4 + Self.jitter(index) * (band.bottom - band.top - 8)),
                        "r": "2.2", "class": "sample",
                    ]
                )
            }
            if summary.n > 0 {
                let median = svgNumber(x.position(summary.median))
                XMLNode.element(
                    "line",
                    [
                        "x1": median, "y1": svgNumber(band.top - 6), "x2": median, "y2": svgNumber(band.bottom + 6),
                        "class": "median",
                    ]
                )
            }
            XMLNode.element(
                "line",
                [
                    "x1": svgNumber(Self.left), "y1": svgNumber(band.bottom + 10),
                    "x2": svgNumber(Self.width - Self.right),
                    "y2": svgNumber(band.bottom + 10), "class": "baseline",
                ]
            )
            for (value, anchor) in axisLabels(x) {
                if let value {
                    XMLNode.element(
                        "text",
                        ["x": svgNumber(x.position(value)), "y": svgNumber(Self.height - 8), "text-anchor": anchor]
                    ) {
                        Figures.duration(nanoseconds: value)
                    }
                }
            }
        }
    }

    /// Min, median and max under the strip; the median's label is dropped where it would overprint an end's.
    private func axisLabels(_ x: ChartScale) -> [(Double?, String)] {
        let samples = performance.samples.filter(\.isFinite)
        let summary = performance.summary
        let low = samples.min()
        let high = samples.max()
        var median: Double? = summary.n > 0 ? summary.median : nil
        if let m = median,
            [low, high].contains(where: { $0.map { abs(x.position($0) - x.position(m)) < 70 } ?? false })
        {
            median = nil
        }
        return [(low, "start"), (median, "middle"), (high, "end")]
    }

    /// A fixed pseudo-random offset in [0, 1) per sample index, so the picture is reproducible.
    static func jitter(_ index: Int) -> Double {
        var z = UInt64(truncatingIfNeeded: index) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
