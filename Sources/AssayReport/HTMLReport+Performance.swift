import AssayCore

extension HTMLReport {
    /// The performance table, the roofline, and each case's raw samples.
    var performanceSection: XMLNode {
        let chart = RooflineChart(ceilings: model.ceilings, cases: model.performance)
        return .element("section", ["id": "performance"]) {
            XMLNode.element("h2") { "Performance" }
            Self.table(
                [
                    "case", "median", "95% CI", "CV", "n × k", "throughput", "% of peak", "% of roofline", "bound",
                    "converged", "telemetry", "throttling",
                ],
                class: "perf",
                numeric: [1, 2, 3, 4, 5, 6, 7],
                rows: model.performance.map(performanceRow)
            )
            XMLNode.element("h3") { "Roofline" }
            if chart.points.isEmpty && model.ceilings.compute.isEmpty {
                XMLNode.element("p", ["class": "muted"]) {
                    "No case with FLOPs and no compute ceiling: nothing to place on a roofline."
                }
            } else {
                chart.svg()
                if model.ceilings.bandwidth == nil || model.ceilings.compute.isEmpty {
                    XMLNode.element("p", ["class": "muted"]) {
                        "Ceilings incomplete (no \(model.ceilings.bandwidth == nil ? "memory bandwidth" : "compute peak") declared or measured)."
                    }
                }
            }
            if !chart.memoryOnly.isEmpty { memoryOnlyTable(chart.memoryOnly) }
            XMLNode.element("h3") { "Sample distributions" }
            XMLNode.element("p", ["class": "muted"]) {
                "Every raw sample (time per call) as a dot; shaded box p25–p75, amber band the median's 95% CI, red line the median."
            }
            for result in model.performance {
                if let performance = result.performance {
                    XMLNode.element("div", ["class": "case-perf", "id": anchor(of: result)]) {
                        XMLNode.element("h4") { Self.code(result.id.description) }
                        XMLNode.element("p", ["class": "muted"]) { Self.sampleCaption(performance) }
                        SampleStrip(performance: performance).svg()
                    }
                }
            }
        }
    }

    private func performanceRow(_ result: CaseResult) -> [XMLNode] {
        guard let performance = result.performance else { return [] }
        let summary = performance.summary
        return [
            .element("a", ["href": "#\(anchor(of: result))"]) { Self.code(result.id.description) },
            .text(Figures.duration(nanoseconds: summary.median)),
            .text(
                "\(Figures.duration(nanoseconds: summary.medianCILow)) – \(Figures.duration(nanoseconds: summary.medianCIHigh))"
                    + " (±\(Figures.percent(100 * summary.medianCIRelativeHalfWidth)))"
            ),
            .text(Figures.percent(100 * summary.cv)),
            .text("\(performance.n) × \(performance.k)"),
            .text(ReportModel.throughput(performance) ?? "—"),
            .text(Figures.ceilingPercent(performance.percentOfPeak, of: performance)),
            .text(Figures.ceilingPercent(performance.percentOfRoofline, of: performance)),
            .text(
                performance.bound.map {
                    "\($0.rawValue)" + (performance.ceilingSource.map { " (\($0.rawValue))" } ?? "")
                } ?? "—"
            ),
            .element("span", ["class": performance.converged ? "o-pass" : "o-waived"]) {
                performance.converged ? "yes: \(performance.stopReason)" : "no: \(performance.stopReason)"
            },
            .text(Self.telemetryText(performance.telemetry) ?? "—"),
            performance.limited
                ? .element("span", ["class": "flag"]) { "limited: \(performance.limitReason ?? "throttled")" }
                : .text(performance.lowClockSamples.map { "no (\($0) low-clock samples)" } ?? "no"),
        ]
    }

    /// Ops without arithmetic, judged against the bandwidth ceiling only.
    private func memoryOnlyTable(_ cases: [CaseResult]) -> XMLNode {
        let bandwidth = model.ceilings.bandwidth?.value
        return .element("div") {
            XMLNode.element("p") { "Ops without FLOPs (no place on a FLOP/s axis), against memory bandwidth:" }
            Self.table(
                ["case", "bytes/s", "% of bandwidth", ""],
                numeric: [1, 2],
                rows: cases.map { result in
                    let rate = result.performance?.bytesPerSecond ?? 0
                    let fraction = bandwidth.map { rate / $0 }
                    return [
                        Self.code(result.id.description), .text(Figures.rate(rate, unit: "B/s")),
                        .text(fraction.map { Figures.percent(100 * $0) } ?? "—"),
                        .element("span", ["class": "bar-track"]) {
                            XMLNode.element(
                                "span",
                                ["class": "bar", "style": "width: \(svgNumber(100 * min(1, max(0, fraction ?? 0))))%"]
                            )
                        },
                    ]
                }
            )
        }
    }

    static func sampleCaption(_ performance: PerformanceRecord) -> String {
        let summary = performance.summary
        var parts = [
            "n = \(summary.n) samples of k = \(performance.k) call\(performance.k == 1 ? "" : "s") (\(performance.mode.rawValue), \(performance.timerKind.rawValue) timer)",
            "median \(Figures.duration(nanoseconds: summary.median))",
            "min \(Figures.duration(nanoseconds: summary.min)), max \(Figures.duration(nanoseconds: summary.max))",
            "outliers \(summary.mildOutliers) mild, \(summary.severeOutliers) severe",
        ]
        if performance.samples.count > SampleStrip.maxDots {
            parts.append("\(SampleStrip.maxDots) of \(performance.samples.count) samples drawn")
        }
        return parts.joined(separator: "; ")
    }

    /// `SM 1410–1980 MHz, 300–698 W, 45–71 °C`.
    static func telemetryText(_ ranges: TelemetrySample.Ranges?) -> String? {
        guard let ranges else { return nil }
        func range(_ interval: TelemetrySample.Interval?, _ label: String, _ unit: String) -> String? {
            interval.map { "\(label)\(Figures.number($0.min))–\(Figures.number($0.max)) \(unit)" }
        }
        let parts = [
            range(ranges.smClockMHz, "SM ", "MHz"), range(ranges.memClockMHz, "mem ", "MHz"),
            range(ranges.powerWatts, "", "W"), range(ranges.temperatureC, "", "°C"),
        ].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
