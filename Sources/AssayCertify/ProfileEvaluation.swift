import AssayCore
import Foundation

/// Judges a run record against a certification profile.
public enum ProfileEvaluation {
    /// - Parameter now: the moment of certification; a waiver that has expired by then no longer counts.
    /// - Parameter reference: the figures of the profile's `reference_run`, loaded (see `ReferenceRun.load`).
    public static func evaluate(
        _ profile: CertificationProfile,
        run: RunRecord,
        at now: Date = Date(),
        reference: ReferencePeaks? = nil
    ) -> ProfileResult {
        var reasons = [ProfileResult.Reason]()
        var reached: String?
        var blocked = false
        var notes = notApplicableNotes(run)
        for (index, level) in profile.levels.enumerated() {
            if level.multiDeviceOnly, !isMultiDevice(run) {
                notes.append(
                    "level \(level.id): applies to multi-device targets only (backend.ranks > 1); \(run.target.value.id) has one process, so it is judged without this level"
                )
                continue
            }
            var missed =
                index == 0 ? runStatus(run, level: level.id) + targetKind(profile, run: run, level: level.id) : []
            for requirement in level.requires {
                missed += check(
                    requirement,
                    profile: profile,
                    level: level.id,
                    run: run,
                    now: now,
                    reference: reference
                )
            }
            missed += level.suites.flatMap {
                suiteReasons($0, run: run, level: level.id) + unsupportedInSuite($0, run: run, level: level.id)
            }
            reasons += missed
            // Cumulative: a level counts only when every level before it holds too.
            if missed.isEmpty, !blocked { reached = level.id } else { blocked = true }
        }
        let passed = reached != nil
        return ProfileResult(profileID: profile.id, passed: passed, level: reached, reasons: reasons, notes: notes)
    }

    /// A target of more than one rank (one plugin process per device; run.json `backend.ranks`).
    static func isMultiDevice(_ run: RunRecord) -> Bool {
        max(run.backend.ranks ?? 1, run.target.value.backend.ranks?.count ?? 1) > 1
    }

    /// A level's own suite must have run its cases: an `unsupported` one (a collective the
    /// backend cannot do) misses the level, unless it is not applicable to the target.
    private static func unsupportedInSuite(
        _ requirement: CertificationProfile.SuiteRequirement,
        run: RunRecord,
        level: String
    ) -> [ProfileResult.Reason] {
        run.cases.filter {
            requirement.anyOf.contains($0.id.suite) && $0.outcome == .unsupported && $0.system?.notApplicable == nil
        }.map { result in
            .init(
                requirement: CertificationProfile.Requirement.suites.rawValue,
                level: level,
                caseID: result.id.description,
                observed: "unsupported",
                required: "run (pass)",
                message: "\(result.id): unsupported (\(result.message ?? "no reason")); level \(level) needs it run"
            )
        }
    }

    private static func check(
        _ requirement: CertificationProfile.Requirement,
        profile: CertificationProfile,
        level: String,
        run: RunRecord,
        now: Date,
        reference: ReferencePeaks?
    ) -> [ProfileResult.Reason] {
        switch requirement {
        case .suites: profile.requiredSuites.flatMap { suiteReasons($0, run: run, level: level) }
        case .outcomes: run.cases.compactMap { outcomeReason($0, policy: profile.passing, level: level, now: now) }
        case .unsupportedFraction: unsupportedReasons(profile.maxUnsupportedFraction ?? 1, run: run, level: level)
        case .performanceFloors:
            profile.performanceFloors.filter { $0.level == level }.flatMap {
                floorReasons($0, run: run, reference: reference)
            }
        }
    }

    /// A profile certifies only the kinds of target it states (`target_kinds`).
    private static func targetKind(
        _ profile: CertificationProfile,
        run: RunRecord,
        level: String
    ) -> [ProfileResult.Reason] {
        let kind = run.target.value.kind
        guard let kinds = profile.targetKinds, !kinds.contains(kind) else { return [] }
        let accepted = kinds.map(\.rawValue).joined(separator: ", ")
        return [
            .init(
                requirement: ProfileResult.targetKindRequirement,
                level: level,
                observed: kind.rawValue,
                required: accepted,
                message:
                    "target \(run.target.value.id) is of kind \(kind.rawValue); profile \(profile.id) certifies only \(accepted)"
            )
        ]
    }

    private static func runStatus(_ run: RunRecord, level: String) -> [ProfileResult.Reason] {
        guard run.status != .complete else { return [] }
        return [
            .init(
                requirement: ProfileResult.runStatusRequirement,
                level: level,
                observed: run.status.rawValue,
                required: RunRecord.Status.complete.rawValue,
                message: "run status \(run.status.rawValue) (a certified run must be complete)"
            )
        ]
    }

    private static func suiteReasons(
        _ requirement: CertificationProfile.SuiteRequirement,
        run: RunRecord,
        level: String
    ) -> [ProfileResult.Reason] {
        let inRun = Set(run.suites.map(\.value.id))
        let present = requirement.anyOf.filter(inRun.contains)
        let wanted = requirement.anyOf.map { "'\($0)'" }.joined(separator: " or ")
        guard !present.isEmpty else {
            if requirement.ifPresent { return [] }
            let message =
                requirement.anyOf.count == 1
                ? "required suite \(wanted) missing from the run"
                : "required suite (\(wanted)) missing from the run"
            return [
                .init(
                    requirement: CertificationProfile.Requirement.suites.rawValue,
                    level: level,
                    observed: inRun.isEmpty ? "no suites" : inRun.sorted().joined(separator: ", "),
                    required: wanted,
                    message: message
                )
            ]
        }
        let finished = Set(run.cases.map(\.id))
        return present.compactMap { suite in
            let planned = run.plannedCases.filter { $0.suite == suite }
            let missing = planned.filter { !finished.contains($0) }.count
            guard missing > 0 else { return nil }
            return .init(
                requirement: CertificationProfile.Requirement.suites.rawValue,
                level: level,
                observed: "\(planned.count - missing)/\(planned.count) cases finished",
                required: "every planned case",
                message:
                    "required suite '\(suite)' incomplete: \(missing) of \(planned.count) planned cases have no result"
            )
        }
    }

