import AssayCertify
import AssayCore
import AssayTestSupport
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
        #expect(
            result.reasons == [
                .init(
                    requirement: "outcomes",
                    level: "compatible",
                    caseID: id,
                    observed: "fail",
                    required: "pass, unsupported, waived",
                    message: "\(id): fail (not an accepted status)"
                )
            ]
        )
    }

    @Test func missingRequiredSuite() {
        let run = RunFixtures.run(
            [RunFixtures.performance("performance/copy/shape16777216/f32", peak: nil, roofline: 80)],
            suites: ["performance"]
        )
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
        #expect(
            result.reasons.map(\.message) == ["required suite 'system' incomplete: 1 of 1 planned cases have no result"]
        )
    }

    @Test func unmetFloorNamesCaseAndBothNumbers() {
        let id = "performance/matmul/m4096.n4096.k4096/bf16"
        let result = evaluate(
            RunFixtures.run(cases(replacing: id, with: RunFixtures.performance(id, peak: 41.2, roofline: 41.2)))
        )
        #expect(result.passed)
        #expect(result.level == "compatible")
        #expect(
            result.reasons == [
                .init(
                    requirement: "performance_floors",
                    level: "performance",
                    caseID: id,
                    observed: "41.2%",
                    required: "≥ 50% of peak",
                    message: "perf floor: \(id) at 41.2% of peak < 50%"
                )
            ]
        )
    }

    @Test func floorWithoutAMeasurementOrAFigure() {
        let matmul = "performance/matmul/m4096.n4096.k4096/bf16"
        let noPeak = evaluate(
            RunFixtures.run(cases(replacing: matmul, with: RunFixtures.performance(matmul, peak: nil, roofline: 70)))
        )
        #expect(noPeak.level == "compatible")
        #expect(
            noPeak.reasons.map(\.message) == [
                "perf floor: \(matmul) has no percent_of_peak figure that can meet a floor (no peak declared or in a reference run for it)"
            ]
        )
        let noCase = evaluate(RunFixtures.run(RunFixtures.goodCases.filter { $0.id.description != matmul }))
        #expect(
            noCase.reasons.map(\.message) == [
                "perf floor: no performance case matches 'op matmul bf16' (needs ≥ 50% of peak)"
            ]
        )
    }

    @Test func waiverCategoryAllowedOrNot() {
        let id = "conformance/gelu/shape1000/bf16"
        let allowed = evaluate(
            RunFixtures.run(
                cases(replacing: id, with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.knownBug)))
            )
        )
        #expect(allowed.passed && allowed.reasons.isEmpty)
        let refused = evaluate(
            RunFixtures.run(
                cases(
                    replacing: id,
                    with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.hardwareLimit))
                )
            )
        )
        #expect(!refused.passed)
        #expect(
            refused.reasons.map(\.message) == ["\(id): waiver category hardware-limit not allowed (allowed: known-bug)"]
        )
        #expect(refused.reasons.first?.observed == "hardware-limit")
    }

    @Test func waiverExpiredByCertificationTime() {
        let id = "conformance/gelu/shape1000/bf16"
        let run = RunFixtures.run(
            cases(
                replacing: id,
                with: RunFixtures.caseResult(id, .waived, waiver: RunFixtures.waiver(.knownBug, expires: "2026-07-01"))
            )
        )
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
        #expect(
            result.reasons == [
                .init(
                    requirement: "run_status",
                    level: "compatible",
                    observed: "interrupted",
                    required: "complete",
                    message: "run status interrupted (a certified run must be complete)"
                )
            ]
        )
    }

    @Test func tooManyUnsupported() {
        let run = RunFixtures.run(
            RunFixtures.goodCases
                + ["a", "b"].map { RunFixtures.caseResult("conformance/relu/\($0)/f64", .unsupported) }
        )
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

    /// Each shipped profile states the target kinds it certifies: a cpu target never gets an
    /// ai-accelerator certificate, an accelerator no cpu-server one; os-platform takes any.
    @Test func shippedProfilesRefuseOtherTargetKinds() throws {
        var profiles: [String: CertificationProfile] = [:]
        for id in ["ai-accelerator", "cpu-server", "os-platform"] {
            profiles[id] = try CertificationProfile.load(
                contentsOf: CertificationProfile.locate(id, root: Repository.root)
            )
        }
        func run(kind: String) -> RunRecord {
            var run = RunFixtures.run()
            run.target.value.kind = TargetDescriptor.Kind(rawValue: kind)!
            return run
        }
        let expectations: [(String, String, Bool)] = [
            ("ai-accelerator", "cpu", false), ("ai-accelerator", "server", false),
            ("ai-accelerator", "accelerator", true),
            ("cpu-server", "accelerator", false), ("cpu-server", "cpu", true), ("cpu-server", "server", true),
            ("os-platform", "cpu", true), ("os-platform", "accelerator", true), ("os-platform", "os", true),
        ]
        for (profileID, kind, accepted) in expectations {
            let result = ProfileEvaluation.evaluate(profiles[profileID]!, run: run(kind: kind), at: RunFixtures.now)
            let reason = result.reasons.first { $0.requirement == "target_kind" }
            #expect((reason == nil) == accepted, "\(profileID) on \(kind)")
            if let reason {
                #expect(!result.passed && reason.level == profiles[profileID]!.levels[0].id)
                #expect(
                    reason.message
                        == "target npu-x is of kind \(kind); profile \(profileID) certifies only \(reason.required)"
                )
            }
        }
    }

    @Test func anUnknownTargetKindIsAnInputError() {
        let text = RunFixtures.profileText.replacingOccurrences(
            of: "validity_days: 30\n",
            with: "validity_days: 30\ntarget_kinds: [gpu]\n"
        )
        #expect(throws: InputError.self) { _ = try CertificationProfile.parse(text: text, file: "p.yaml") }
    }

    /// A measured ceiling alone never meets a floor, nor does a declared one the case exceeded.
    @Test func floorsNeedADeclaredCeilingTheCaseDidNotExceed() {
        let id = "performance/matmul/m4096.n4096.k4096/bf16"
        for (change, fragment) in [
            ("measured", "only a measured ceiling, which cannot meet a floor"),
            ("exceeded", "achieved more than the declared peak"),
        ] {
            var result = RunFixtures.performance(id, peak: 100, roofline: 100)
            if change == "measured" {
                result.performance?.ceilingSource = .measured
            } else {
                result.performance?.ceilingBelowAchieved = true
            }
            let evaluated = evaluate(RunFixtures.run(cases(replacing: id, with: result)))
            #expect(evaluated.level == "compatible", "\(change)")
            let reason = evaluated.reasons.first { $0.caseID == id }
            #expect(reason?.message.contains(fragment) == true, "\(String(describing: reason))")
        }
    }
}
