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
            current: current,
            options: options,
            baselineSource: baselineSource,
            currentSource: currentSource,
            confirmed: confirmed
        )
    }

    /// Compares the current run with a baseline of one or more runs (a history: their
    /// run-to-run spread is the noise the verdicts are judged against), oldest first. The
    /// newest run is the conformance reference, names the baseline and sets the case order.
    /// Every baseline run must be comparable with the current one (`Comparability`).
    public static func compare(
        baselines: [RunRecord],
        current: RunRecord,
        options: GateOptions = GateOptions(),
        baselineSource: String = "",
        currentSource: String = "",
        confirmed: Set<CaseID> = []
    ) throws -> GateReport {
        guard let baseline = baselines.last else {
            throw InputError(file: baselineSource, field: "--baseline", message: "the baseline holds no run record")
        }
        let identities = baselines.map { Comparability(baseline: $0, current: current) }
        // The first that differs names what differs; the newest stands for the baseline otherwise.
        let identity = identities.first { !$0.isComparable } ?? identities[identities.count - 1]
        if !identity.isComparable, !options.allowDifferentTarget {
            throw GateError.differentTargets(identity.differences)
        }
        let conformance = ConformanceComparison.findings(
            baseline: baseline.cases,
            current: current.cases,
            allowMissing: options.allowMissing
        )
        let performance = PerformanceJudge.judge(
            PerformanceJudge.pairs(
                baselines: baselines.map(\.cases),
                current: current.cases,
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
    /// `remeasure`, in the run's round structure), judges the fresh measurement in place of the
    /// original — never appended to it, so a re-run cannot outweigh the run it checks — and
    /// returns the new report with each case's verdict before and after.
    public static func confirm(
        _ report: GateReport,
        baselines: [RunRecord],
        current: RunRecord,
        options: GateOptions,
        baselineSource: String = "",
        currentSource: String = "",
        remeasure: ([CaseID]) throws -> [CaseID: PerformanceRecord]
    ) throws -> GateReport {
        let ids = report.casesToConfirm
        guard !ids.isEmpty else { return report }
        let fresh = try remeasure(ids)
        var remeasured = current
        for index in remeasured.cases.indices {
            if let record = fresh[remeasured.cases[index].id] { remeasured.cases[index].performance = record }
        }
        var after = try compare(
            baselines: baselines,
            current: remeasured,
            options: options,
            baselineSource: baselineSource,
            currentSource: currentSource,
            confirmed: Set(fresh.keys)
        )
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
