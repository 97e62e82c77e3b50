import AssayBench
import AssayCore

/// The CI regression gate: compares a current run with a baseline (docs/FORMATS.md, "Gate").
public enum Gate {
    /// Compares two run records. Throws `GateError.differentTargets` when their identities
    /// (`RunIdentity`: target, descriptor, backend, fingerprint) differ and
    /// `options.allowDifferentTarget` is false.
    /// `confirmed` names cases whose current samples come from a confirmation re-run.
    public static func compare(
        baseline: RunRecord,
        current: RunRecord,
        options: GateOptions = GateOptions(),
        baselineSource: String = "",
        currentSource: String = "",
        confirmed: Set<CaseID> = []
    ) throws -> GateReport {
        try compare(
            baselines: [baseline],
            currents: [current],
            options: options,
            baselineSource: baselineSource,
            currentSource: currentSource,
            confirmed: confirmed
        )
    }

    /// Compares one or more current runs (several: fresh processes of the same build) with a
    /// baseline of one or more runs (a history: their run-to-run spread is the noise the
    /// verdicts are judged against), each side oldest first. The newest baseline run is the
    /// conformance reference, names the baseline and sets the case order. The performance verdicts use both sides' run values (the
    /// two-sample t on run means, `HierarchicalRatio`), so the current side's own run-to-run
    /// variance is measured instead of borrowed from the baseline. Conformance findings come
    /// from every current run against the newest baseline run (a failure in any of them counts,
    /// each finding once; a case is `missing` only when no current run has it, so the extra runs
    /// may hold the performance suites alone); the newest current run names the current side. Every run of each side
    /// must be comparable with every run of the other.
    public static func compare(
        baselines: [RunRecord],
        currents: [RunRecord],
        options: GateOptions = GateOptions(),
        baselineSource: String = "",
        currentSource: String = "",
        confirmed: Set<CaseID> = []
    ) throws -> GateReport {
        guard let baseline = baselines.last else {
            throw InputError(file: baselineSource, field: "--baseline", message: "the baseline holds no run record")
        }
        guard let current = currents.last else {
            throw InputError(file: currentSource, field: "--current", message: "the current side holds no run record")
        }
        let identities = currents.flatMap { run in baselines.map { Comparability(baseline: $0, current: run) } }
        // The first that differs names what differs; the newest pair stands for the sides otherwise.
        let identity = identities.first { !$0.isComparable } ?? identities[identities.count - 1]
        if !identity.isComparable, !options.allowDifferentTarget {
            throw GateError.differentTargets(identity.differences)
        }
        // A case is missing only when no current run has it: extra runs may measure the performance suites alone.
        let measured = Set(currents.flatMap { $0.cases.map(\.id) })
        var seen = Set<String>()
        let conformance = currents.flatMap { run in
            ConformanceComparison.findings(
                baseline: baseline.cases,
                current: run.cases,
                allowMissing: options.allowMissing
            )
        }.filter {
            ($0.kind != .missing || !measured.contains($0.id)) && seen.insert("\($0.id) \($0.kind.rawValue)").inserted
        }
        let performance = PerformanceJudge.judge(
            PerformanceJudge.pairs(
                baselines: baselines.map(\.cases),
                currents: currents.map(\.cases),
                confirmed: confirmed
            ),
            options: options
        )
        let currentIDs = Set(current.cases.map(\.id))
        var report = GateReport(
            baseline: summary(baseline, source: baselineSource),
            current: summary(current, source: currentSource),
            options: options,
            identity: identity,
            conformance: conformance,
            performance: performance,
            comparedCases: baseline.cases.filter { currentIDs.contains($0.id) }.count
        )
        if baselines.count > 1 { report.baselineHistory = baselines.map { summary($0, source: baselineSource) } }
        if currents.count > 1 { report.currentRuns = currents.map { summary($0, source: currentSource) } }
        return report
    }

    static func summary(_ record: RunRecord, source: String) -> GateReport.RunSummary {
        GateReport.RunSummary(
            runID: record.runID,
            targetID: record.target.value.id,
            fingerprint: record.environment.fingerprint,
            source: source
        )
    }

    /// `--confirm`: measures the doubtful cases of `report` again on the current side (through
    /// `remeasure`, in the run's round structure) and returns the new report with each case's
    /// verdict before and after. One current run: the fresh measurement is judged in its place —
    /// never appended to it, so a re-run cannot outweigh the run it checks. Several current runs:
    /// the re-run is one more current run (a fresh process, one more unit of the run level), so
    /// it counts as much as each of the others and no more.
    public static func confirm(
        _ report: GateReport,
        baselines: [RunRecord],
        current: RunRecord,
        options: GateOptions,
        baselineSource: String = "",
        currentSource: String = "",
        remeasure: ([CaseID]) throws -> [CaseID: PerformanceRecord]
    ) throws -> GateReport {
        try confirm(
            report,
            baselines: baselines,
            currents: [current],
            options: options,
            baselineSource: baselineSource,
            currentSource: currentSource,
            remeasure: remeasure
        )
    }

    public static func confirm(
        _ report: GateReport,
        baselines: [RunRecord],
        currents: [RunRecord],
        options: GateOptions,
        baselineSource: String = "",
        currentSource: String = "",
        remeasure: ([CaseID]) throws -> [CaseID: PerformanceRecord]
    ) throws -> GateReport {
        let ids = report.casesToConfirm
        guard !ids.isEmpty, var remeasured = currents.last else { return report }
        let fresh = try remeasure(ids)
        let replaces = currents.count == 1
        for index in remeasured.cases.indices {
            let id = remeasured.cases[index].id
            // Appended as a run of its own, the re-run holds only what it measured (no case counted twice).
            if let record = fresh[id] {
                remeasured.cases[index].performance = record
            } else if !replaces {
                remeasured.cases[index].performance = nil
            }
        }
        var after = try compare(
            baselines: baselines,
            currents: replaces ? [remeasured] : currents + [remeasured],
            options: options,
            baselineSource: baselineSource,
            currentSource: currentSource,
            confirmed: Set(fresh.keys)
        )
        if !replaces { after.currentRuns = currents.map { summary($0, source: currentSource) } }
        let before = Dictionary(report.performance.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Dictionary(after.performance.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        after.confirmation = ids.compactMap { id in
            guard let old = before[id] else { return nil }
            let new = fresh[id] == nil ? nil : now[id]
            return ConfirmationResult(
                id: id,
                before: old.verdict,
                after: new?.verdict,
                ratioBefore: old.ratio,
                ratioAfter: new?.ratio,
                rounds: fresh[id]?.rounds?.count ?? (fresh[id] == nil ? 0 : 1)
            )
        }
        return after
    }
}
