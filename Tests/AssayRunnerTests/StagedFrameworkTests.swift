import AssayBackend
import AssayCore
import AssayOps
import AssayTestSupport
import Foundation
import Testing

@testable import AssayRunner

/// A framework that rounds every intermediate of softmax, log_softmax, attention and a biased
/// linear/conv2d to the case dtype (Backends/python/tests/staged_backend.py, the worst honest
/// staging) passes every conformance case of those ops; and the staging bound is what lets it
/// pass: without it, some f16/bf16 cases of each op fail (issue 14, docs/OPS.md).
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"), .serialized)
struct StagedFrameworkTests {
    static let ops = ["softmax", "log_softmax", "scaled_dot_product_attention", "linear", "conv2d"]

    @Test(arguments: ops)
    func theStagedHonestBackendPassesEveryCase(op: String) throws {
        let backend = PluginBackend(
            configuration: PluginConfiguration(
                command: ["python3", "Backends/python/tests/staged_backend.py"],
                workingDirectory: Repository.root.path,
                device: "cpu",
                handshakeTimeoutSeconds: 60,
                requestTimeoutSeconds: 120,
                maxRestarts: 0
            )
        )
        defer { backend.shutdown() }
        var failed: [String] = []
        var needStaging: [String] = []
        var needDTypes: Set<DType> = []
        let cases = ConformanceCases.cases(of: op)
        for planned in cases {
            let prepared = ConformanceCases.Prepared(planned)
            let output = try backend.execute(prepared.problem, inputs: prepared.inputs)[0]
            let staged = ConformanceChecker.check(
                expected: prepared.expected,
                expectedSpec: prepared.problem.output,
                actual: output,
                tolerance: planned.tolerance,
                magnitudes: prepared.magnitudes,
                context: .init(op: prepared.op, problem: prepared.problem, inputs: prepared.references)
            )
            if !staged.passed { failed.append("\(planned.id): \(ConformanceChecker.missSummary(staged.evidence))") }
            // The same check without the op's context has no staging bound.
            let plain = ConformanceChecker.check(
                expected: prepared.expected,
                expectedSpec: prepared.problem.output,
                actual: output,
                tolerance: planned.tolerance,
                magnitudes: prepared.magnitudes
            )
            if staged.passed && !plain.passed {
                needStaging.append(planned.id.description)
                needDTypes.insert(planned.dtype)
            }
        }
        print(
            "staged \(op): \(cases.count - failed.count)/\(cases.count) cases pass; \(needStaging.count) need the staging bound"
        )
        #expect(failed.isEmpty, "\(failed)")
        #expect(!needStaging.isEmpty, "the staged backend of \(op) never needed the staging bound: it is not staging")
        #expect(needDTypes.isSubset(of: [.f16, .bf16]), "\(needStaging)")
    }
}
