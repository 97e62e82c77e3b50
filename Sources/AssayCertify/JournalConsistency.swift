import AssayCore
import AssayOps
import Foundation

/// Recomputes a run from its journal and checks run.json (and the run attestation) against it:
/// the chain, each case's result byte for byte, the counts, and whether each recorded outcome
/// follows from the evidence recorded with it.
enum JournalConsistency {
    static func problems(record: RunRecord, journalBytes: Data, attestation: RunAttestation?) -> [String] {
        let journal = JournalVerification.verify(journalBytes, runID: record.runID, key: nil)
        var problems: [String] = []
        if let problem = journal.problem {
            problems.append("journal.jsonl: \(problem.message) (\(problem.kind.rawValue))")
        }
        if journal.tornBytes > 0 { problems.append("journal.jsonl ends in an incomplete line") }
        guard problems.isEmpty else { return problems }
        let head = journal.head(runID: record.runID)
        if let recorded = record.journal, recorded.lines != journal.lines.count || recorded.head != head {
            problems.append(
                "run.json records \(recorded.lines) journal line(s) ending in \(recorded.head); journal.jsonl has \(journal.lines.count) ending in \(head)"
            )
        }
        if record.journal == nil {
            problems.append("run.json records no journal head (a run from before the journal chain)")
        }
        if let refused = record.journal?.events.filter({ $0.refusedLines > 0 }), !refused.isEmpty {
            problems.append(
                "the journal had line(s) the harness did not write: \(refused.map(\.message).joined(separator: "; "))"
            )
        }
        var byID: [CaseID: CaseResult] = [:]
        for line in journal.lines {
            if let earlier = byID[line.result.id], !Self.isNextRound(line.result, after: earlier) {
                problems.append("case \(line.result.id) is journaled more than once")
            }
            byID[line.result.id] = line.result
        }
        let planned = Set(record.plannedCases)
        for id in byID.keys where !planned.contains(id) { problems.append("case \(id) is journaled but not planned") }
        let expectedOrder = record.plannedCases.filter { byID[$0] != nil }
        if record.cases.map(\.id) != expectedOrder {
            problems.append(
                "run.json's cases are not the journaled cases in planned order (\(record.cases.count) recorded, \(expectedOrder.count) journaled)"
            )
        }
        let encoder = RecordCoding.encoder(pretty: false)
        for result in record.cases {
            guard let journaled = byID[result.id] else { continue }
            if (try? encoder.encode(result)) != (try? encoder.encode(journaled)) {
                problems.append(
                    "case \(result.id): run.json says \(result.outcome.rawValue), the journal says \(journaled.outcome.rawValue)"
                        + (result.outcome == journaled.outcome ? " (other fields differ)" : "")
                )
            }
        }
        for result in journal.lines.map(\.result) { problems += judge(result) }
        let counts = Dictionary(
            uniqueKeysWithValues: Outcome.allCases.map { outcome in
                (outcome.rawValue, byID.values.filter { $0.outcome == outcome }.count)
            }
        )
        let recordedCounts = Dictionary(
            uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, record.outcomeCounts[$0] ?? 0) }
        )
        if counts != recordedCounts {
            problems.append(
                "run.json's outcome counts \(describe(recordedCounts)) differ from the journal's \(describe(counts))"
            )
        }
        if let attestation {
            if attestation.counts != counts {
                problems.append(
                    "the run attestation's counts \(describe(attestation.counts)) differ from the journal's \(describe(counts))"
                )
            }
            if attestation.journal.lines != journal.lines.count || attestation.journal.head != head {
                problems.append("the run attestation's journal head does not match journal.jsonl")
            }
            if attestation.runID != record.runID || attestation.status != record.status.rawValue
                || attestation.startedAt != RFC3339.string(from: record.startedAt)
                || attestation.finishedAt != record.finishedAt.map(RFC3339.string(from:))
                || attestation.plannedCases != record.plannedCases.count
                || attestation.backend.name != record.backend.name
                || attestation.backend.version != record.backend.version
            {
                problems.append("the run attestation's run id, status, times, plan or backend differ from run.json")
            }
        }
        return problems
    }

    /// Whether a result's outcome follows from the evidence it carries.
    static func judge(_ result: CaseResult) -> [String] {
        var problems: [String] = []
        let id = result.id
        if let evidence = result.evidence {
            let tolerance = TolerancePolicy(rtol: evidence.rtol, atol: evidence.atol)
            let dtype = DType(name: result.dtype) ?? .f64
            let missed = !evidence.structural.isEmpty || evidence.mismatches > 0
            if evidence.samples.contains(where: {
                tolerance.accepts(actual: $0.actual, expected: $0.expected, dtype: dtype)
            }) {
                problems.append("case \(id): a quoted mismatch is within its recorded tolerance")
            }
            if evidence.mismatches > evidence.elements
                || evidence.samples.count > evidence.mismatches && evidence.structural.isEmpty
            {
                problems.append("case \(id): the evidence counts are inconsistent")
            }
            switch result.outcome {
            case .pass where missed:
                problems.append(
                    "case \(id): recorded pass, but its evidence shows \(evidence.mismatches) mismatch(es) beyond tolerance"
                )
            case .fail where !missed, .waived where !missed:
                problems.append("case \(id): recorded \(result.outcome.rawValue), but its evidence shows no mismatch")
            default: break
            }
        } else if result.kind == .conformance, result.outcome == .pass || result.outcome == .fail {
            problems.append("case \(id): a conformance \(result.outcome.rawValue) without evidence")
        }
        if result.outcome == .waived, result.waiver == nil || result.waiver?.expired == true {
            problems.append("case \(id): recorded waived without a waiver in force")
        }
        if result.kind == .performance, result.outcome == .pass, result.performance == nil {
            problems.append("case \(id): a measured performance case without a performance record")
        }
        return problems
    }

    static func describe(_ counts: [String: Int]) -> String {
        counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(
            separator: ", "
        )
    }

    /// A performance case measured in rounds is journaled once per round (`assay run --rounds`):
    /// a later line is legitimate only when it is that case's next round, carrying every earlier
    /// round unchanged. Any other repeat is a second result for one case.
    static func isNextRound(_ later: CaseResult, after earlier: CaseResult) -> Bool {
        guard later.kind == .performance, earlier.kind == .performance,
            let rounds = later.performance?.rounds, let performance = earlier.performance
        else { return false }
        let before = performance.rounds ?? []
        return rounds.count == Swift.max(before.count, 1) + 1
            && (before.isEmpty || Array(rounds.prefix(before.count)) == before)
    }
}
