import AssayBackend
import AssayBench
import AssayPlanning
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// A backend with one deliberate bug, wrapped around the native one.
final class FaultyBackend: Backend {
    enum Fault { case wrongRounding, wrongAxis, nanNotPropagated, offByOneDimension, ropePairing, negatedLinear }
    let fault: Fault
    let inner = NativeCPUBackend(threads: 1)
    init(_ fault: Fault) { self.fault = fault }

    func describe() throws -> BackendIdentity { try inner.describe() }
    func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] { try inner.benchmark(request) }
    func shutdown() {}

    func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        if fault == .ropePairing {
            // Rotary embedding with the other pairing convention (adjacent pairs, not halves).
            var other = problem
            if problem.op == "rotary_embedding" {
                other.attrs["interleaved"] = .bool(!(problem.attrs["interleaved"]?.boolValue ?? false))
            }
            return try inner.execute(other, inputs: inputs)
        }
        let output = try inner.execute(problem, inputs: inputs)[0]
        switch fault {
        case .wrongRounding:
            // Computes f16 at bf16 precision: the kind of bug a mis-set rounding mode makes.
            return [
                Tensor(dtype: output.dtype, shape: output.shape, values: output.values().map { DType.bf16.round($0) })
            ]
        case .wrongAxis:
            var problemOnAxis0 = problem
            problemOnAxis0.attrs["axis"] = .int(0)
            return try inner.execute(problemOnAxis0, inputs: inputs)
        case .nanNotPropagated:
            return [Tensor(dtype: output.dtype, shape: output.shape, values: output.values().map { $0.isNaN ? 0 : $0 })]
        case .ropePairing:
            return [output]
        case .negatedLinear:
            // A sign error in one op: the largest logit becomes the smallest.
            guard problem.op == "linear" else { return [output] }
            return [Tensor(dtype: output.dtype, shape: output.shape, values: output.values().map { -$0 })]
        case .offByOneDimension:
            var dims = output.shape.dims
            dims[0] -= 1
            let kept = Array(output.values().prefix(dims.reduce(1, *)))
            return [Tensor(dtype: output.dtype, shape: Shape(dims), values: kept)]
        }
    }
}

