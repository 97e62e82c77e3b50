import AssayBackend
import AssayBench
import AssayPlanning
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// The native backend with flush-to-zero: every subnormal result becomes a zero of its sign,
/// as a CPU with FTZ set (or XLA:CPU) returns it.
final class FlushToZeroBackend: Backend {
    let inner = NativeCPUBackend(threads: 1)
    func describe() throws -> BackendIdentity { try inner.describe() }
    func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] { try inner.benchmark(request) }
    func shutdown() {}

    func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        try inner.execute(problem, inputs: inputs).map { output in
            let dtype = output.dtype
            let flushed = output.values().map { abs($0) < dtype.minNormal ? ($0.sign == .minus ? -0.0 : 0.0) : $0 }
            return Tensor(dtype: dtype, shape: output.shape, values: flushed)
        }
    }
}

@Suite("Subnormal conformance cases")
struct SubnormalCasesTests {
    /// The subnormal family at the end of the shipped Suites/conformance.yaml, expanded.
    static func family() throws -> [PlannedCase] {
        let text = try String(
            contentsOf: Repository.root.appendingPathComponent("Suites/conformance.yaml"),
            encoding: .utf8
        )
        var suite = try Suite.parse(text: text, file: "Suites/conformance.yaml", validator: OpCatalogue.standard)
        suite.entries = suite.entries.filter { $0.values == [.subnormal] }
        return try SuiteExpander.expand(suite, catalogue: .standard)
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

    @Test("the family covers relu, copy, add and mul in f64, f32, f16 and bf16")
    func coverage() throws {
        let cases = try Self.family()
        let ops = cases.compactMap(\.opCase)
        #expect(Set(ops.map(\.op.name)) == ["relu", "copy", "add", "mul"])
        #expect(Set(ops.map(\.dtype)) == [.f64, .f32, .f16, .bf16])
        #expect(cases.count == 16 && cases.allSatisfy { $0.id.description.hasSuffix("values=subnormal") })
    }

    @Test("inputs and outputs are subnormal: the first input all, the second every other element")
    func inputsAreSubnormal() throws {
        for dtype in [DType.f64, .f32, .f16, .bf16] {
            let problem = try OpCatalogue.standard.problem(
                op: "mul",
                params: ["a": .ints([9, 7]), "b": .ints([9, 7])],
                attrs: [:],
                dtype: dtype
            )
            let inputs = InputGenerator.inputs(for: problem, values: .subnormal, seed: 7, caseID: "c", specials: .all)
            let first = inputs[0].values()
            let second = inputs[1].values()
            #expect(first.allSatisfy { $0 != 0 && abs($0) < dtype.minNormal }, "\(dtype)")
            #expect(
                first.prefix(4) == [
                    dtype.minSubnormal, -dtype.minSubnormal, dtype.minNormal - dtype.minSubnormal,
                    dtype.minSubnormal - dtype.minNormal,
                ]
            )
            #expect(
                second.enumerated().allSatisfy {
                    $0.offset % 2 == 0 ? abs($0.element) < dtype.minNormal : (1..<2).contains(abs($0.element))
                }
            )
            let reference = try OpCatalogue.standard.op(named: "mul").reference(
                problem,
                inputs: inputs.map(RefTensor.init)
            )
            #expect(
                reference.data.contains { $0 != 0 && abs(dtype.round($0)) < dtype.minNormal },
                "\(dtype): no subnormal product"
            )
        }
    }

    @Test("the native backend passes every subnormal case")
    func honestBackendPasses() throws {
        let results = try run(try Self.family(), on: NativeCPUBackend(threads: 1))
        let failed = results.filter { $0.outcome != .pass }.map { "\($0.id): \($0.message ?? "")" }
        #expect(failed.isEmpty, "\(failed)")
    }

    @Test("a flush-to-zero backend fails every one, the message naming flush-to-zero, the evidence keeping -0")
    func flushToZeroFails() throws {
        let results = try run(try Self.family(), on: FlushToZeroBackend())
        for result in results {
            #expect(result.outcome == .fail, "\(result.id)")
            #expect(result.message?.contains("flush-to-zero:") == true, "\(result.id): \(result.message ?? "")")
        }
        // relu of -subnormal is 0 either way; copy of a negative subnormal comes back as -0.
        // Four one-element rows (+min, -min, +max, -max subnormal): the quoted samples span rows.
        let rows = try Suite.parse(
            text: "id: t\ncases:\n  - {op: copy, dtypes: [f32], shapes: [{shape: [4, 1]}], values: [subnormal]}\n",
            file: "t.yaml",
            validator: OpCatalogue.standard
        )
        let copy = try #require(
            try run(try SuiteExpander.expand(rows, catalogue: .standard), on: FlushToZeroBackend()).first
        )
        let negative = try #require(copy.evidence?.samples.first { $0.expected < 0 }, "\(copy.evidence?.samples ?? [])")
        #expect(negative.actual == 0 && negative.actual.sign == .minus)
        let decoded = try JSONDecoder().decode(ConformanceEvidence.self, from: try JSONEncoder().encode(copy.evidence))
        #expect(decoded.samples.first { $0.expected < 0 }?.actual.sign == .minus)
        // relu is judged bit for bit (docs/OPS.md, "Error model"), so the special-value case, which
        // holds the smallest subnormal, catches the flush as well.
        let standard = try Suite.parse(
            text: "id: t\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [64]}], values: [special]}\n",
            file: "t.yaml",
            validator: OpCatalogue.standard
        )
        #expect(
            try run(try SuiteExpander.expand(standard, catalogue: .standard), on: FlushToZeroBackend()).map(\.outcome)
                == [.fail]
        )
    }

    @Test("the note counts only subnormal references that came back as zero")
    func noteCounts() {
        let tiny = DType.f32.minSubnormal
        #expect(
            SubnormalFlush.flushedCount(
                expected: [tiny, -tiny, 0, 1, tiny],
                actual: [0, -0.0, 0, 0, tiny],
                dtype: .f32
            ) == 2
        )
        #expect(SubnormalFlush.note(expected: [1], actual: [0], dtype: .f32) == nil)
        #expect(
            SubnormalFlush.note(expected: [tiny], actual: [0], dtype: .f32)?.contains(
                "1 subnormal f32 result came back as 0"
            ) == true
        )
    }
}
