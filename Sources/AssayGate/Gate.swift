import AssayBench
import AssayCore

/// The CI regression gate: compares a current run with a baseline (docs/FORMATS.md, "Gate").
public enum Gate {
    /// Compares two run records. Throws `GateError.differentTargets` when their identities
    /// (`RunIdentity`: target, descriptor, backend, fingerprint) differ and
    /// `options.allowDifferentTarget` is false.
    /// `confirmed` names cases whose current samples include a confirmation re-run.
    public static func compare(baseline: RunRecord, current: RunRecord, options: GateOptions = GateOptions(),
                               baselineSource: String = "", currentSource: String = "",
                               confirmed: Set<CaseID> = []) throws -> GateReport {
        let identity = Comparability(baseline: baseline, current: current)
        if !identity.isComparable, !options.allowDifferentTarget { throw GateError.differentTargets(identity.differences) }
        let conformance = ConformanceComparison.findings(baseline: baseline.cases, current: current.cases, allowMissing: options.allowMissing)
        let performance = PerformanceJudge.judge(PerformanceJudge.pairs(baseline: baseline.cases, current: current.cases, confirmed: confirmed),
                                                 options: options)
        let currentIDs = Set(current.cases.map(\.id))
        return GateReport(baseline: summary(baseline, source: baselineSource), current: summary(current, source: currentSource),
                          options: options, identity: identity, conformance: conformance, performance: performance,
                          comparedCases: baseline.cases.filter { currentIDs.contains($0.id) }.count)
    }

    static func summary(_ record: RunRecord, source: String) -> GateReport.RunSummary {
        GateReport.RunSummary(runID: record.runID, targetID: record.target.value.id, fingerprint: record.environment.fingerprint, source: source)
    }

    /// `record` with `extra` samples appended to the named cases' performance samples (and the
    /// summary recomputed), for a confirmation re-run.
    public static func appending(_ extra: [CaseID: [Double]], to record: RunRecord) -> RunRecord {
        var record = record
        for index in record.cases.indices {
            guard let samples = extra[record.cases[index].id], !samples.isEmpty,
                  var performance = record.cases[index].performance else { continue }
            performance.samples += samples
            performance.n = performance.samples.count
            performance.summary = Statistics.summarize(performance.samples)
            record.cases[index].performance = performance
        }
        return record
    }
}