@Suite struct FaultyBackendTests {
    func run(_ suiteText: String, on backend: Backend) throws -> [CaseResult] {
        let suite = try Suite.parse(text: suiteText, file: "test.yaml", validator: OpCatalogue.standard)
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: nil,
            systemChecker: nil
        )
        return try SuiteExpander.expand(suite, catalogue: .standard).map(executor.run)
    }

    @Test func theHonestBackendPasses() throws {
        let results = try run(
            """
            id: t
            cases:
              - {op: matmul, dtypes: [f16], shapes: [{m: 8, n: 8, k: 16}]}
              - {op: softmax, dtypes: [f32], shapes: [{shape: [4, 6]}]}
              - {op: relu, dtypes: [f32], shapes: [{shape: [64]}], values: [special]}
              - {op: transpose, dtypes: [f32, f64], shapes: [{shape: []}, {shape: [2, 3, 4]}]}
            """,
            on: NativeCPUBackend(threads: 1)
        )
        #expect(results.map(\.outcome) == Array(repeating: .pass, count: 7))
    }

    @Test func wrongRoundingFailsWithEvidence() throws {
        let result = try #require(
            try run(
                "id: t\ncases:\n  - {op: matmul, dtypes: [f16], shapes: [{m: 16, n: 16, k: 32}]}\n",
                on: FaultyBackend(.wrongRounding)
            ).first
        )
        #expect(result.outcome == .fail)
        let evidence = try #require(result.evidence)
        #expect(evidence.mismatches > 0 && evidence.maxRelError > evidence.rtol)
        #expect(evidence.worstIndex?.count == 2)
        #expect(!evidence.samples.isEmpty)
    }

    @Test func wrongAxisFails() throws {
        let result = try #require(
            try run(
                "id: t\ncases:\n  - {op: softmax, dtypes: [f32], shapes: [{shape: [4, 6]}]}\n",
                on: FaultyBackend(.wrongAxis)
            ).first
        )
        #expect(result.outcome == .fail)
        #expect((result.evidence?.mismatchFraction ?? 0) > 0.5)
    }

    @Test func nanNotPropagatedFailsOnSpecialValues() throws {
        let results = try run(
            "id: t\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [64]}], values: [random, special]}\n",
            on: FaultyBackend(.nanNotPropagated)
        )
        #expect(results.map(\.outcome) == [.pass, .fail])
        let sample = try #require(results[1].evidence?.samples.first)
        #expect(sample.expected.isNaN && sample.actual == 0)
    }

    @Test func offByOneDimensionIsAStructuralFailure() throws {
        let result = try #require(
            try run(
                "id: t\ncases:\n  - {op: matmul, dtypes: [f32], shapes: [{m: 8, n: 4, k: 4}]}\n",
                on: FaultyBackend(.offByOneDimension)
            ).first
        )
        #expect(result.outcome == .fail)
        #expect(result.evidence?.structural.first?.contains("shape: expected 8x4, got 7x4") == true)
    }

    @Test func waiversTurnFailuresIntoWaivedUntilTheyExpire() throws {
        var result = try #require(
            try run(
                "id: t\ncases:\n  - {op: softmax, dtypes: [f32], shapes: [{shape: [4, 6]}]}\n",
                on: FaultyBackend(.wrongAxis)
            ).first
        )
        var expired = result
        let waiver = Waiver(
            pattern: "t/softmax/*",
            category: .knownBug,
            reference: "BUG-7",
            reason: "axis bug",
            expires: Date(timeIntervalSinceNow: 86_400)
        )
        WaiverPolicy(waivers: [waiver]).apply(to: &result)
        #expect(result.outcome == .waived && result.waiver?.reference == "BUG-7")
        WaiverPolicy(waivers: [waiver], now: Date(timeIntervalSinceNow: 2 * 86_400)).apply(to: &expired)
        #expect(expired.outcome == .fail && expired.waiver?.expired == true)
    }
}

/// A backend that computes one FaultClass's bug on top of the float64 reference.
final class ReferenceFaultBackend: Backend {
    let fault: FaultClass
    let inner = NativeCPUBackend(threads: 1)
    init(_ fault: FaultClass) { self.fault = fault }

    func describe() throws -> BackendIdentity { try inner.describe() }
    func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] { try inner.benchmark(request) }
    func shutdown() {}
    func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        [
            Tensor(
                dtype: problem.output.dtype,
                shape: problem.output.shape,
                values: fault.compute(problem, inputs.map(RefTensor.init))
            )
        ]
    }
}

@Suite struct FaultClassTests {
    @Test func theCatalogueHasTwentyDistinctClasses() {
        #expect(FaultCatalogue.all.count >= 20)
        #expect(Set(FaultCatalogue.all.map(\.name)).count == FaultCatalogue.all.count)
    }

    /// Each bug class fails a case of the real conformance suite in every dtype where it moves the
    /// result beyond the op's error model; the output names the class and the catching case.
    @Test(arguments: FaultCatalogue.all)
    func theConformanceSuiteCatchesTheFault(_ fault: FaultClass) throws {
        let backend = ReferenceFaultBackend(fault)
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: nil,
            systemChecker: nil
        )
        var catching: [DType: String] = [:]
        for planned in ConformanceCases.cases(of: fault.op) where catching[planned.dtype] == nil {
            let result = executor.run(.op(planned))
            #expect(result.outcome == .pass || result.outcome == .fail, "\(planned.id): \(result.message ?? "")")
            if result.outcome == .fail { catching[planned.dtype] = planned.id.description }
        }
        let caught = catching.keys.sorted().map { "\($0.rawValue) by \(catching[$0]!)" }
        print(
            "fault class '\(fault.name)': caught in \(caught.isEmpty ? "no dtype" : caught.joined(separator: "; "))"
                + (fault.exemption.map { " (exempt: \($0))" } ?? "")
        )
        for dtype in fault.caughtIn {
            #expect(
                catching[dtype] != nil,
                "fault class '\(fault.name)' passes every \(fault.op) \(dtype.rawValue) case"
            )
        }
    }
}
