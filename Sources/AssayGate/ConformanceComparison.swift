import AssayCore

/// Compares the outcomes of two runs case by case.
///
/// A regression is a case acceptable in the baseline (pass, unsupported, waived) that is not
/// acceptable now (fail, error, crash, timeout) — exactly what would flip `assay run`'s exit
/// code — plus a case that passed and is now `unsupported`: a backend that silently drops an
/// op must not keep CI green. pass → waived is reported as `newlyWaived` and does not fail:
/// a waiver is a recorded decision with a reference and an expiry.
public enum ConformanceComparison {
    public static func findings(
        baseline: [CaseResult],
        current: [CaseResult],
        allowMissing: Bool
    ) -> [ConformanceFinding] {
        let currentByID = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let baselineIDs = Set(baseline.map(\.id))
        var findings: [ConformanceFinding] = []
        for old in baseline {
            guard let new = currentByID[old.id] else {
                findings.append(
                    ConformanceFinding(
                        id: old.id,
                        kind: .missing,
                        baselineOutcome: old.outcome,
                        currentOutcome: nil,
                        message: nil,
                        failsGate: !allowMissing
                    )
                )
                continue
            }
            if let kind = change(from: old.outcome, to: new.outcome) {
                findings.append(
                    ConformanceFinding(
                        id: old.id,
                        kind: kind,
                        baselineOutcome: old.outcome,
                        currentOutcome: new.outcome,
                        message: new.message,
                        failsGate: kind == .regressed
                    )
                )
            }
        }
        for new in current where !baselineIDs.contains(new.id) {
            findings.append(
                ConformanceFinding(
                    id: new.id,
                    kind: .new,
                    baselineOutcome: nil,
                    currentOutcome: new.outcome,
                    message: new.message,
                    failsGate: false
                )
            )
        }
        return findings
    }

    /// The reportable change between two outcomes of one case, or nil when nothing worth reporting changed.
    /// `observed` (a reading with nothing declared) counts like `pass` for regressions only: a
    /// reading that now fails or is unsupported lost something; a failure that is now merely
    /// observed is not a fix, since nothing was checked.
    public static func change(from old: Outcome, to new: Outcome) -> ConformanceFinding.Kind? {
        if old.isAcceptable, !new.isAcceptable { return .regressed }
        if old == .pass || old == .observed, new == .unsupported { return .regressed }
        if old == .pass, new == .waived { return .newlyWaived }
        if !old.isAcceptable, new == .pass { return .fixed }
        return nil
    }
}
