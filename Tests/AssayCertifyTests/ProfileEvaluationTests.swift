import AssayCertify
import AssayCore
import Foundation
import Testing

struct ProfileEvaluationTests {
    func evaluate(_ run: RunRecord, at now: Date = RunFixtures.now) -> ProfileResult {
        ProfileEvaluation.evaluate(RunFixtures.profile, run: run, at: now)
    }

    /// `goodCases` with the case `id` replaced.
    func cases(replacing id: String, with replacement: CaseResult) -> [CaseResult] {
        let cases = RunFixtures.goodCases.map { $0.id.description == id ? replacement : $0 }
        #expect(cases.contains(replacement))
        return cases
    }

    @Test func metProfileReachesTheHighestLevel() {
        let result = evaluate(RunFixtures.run())
        #expect(result.passed)
        #expect(result.level == "performance")
        #expect(result.reasons.isEmpty)
    }

    @Test func failingCaseIsNamed() {
        let id = "conformance/matmul/m64.n48.k32/bf16"
        let result = evaluate(RunFixtures.run(cases(replacing: id, with: RunFixtures.caseResult(id, .fail))))
        #expect(!result.passed)
        #expect(result.level == nil)
        #expect(result.reasons == [.init(requirement: "outcomes", level: "compatible", caseID: id, observed: "fail",
                                         required: "pass, unsupported, waived", message: "\(id): fail (not an accepted status)")])
    }

    @Test func missingRequiredSuite() {
        let run = RunFixtures.run([RunFixtures.performance("performance/copy/shape16777216/f32", peak: nil, roofline: 80)],
                                  suites: ["performance"])
        let result = evaluate(run)
        #expect(!result.passed)
        #expect(result.reasons.map(\.message).contains("required suite 'conformance' missing from the run"))
        #expect(result.reasons.first { $0.requirement == "suites" }?.observed == "performance")
    }

    @Test func optionalSuiteIsOnlyCheckedWhenPresent() {
        // `system` is `if_present`: absent is fine, present but incomplete is not.
        #expect(evaluate(RunFixtures.run()).passed)
        let planned = RunFixtures.goodCases.map(\.id) + [try! CaseID(parsing: "system/os_id/-/-")]
        let result = evaluate(RunFixtures.run(suites: ["conformance", "performance", "system"], planned: planned))
        #expect(!result.passed)
        #expect(result.reasons.map(\.message) == ["required suite 'system' incomplete: 1 of 1 planned cases have no result"])
    }

    @Test func unmetFloorNamesCaseAndBothNumbers() {
        let id = "performance/matmul/m4096.n4096.k4096/bf16"
        let result = evaluate(RunFixtures.run(cases(replacing: id, with: RunFixtures.performance(id, peak: 41.2, roofline: 41.2))))
        #expect(result.passed)
        #expect(result.level == "compatible")
        #expect(result.reasons == [.init(requirement: "performance_floors", level: "performance", caseID: id, observed: "41.2%",
                                         required: "≥ 50% of peak", message: "perf floor: \(id) at 41.2% of peak < 50%")])
    }

    @Test func floorWithoutAMeasurementOrAFigure() {
        let matmul = "performance/matmul/m4096.n4096.k4096/bf16"
        let noPeak = evaluate(RunFixtures.run(cases(replacing: matmul, with: RunFixtures.performance(matmul, peak: nil, roofline: 70))))
        #expect(noPeak.level == "compatible")
        #expect(noPeak.reasons.map(\.message) == ["perf floor: \(matmul) has no percent_of_peak figure (no peak known for it)"])
        let noCase = evaluate(RunFixtures.run(RunFixtures.goodCases.filter { $0.id.description != matmul }))
        #expect(noCase.reasons.map(\.message) == ["perf floor: no performance case matches 'op matmul bf16' (needs ≥ 50% of peak)"])
    }

    @Test func waiverCategoryAllowedOrNot() {
        let id = "conformance/gelu/shape1000/bf16"
        let allowed = evaluate(RunFixtures.run(cases(replacing: id, with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.knownBug)))))
        #expect(allowed.passed && allowed.reasons.isEmpty)
        let refused = evaluate(RunFixtures.run(cases(replacing: id, with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.hardwareLimit)))))
        #expect(!refused.passed)
        #expect(refused.reasons.map(\.message) == ["\(id): waiver category hardware-limit not allowed (allowed: known-bug)"])
        #expect(refused.reasons.first?.observed == "hardware-limit")
    }

    @Test func waiverExpiredByCertificationTime() {
        let id = "conformance/gelu/shape1000/bf16"
        let run = RunFixtures.run(cases(replacing: id, with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.knownBug, expires: "2026-07-01"))))
        #expect(evaluate(run).passed)
        // Inclusive: the waiver still holds through its last day.
        #expect(evaluate(run, at: RFC3339.date(from: "2026-07-01T23:59:59Z")!).passed)
        let later = evaluate(run, at: RFC3339.date(from: "2026-07-02T00:00:00Z")!)
        #expect(!later.passed)
        #expect(later.reasons.map(\.message) == ["\(id): waiver BUG-7 expired on 2026-07-01 (its last day)"])
    }

    @Test func interruptedRunFails() {
        let result = evaluate(RunFixtures.run(status: .interrupted))
        #expect(!result.passed)
        #expect(result.level == nil)
        #expect(result.reasons == [.init(requirement: "run_status", level: "compatible", observed: "interrupted", required: "complete",
                                         message: "run status interrupted (a certified run must be complete)")])
    }

    @Test func tooManyUnsupported() {
        let run = RunFixtures.run(RunFixtures.goodCases + ["a", "b"].map { RunFixtures.caseResult("conformance/relu/\($0)/f64", .unsupported) })
        let result = evaluate(run)
        #expect(!result.passed)
        #expect(result.reasons.map(\.message) == ["37.5% of cases unsupported (3 of 8) > 25% allowed"])
    }

    @Test func aFailedLowerLevelBlocksHigherOnes() {
        // The performance floors hold, but levels are cumulative.
        let id = "conformance/matmul/m64.n48.k32/f32"
        let result = evaluate(RunFixtures.run(cases(replacing: id, with: RunFixtures.caseResult(id, .crash))))
        #expect(result.level == nil)
        #expect(result.reasons.count == 1)
    }
}
