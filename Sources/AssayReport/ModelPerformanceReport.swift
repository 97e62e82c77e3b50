import AssayCore

extension ReportModel {
    /// Model performance cases that ran far enough to have figures, in plan order.
    public var modelPerformance: [CaseResult] { record.cases.filter { $0.modelPerformance != nil } }

    /// The columns of a model performance row, in every report format.
    static let modelPerformanceHeader = [
        "case", "execution", "phase", "tokens/run", "latency (median)", "tokens/s", "per token", "GFLOP/run",
        "% of peak", "bound", "peak memory", "outcome",
    ]

    /// One model performance case's cells (the first the case id, the last the outcome).
    static func modelPerformanceCells(_ result: CaseResult) -> [String] {
        let figures = result.modelPerformance!
        let performance = result.performance
        return [
            result.id.description, figures.execution, figures.phase.rawValue, "\(figures.tokens)",
            figures.latencyMilliseconds.map { Figures.duration(nanoseconds: $0 * 1e6) } ?? "—",
            figures.tokensPerSecond.map { Figures.rate($0, unit: "tok/s") } ?? "—",
            figures.millisecondsPerToken.map { Figures.duration(nanoseconds: $0 * 1e6) } ?? "—",
            Figures.number((figures.flops / 1e9 * 1000).rounded() / 1000),
            performance.map { Figures.ceilingPercent($0.percentOfPeak, of: $0) } ?? "—",
            performance?.bound?.rawValue ?? "—",
            figures.peakBytes.map { Figures.rate($0, unit: "B") } ?? "not reported",
            result.outcome.rawValue,
        ]
    }

    /// Tokens/s against the tokens in context (prefill: the sequence; decode: the cache's
    /// context), one line per graph, dtype, phase, batch and execution.
    var tokensPerSecondChart: LogLogSeriesChart {
        var grouped: [String: [(Double, Double)]] = [:]
        for result in modelPerformance {
            let figures = result.modelPerformance!
            guard let rate = figures.tokensPerSecond, rate > 0, rate.isFinite,
                let context = figures.dims[figures.phase == .prefill ? "seq" : "ctx"]
            else { continue }
            let label =
                "\(figures.graph) \(result.dtype) \(figures.phase.rawValue)"
                + (figures.dims["batch"].map { " batch \($0)" } ?? "") + " (\(figures.execution))"
            grouped[label, default: []].append((Double(context), rate))
        }
        return LogLogSeriesChart(
            kind: "tokens",
            label: "Model tokens per second against context",
            title: "Models: tokens/s against tokens in context (prefill: sequence; decode: cache context), log-log",
            xTitle: "tokens in context (prefill: seq; decode: ctx)",
            series: LogLogSeriesChart.Series.sorted(grouped),
            roof: nil,
            xTick: { Figures.number($0) },
            yTick: { Figures.rate($0, unit: "tok/s") },
            describe: { "\(Figures.number($0)) → \(Figures.rate($1, unit: "tok/s"))" }
        )
    }
}

extension HTMLReport {
    /// Model performance: each case's tokens/s, latency and time per token, its roofline
    /// position and memory, and tokens/s against context.
    var modelPerformanceSection: XMLNode {
        let chart = model.tokensPerSecondChart
        return .element("section", ["id": "model-performance"]) {
            XMLNode.element("h2") { "Model performance" }
            XMLNode.element("p", ["class": "muted"]) {
                "Each graph timed like an op (the same sampler, rounds and roofline; docs/FORMATS.md, \"Model performance\"): "
                    + "latency is the median time of one run; tokens/s = tokens per run / latency (prefill: batch × seq; "
                    + "decode: one token per sequence, so its latency is the time per output token). FLOPs and bytes "
                    + "are the graph's own; peak memory is the backend allocator's, where it reports one."
            }
            Self.table(
                ReportModel.modelPerformanceHeader,
                class: "perf",
                numeric: [3, 4, 5, 6, 7, 8],
                rows: model.modelPerformance.map { result in
                    let cells = ReportModel.modelPerformanceCells(result)
                    return [Self.code(cells[0])] + cells.dropFirst().dropLast().map { XMLNode.text($0) }
                        + [Self.outcome(result.outcome)]
                }
            )
            if !chart.isEmpty {
                XMLNode.element("h3") { "Tokens per second" }
                chart.svg()
            }
        }
    }
}

extension MarkdownReport {
    /// The model performance table (every case: a model suite is a handful of cases).
    var modelPerformanceTable: MarkdownTable {
        var table = MarkdownTable(ReportModel.modelPerformanceHeader, rightAligned: [3, 4, 5, 6, 7, 8])
        for result in model.modelPerformance { table.append(ReportModel.modelPerformanceCells(result)) }
        return table
    }
}
