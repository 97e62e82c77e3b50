import AssayCore
import AssayGraph
import AssayOps
import AssayWorkspace

/// Where model cases find their graphs: a Models/ id or a path, as ResourceLocator resolves it.
public typealias GraphLocating = @Sendable (String) throws -> LocatedResource

extension SuiteExpander {
    /// A model entry's cases: dims × dtypes, ids `suite/<graph>/<dims>/<dtype>` (`seq=8`, or `-`
    /// for the graph's own sizes). The graph is parsed for each, so its file:line errors surface
    /// at planning.
    static func modelCases(
        _ entry: SuiteEntry,
        suite: Suite,
        catalogue: OpCatalogue,
        performance: PerformanceSettings,
        graphs: GraphLocating?
    ) throws -> [GraphCase] {
        guard let name = entry.graph else { return [] }
        guard let graphs else {
            throw InputError(
                file: suite.id,
                line: entry.line,
                field: "graph",
                message: "model cases need their graph files located (this command does not run models)"
            )
        }
        let located = try graphs(name)
        let digest = Digest.sha256Hex(located.text)
        var cases: [GraphCase] = []
        for dims in entry.dims ?? [[:]] {
            for dtype in entry.dtypes {
                let graph = try Graph.parse(
                    text: located.text,
                    file: located.displayName,
                    catalogue: catalogue,
                    dims: dims,
                    dtype: dtype
                )
                let segment = dims.keys.sorted().map { "\($0)=\(dims[$0]!)" }.joined(separator: ",")
                // As op performance cases: a mode other than warm is part of the identity.
                var idAttrs: AttrMap = [:]
                if entry.phase != nil, entry.mode != nil || performance.mode != .warm {
                    idAttrs["mode"] = .string(performance.mode.rawValue)
                }
                let id = CaseID(
                    suite: suite.id,
                    op: graph.id,
                    shape: segment.isEmpty ? "-" : segment,
                    dtype: dtype.rawValue,
                    attrs: CaseID.attrsSegment(idAttrs)
                )
                if entry.phase == .prefill, graph.dims["seq"] == nil {
                    throw InputError(
                        file: suite.id,
                        line: entry.line,
                        field: "phase",
                        message:
                            "a prefill case needs a graph with a 'seq' dim; \(graph.id) has \(graph.dims.keys.sorted())"
                    )
                }
                if let steps = entry.greedySteps {
                    try graph.checkGreedyDecoding(steps: steps, suite: suite.id, line: entry.line)
                }
                cases.append(
                    GraphCase(
                        id: id,
                        seed: suite.seed ^ SplitMix64.fnv1a64(id.description),
                        graph: graph,
                        dtype: dtype,
                        dims: graph.dims,
                        threshold: entry.thresholds?[dtype.rawValue],
                        phase: entry.phase,
                        greedySteps: entry.greedySteps,
                        graphURL: located.url,
                        graphSHA256: digest,
                        performance: performance
                    )
                )
            }
        }
        return cases
    }
}
