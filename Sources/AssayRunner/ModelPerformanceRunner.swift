import AssayBackend
import AssayBench
import AssayCore
import AssayGraph
import AssayPlanning

/// Times a model performance case: the graph loaded once through the backend's graph executor
/// (its own, in process, or node by node), then `benchmarkGraph` driven by the same sampler,
/// stopping rule and rounds as an op performance case; the record placed on the dtype's
/// roofline from the graph's FLOPs and bytes, and the model figures (tokens/s, latency, time per
/// token, allocator peak) from its median.
struct ModelPerformanceRunner {
    let performance: SampledPerformanceRunner

    /// One round; with `previous`, appended to that record as its next round.
    func run(_ work: GraphCase, into result: inout CaseResult, continuing previous: PerformanceRecord? = nil) throws {
        let graph = work.graph
        let executor = GraphExecution.executor(for: performance.backend)
        if let reason = ModelCaseRunner.unsupported(graph, by: executor, identity: performance.identity) {
            result.outcome = .unsupported
            result.message = reason
            return
        }
        let (sampled, peak) = try ModelPerformanceRunner.sample(work, on: executor, identity: performance.identity)
        let record = performance.judged(
            previous.map { $0.appendingRound(sampled) } ?? sampled,
            flops: graph.flops,
            bytes: graph.minimumBytes,
            dtype: work.dtype
        )
        var figures = ModelPerformance(
            graph: graph.id,
            dims: graph.dims,
            execution: executor.graphExecution.rawValue,
            phase: work.phase ?? .prefill,
            tokens: work.tokens,
            flops: graph.flops,
            bytes: graph.minimumBytes,
            nodeBytes: graph.nodeBytes
        )
        figures.graphSHA256 = work.graphSHA256
        if record.n > 0 { figures.apply(medianNanoseconds: record.summary.median) }
        // An earlier round's peak stands when this round's backend reported none.
        figures.peakBytes = [peak, result.modelPerformance?.peakBytes].compactMap { $0 }.max()
        if figures.peakBytes == nil {
            figures.peakNote =
                "not reported: the \(executor.graphExecution.rawValue) executor reports no allocator peak"
        }
        result.performance = record
        result.modelPerformance = figures
    }

    /// One round of the graph's samples: loaded once through `executor`, then `benchmarkGraph`
    /// driven by the sampler with the case's settings; with the largest allocator peak the
    /// backend reported. The run and the gate's `--confirm` re-run (`CaseRemeasurer`) share it.
    static func sample(
        _ work: GraphCase,
        on executor: any GraphExecuting,
        identity: BackendIdentity
    ) throws -> (PerformanceRecord, peakBytes: Double?) {
        let inputs = GraphInputs.values(of: work.graph, seed: work.seed)
        let handle = try executor.loadGraph(work.graph, weights: try ModelCaseRunner.weights(of: work))
        defer { try? executor.unloadGraph(handle) }
        var peak: Double?
        let sampled = try SampledPerformanceRunner.sample(identity: identity, settings: work.performance) {
            k,
            samples in
            let measured = try executor.benchmarkGraph(
                GraphBenchmarkRequest(
                    handle: handle,
                    inputs: inputs,
                    mode: work.performance.mode,
                    k: k,
                    samples: samples
                )
            )
            if let reported = measured.compactMap(\.peakBytes).max() { peak = max(peak ?? 0, reported) }
            return measured
        }
        return (sampled, peak)
    }
}
