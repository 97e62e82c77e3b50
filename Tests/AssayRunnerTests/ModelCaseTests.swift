import AssayBackend
import AssayBench
import AssayWorkspace
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// A backend with one wrong op inside a decoder layer, around the native one: rotary embedding
/// with the other pairing convention (adjacent pairs instead of halves), or softmax-bearing
/// attention computed without subtracting the row maximum.
final class WrongOpBackend: Backend {
    enum Fault { case ropePairing }
    let fault: Fault
    let inner = NativeCPUBackend(threads: 1)
    init(_ fault: Fault) { self.fault = fault }

    func describe() throws -> BackendIdentity { try inner.describe() }
    func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] { try inner.benchmark(request) }
    func shutdown() {}

    func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        guard problem.op == "rotary_embedding" else { return try inner.execute(problem, inputs: inputs) }
        var other = problem
        other.attrs["interleaved"] = .bool(!(problem.attrs["interleaved"]?.boolValue ?? false))
        return try inner.execute(other, inputs: inputs)
    }
}

@Suite(.serialized) struct ModelCaseTests {
    static let locator = ResourceLocator(
        workspace: Workspace(root: nil, home: nil, currentDirectory: URL(fileURLWithPath: "/nonexistent"))
    )

    /// The built-in models suite's cases whose graph is `graph` (all when nil).
    func cases(_ graph: String? = nil, suite: String = "models") throws -> [PlannedCase] {
        let file = try Self.locator.locate(suite, kind: .suite)
        let parsed = try Suite.parse(text: file.text, file: file.displayName, validator: OpCatalogue.standard)
        return try SuiteExpander.expand(parsed, catalogue: .standard) { try Self.locator.locate($0, kind: .model) }
            .filter { graph == nil || $0.id.op == graph }
    }

    func run(_ cases: [PlannedCase], on backend: Backend) throws -> [CaseResult] {
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: nil,
            systemChecker: nil
        )
        return cases.map(executor.run)
    }

    @Test(arguments: (ProcessInfo.processInfo.environment["MODELS"] ?? "qwen2-0.5b-decoder-layer").split(separator: ",").map(String.init))
    func nativePassesTheModelsSuite(graph: String) throws {
        let results = try run(try cases(graph), on: NativeCPUBackend())
        #expect(!results.isEmpty)
        for result in results {
            let clock = ContinuousClock.now
            _ = clock
            print("MODEL \(result.id) \(result.outcome) \(result.seconds)s \(result.message ?? "")")
            if let model = result.model {
                for o in model.outputs { print("  \(o.name) maxRel=\(o.maxRelError) meanRel=\(o.meanRelError) cos=\(o.cosine) top1=\(o.top1Agreement ?? -1) kl=\(o.klDivergence ?? -1)") }
                if let g = model.greedy { print("  greedy \(g.matchingSteps)/\(g.steps) \(g.expectedTokens) \(g.actualTokens)") }
            }
            #expect(result.outcome == .pass, "\(result.id): \(result.message ?? "")")
            #expect(result.model?.execution == "in-process")
        }
    }
}
