import Foundation

/// Maps values onto one pixel axis of an SVG chart, linearly or by decades.
struct ChartScale: Sendable {
    let low: Double
    let high: Double
    /// Pixel positions of `low` and `high` (for a y axis, `from` is the bottom).
    let from: Double
    let to: Double
    let logarithmic: Bool

    /// A log axis over whole decades covering `values` (positive, finite ones), padded by `pad`×.
    static func decades(
        covering values: [Double],
        pad: Double = 2,
        maxDecades: Int = 9,
        from: Double,
        to: Double
    ) -> ChartScale {
        let usable = values.filter { $0.isFinite && $0 > 0 }
        guard let minimum = usable.min(), let maximum = usable.max() else {
            return ChartScale(low: 1, high: 1000, from: from, to: to, logarithmic: true)
        }
        let top = ceil(log10(maximum * pad))
        let bottom = max(floor(log10(minimum / pad)), top - Double(maxDecades))
        return ChartScale(
            low: pow(10, bottom),
            high: pow(10, max(top, bottom + 1)),
            from: from,
            to: to,
            logarithmic: true
        )
    }

    /// A linear axis over [min, max] of `values`, padded by 5% of the span each side.
    static func linear(covering values: [Double], from: Double, to: Double) -> ChartScale {
        let usable = values.filter(\.isFinite)
        let minimum = usable.min() ?? 0
        let maximum = usable.max() ?? 1
        let span = maximum > minimum ? maximum - minimum : max(abs(maximum), 1)
        return ChartScale(
            low: minimum - 0.05 * span,
            high: maximum + 0.05 * span,
            from: from,
            to: to,
            logarithmic: false
        )
    }

    func contains(_ value: Double) -> Bool {
        value.isFinite && value >= low && value <= high && (!logarithmic || value > 0)
    }

    /// Pixel position of `value`, clamped to the axis.
    func position(_ value: Double) -> Double {
        let fraction: Double
        if logarithmic {
            let safe = value > 0 && value.isFinite ? value : low
            fraction = (log10(safe) - log10(low)) / (log10(high) - log10(low))
        } else {
            fraction = (value - low) / (high - low)
        }
        return from + (to - from) * min(1, max(0, fraction.isFinite ? fraction : 0))
    }

    /// Decade ticks of a log axis.
    var decadeTicks: [Double] {
        guard logarithmic else { return [] }
        return stride(from: log10(low), through: log10(high) + 1e-9, by: 1).map { pow(10, $0.rounded()) }
    }
}

/// Coordinates in SVG attributes: short, and never "nan".
func svgNumber(_ value: Double) -> String {
    value.isFinite ? String(format: "%.1f", value) : "0"
}