    private static func outcomeReason(
        _ result: CaseResult,
        policy: CertificationProfile.PassingPolicy,
        level: String,
        now: Date
    ) -> ProfileResult.Reason? {
        let requirement = CertificationProfile.Requirement.outcomes.rawValue
        let accepted = policy.outcomes.map(\.rawValue).sorted().joined(separator: ", ")
        func reason(_ observed: String, _ required: String, _ message: String) -> ProfileResult.Reason {
            .init(
                requirement: requirement,
                level: level,
                caseID: result.id.description,
                observed: observed,
                required: required,
                message: "\(result.id): \(message)"
            )
        }
        // A reading of a check the target declares nothing for is information: it neither
        // meets nor misses a requirement.
        if result.outcome == .observed { return nil }
        guard policy.outcomes.contains(result.outcome) else {
            return reason(result.outcome.rawValue, accepted, "\(result.outcome.rawValue) (not an accepted status)")
        }
        guard result.outcome == .waived else { return nil }
        let allowed = policy.waiverCategories.map(\.rawValue).sorted().joined(separator: ", ")
        guard let waiver = result.waiver, !waiver.expired else {
            return reason(
                "waived without a valid waiver",
                "a waiver of category \(allowed)",
                "waived without a valid waiver record"
            )
        }
        guard policy.waiverCategories.contains(waiver.category) else {
            return reason(
                waiver.category.rawValue,
                allowed,
                "waiver category \(waiver.category.rawValue) not allowed (allowed: \(allowed))"
            )
        }
        guard !waiver.isExpired(at: now) else {
            return reason(
                "expired \(RFC3339.string(from: waiver.expires))",
                "a waiver valid at \(RFC3339.string(from: now))",
                "waiver \(waiver.reference) expired on \(Waiver.dayText(waiver.expires)) (its last day)"
            )
        }
        return nil
    }

    /// Cases that do not apply to the target (device checks without a device) are left out of
    /// both sides of the ratio: the target could never run them.
    private static func unsupportedReasons(_ maximum: Double, run: RunRecord, level: String) -> [ProfileResult.Reason] {
        let applicable = run.cases.filter { $0.system?.notApplicable == nil }
        let unsupported = applicable.filter { $0.outcome == .unsupported }.count
        let share = applicable.isEmpty ? 0 : Double(unsupported) / Double(applicable.count)
        guard share > maximum else { return [] }
        let excluded = run.cases.count - applicable.count
        let note = excluded > 0 ? "; \(excluded) not-applicable case\(excluded == 1 ? "" : "s") left out" : ""
        return [
            .init(
                requirement: CertificationProfile.Requirement.unsupportedFraction.rawValue,
                level: level,
                observed: "\(unsupported)/\(applicable.count) (\(percentText(share * 100)))",
                required: "≤ \(percentText(maximum * 100))",
                message:
                    "\(percentText(share * 100)) of cases unsupported (\(unsupported) of \(applicable.count)\(note)) > \(percentText(maximum * 100)) allowed"
            )
        ]
    }

    /// What the evaluation left out of the unsupported ratio, and why.
    private static func notApplicableNotes(_ run: RunRecord) -> [String] {
        run.cases.compactMap { result in
            result.system?.notApplicable.map {
                "\(result.id): not applicable, left out of the unsupported ratio: \($0)"
            }
        }
    }

    private static func floorReasons(
        _ floor: PerformanceFloor,
        run: RunRecord,
        reference: ReferencePeaks?
    ) -> [ProfileResult.Reason] {
        let requirement = CertificationProfile.Requirement.performanceFloors.rawValue
        let required = "≥ \(percentText(floor.min * 100)) of \(floor.metric.ceilingName)"
        let matching = run.cases.filter { $0.kind == .performance && floor.match.matches($0) }
        guard !matching.isEmpty else {
            return [
                .init(
                    requirement: requirement,
                    level: floor.level,
                    observed: "no matching case",
                    required: required,
                    message: "perf floor: no performance case matches '\(floor.match)' (needs \(required))"
                )
            ]
        }
        return matching.compactMap { result in
            func reason(_ observed: String, _ message: String) -> ProfileResult.Reason {
                .init(
                    requirement: requirement,
                    level: floor.level,
                    caseID: result.id.description,
                    observed: observed,
                    required: required,
                    message: "perf floor: \(result.id) \(message)"
                )
            }
            guard result.outcome == .pass, result.performance != nil else {
                return reason(
                    result.outcome.rawValue,
                    "was not measured (\(result.outcome.rawValue)); needs \(required)"
                )
            }
            switch floor.metric.judge(result, reference: reference) {
            case .none(let why):
                return reason(
                    "no \(floor.metric.rawValue)",
                    "has no \(floor.metric.rawValue) figure that can meet a floor (\(why))"
                )
            case .figure(let percent, let basis):
                guard percent < floor.min * 100 else { return nil }
                let against = basis == .reference ? " of the reference run" : ""
                return reason(
                    percentText(percent),
                    "at \(percentText(percent)) of \(floor.metric.ceilingName)\(against) < \(percentText(floor.min * 100))"
                )
            }
        }
    }

    /// `41.2%`, `50%`: one decimal, without a trailing `.0`.
    static func percentText(_ percent: Double) -> String {
        let text = String(format: "%.1f", percent)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "%"
    }
}
