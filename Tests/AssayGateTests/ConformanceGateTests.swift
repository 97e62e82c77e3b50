import AssayCore
import Testing

@testable import AssayGate

/// The conformance half of the gate, missing and new cases, and the fingerprint refusal.
struct ConformanceGateTests {
    let a = "smoke/add/a64x64.b64x64/f32", b = "smoke/relu/shape1000/f32", c = "smoke/gelu/shape1000/f32"

    @Test func newlyFailingCaseIsARegression() throws {
        let report = try Gate.compare(
            baseline: SyntheticRuns.record([
                SyntheticRuns.conformanceCase(a, .pass), SyntheticRuns.conformanceCase(b, .pass),
            ]),
            current: SyntheticRuns.record([
                SyntheticRuns.conformanceCase(a, .fail, message: "3/4096 elements beyond atol"),
                SyntheticRuns.conformanceCase(b, .pass),
            ])
        )
        #expect(report.status == .regression)
        let finding = try #require(report.findings(.regressed).first)
        #expect(finding.id.description == a && finding.failsGate && finding.message == "3/4096 elements beyond atol")
        #expect(report.comparedCases == 2)
    }

    @Test func outcomeChangesAsDecided() {
        #expect(ConformanceComparison.change(from: .pass, to: .fail) == .regressed)
        #expect(ConformanceComparison.change(from: .pass, to: .crash) == .regressed)
        #expect(ConformanceComparison.change(from: .waived, to: .timeout) == .regressed)
        #expect(ConformanceComparison.change(from: .unsupported, to: .error) == .regressed)
        #expect(ConformanceComparison.change(from: .pass, to: .unsupported) == .regressed)
        #expect(ConformanceComparison.change(from: .pass, to: .waived) == .newlyWaived)
        #expect(ConformanceComparison.change(from: .fail, to: .pass) == .fixed)
        #expect(ConformanceComparison.change(from: .fail, to: .error) == nil)  // already failing: not new
        #expect(ConformanceComparison.change(from: .unsupported, to: .waived) == nil)
        #expect(ConformanceComparison.change(from: .pass, to: .pass) == nil)
    }

    @Test func missingCaseFailsUnlessAllowed() throws {
        let baseline = SyntheticRuns.record([
            SyntheticRuns.conformanceCase(a, .pass), SyntheticRuns.conformanceCase(b, .pass),
        ])
        let current = SyntheticRuns.record([
            SyntheticRuns.conformanceCase(a, .pass), SyntheticRuns.conformanceCase(c, .pass),
        ])
        let strict = try Gate.compare(baseline: baseline, current: current)
        #expect(strict.status == .regression)
        #expect(strict.findings(.missing).map(\.id.description) == [b])
        #expect(strict.findings(.new).map(\.id.description) == [c])
        let lenient = try Gate.compare(baseline: baseline, current: current, options: GateOptions(allowMissing: true))
        #expect(lenient.status == .pass)
        #expect(lenient.findings(.missing).count == 1 && !lenient.findings(.missing)[0].failsGate)
    }

    @Test func differentFingerprintsAreRefusedUnlessAllowed() throws {
        let baseline = SyntheticRuns.record([SyntheticRuns.conformanceCase(a, .pass)], fingerprint: "aaa111")
        let current = SyntheticRuns.record([SyntheticRuns.conformanceCase(a, .pass)], fingerprint: "bbb222")
        let difference = Comparability.Difference(field: "host fingerprint", baseline: "aaa111", current: "bbb222")
        #expect(throws: GateError.differentTargets([difference])) {
            try Gate.compare(baseline: baseline, current: current)
        }
        #expect(
            GateError.differentTargets([difference]).description.contains(
                "host fingerprint: baseline aaa111, current bbb222"
            )
        )
        let allowed = try Gate.compare(
            baseline: baseline,
            current: current,
            options: GateOptions(allowDifferentTarget: true)
        )
        #expect(allowed.differentTargets && allowed.status == .pass)
    }
}
