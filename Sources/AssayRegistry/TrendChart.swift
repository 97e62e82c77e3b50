import AssayCore
import Foundation

/// An inline SVG line chart of one performance case across runs: median time per run with its
/// CI as a bar, points labelled by run and versions (hover), and a tick wherever a declared
/// version changed, so a driver or SDK upgrade is seen at the point it happened.
enum TrendChart {
    static let width = 640.0, height = 220.0
    static let left = 70.0, right = 20.0, top = 16.0, bottom = 46.0

    static func svg(caseID: String, points: [TrendPoint]) -> String {
        let measured = points.filter { $0.medianNanoseconds != nil }
        guard !measured.isEmpty else { return "<p class=\"muted\">no measurement</p>" }
        let values = measured.flatMap {
            [$0.ciLowNanoseconds, $0.medianNanoseconds, $0.ciHighNanoseconds].compactMap { $0 }
        }
        var low = values.min()!
        var high = values.max()!
        if high - low < high * 1e-9 {
            low *= 0.9
            high = high * 1.1 + 1e-9
        }
        let padding = (high - low) * 0.08
        low = max(0, low - padding)
        high += padding
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        func x(_ index: Int) -> Double {
            measured.count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(measured.count - 1)
        }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        var parts: [String] = []
        parts.append(
            "<svg class=\"trend\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
        )
        parts.append("<title>\(Markup.escape(caseID)): median time per run</title>")
        parts.append(
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
        )
        for step in 0...4 {
            let value = low + (high - low) * Double(step) / 4
            parts.append(
                "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(format(y(value)))\" y2=\"\(format(y(value)))\" stroke=\"#e4e4e4\"/>"
            )
            parts.append(
                "<text x=\"\(left - 6)\" y=\"\(format(y(value) + 4))\" text-anchor=\"end\" font-size=\"11\">\(Markup.escape(duration(value)))</text>"
            )
        }
        var previous: [String: String]?
        for (index, point) in measured.enumerated() {
            let changed =
                previous.map { old in
                    point.versions.filter { old[$0.key] != $0.value }.map { "\($0.key) \($0.value)" }.sorted()
                } ?? []
            if !changed.isEmpty {
                parts.append(
                    "<line x1=\"\(format(x(index)))\" x2=\"\(format(x(index)))\" y1=\"\(top)\" y2=\"\(top + plotHeight)\" stroke=\"#d08c00\" stroke-dasharray=\"3 3\"><title>\(Markup.escape(changed.joined(separator: ", ")))</title></line>"
                )
                parts.append(
                    "<text x=\"\(format(x(index)))\" y=\"\(format(height - 8))\" text-anchor=\"middle\" font-size=\"10\" fill=\"#a06c00\">\(Markup.escape(String(changed.joined(separator: ", ").prefix(28))))</text>"
                )
            }
            previous = point.versions
        }
        let path = measured.enumerated().map {
            "\($0.offset == 0 ? "M" : "L")\(format(x($0.offset))),\(format(y($0.element.medianNanoseconds!)))"
        }.joined(separator: " ")
        parts.append("<path d=\"\(path)\" fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"1.5\"/>")
        for (index, point) in measured.enumerated() {
            let median = point.medianNanoseconds!
            if let ciLow = point.ciLowNanoseconds, let ciHigh = point.ciHighNanoseconds {
                parts.append(
                    "<line x1=\"\(format(x(index)))\" x2=\"\(format(x(index)))\" y1=\"\(format(y(ciLow)))\" y2=\"\(format(y(ciHigh)))\" stroke=\"#2b6cb0\" stroke-opacity=\"0.5\" stroke-width=\"3\"/>"
                )
            }
            let versions = point.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", "
            )
            parts.append(
                "<circle cx=\"\(format(x(index)))\" cy=\"\(format(y(median)))\" r=\"3.5\" fill=\"#2b6cb0\"><title>\(Markup.escape("\(point.runID) (\(point.startedAt.prefix(10))): \(duration(median)); \(versions)"))</title></circle>"
            )
        }
        parts.append(
            "<text x=\"\(left)\" y=\"\(format(height - 24))\" font-size=\"10\">\(Markup.escape(String(measured.first!.startedAt.prefix(10))))</text>"
        )
        parts.append(
            "<text x=\"\(left + plotWidth)\" y=\"\(format(height - 24))\" text-anchor=\"end\" font-size=\"10\">\(Markup.escape(String(measured.last!.startedAt.prefix(10))))</text>"
        )
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func duration(_ nanoseconds: Double) -> String {
        switch nanoseconds {
        case 1e9...: return String(format: "%.3g s", nanoseconds / 1e9)
        case 1e6...: return String(format: "%.3g ms", nanoseconds / 1e6)
        case 1e3...: return String(format: "%.3g µs", nanoseconds / 1e3)
        default: return String(format: "%.3g ns", nanoseconds)
        }
    }
}
