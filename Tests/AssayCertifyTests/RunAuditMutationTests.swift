import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// Every single-line edit, deletion, insertion and reordering of journal.jsonl, and every
/// outcome flip in run.json, makes certification refuse: first with the station's attestation
/// left as it was (the files no longer match it), then with the attestation re-signed over the
/// tampered files (as if the forger held the station key), which leaves only the journal chain
/// and the cross-checks of run.json against the journal and its evidence to catch it.
@Suite(.serialized) struct RunAuditMutationTests {
    struct Mutation {
        var name: String
        var journal: [Data]?
        var run: RunRecord?
    }

    static let outcomes = Outcome.allCases

    /// The fixture run's cases with a fail among them, so flips go both ways.
    static let cases = RunFixtures.goodCases + [RunFixtures.caseResult("conformance/add/shape7/f32", .fail)]

    static func mutations(lines: [Data], run: RunRecord) throws -> [Mutation] {
        var mutations: [Mutation] = []
        for (index, line) in lines.enumerated() {
            let text = String(decoding: line, as: UTF8.self)
            let outcome = run.cases[index].outcome.rawValue
            // Edits: the outcome to every other outcome, one prev digit, one byte of the body, the line cut short.
            for other in outcomes where other.rawValue != outcome {
                let edited = text.replacingOccurrences(
                    of: "\"outcome\":\"\(outcome)\"",
                    with: "\"outcome\":\"\(other.rawValue)\""
                )
                mutations.append(
                    Mutation(
                        name: "line \(index + 1) outcome → \(other.rawValue)",
                        journal: replacing(lines, at: index, with: Data(edited.utf8))
                    )
                )
            }
            var prev = line
            let digit = prev.index(prev.startIndex, offsetBy: 20)
            prev[digit] = prev[digit] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            mutations.append(
                Mutation(name: "line \(index + 1) prev digit", journal: replacing(lines, at: index, with: prev))
            )
            var body = line
            let seconds = try #require(text.range(of: "\"seconds\":"))
            body[text.utf8.distance(from: text.utf8.startIndex, to: seconds.upperBound)] = UInt8(ascii: "9")
            mutations.append(
                Mutation(name: "line \(index + 1) seconds", journal: replacing(lines, at: index, with: body))
            )
            mutations.append(
                Mutation(
                    name: "line \(index + 1) truncated",
                    journal: replacing(lines, at: index, with: line.prefix(line.count / 2))
                )
            )
            // Deletion.
            var deleted = lines
            deleted.remove(at: index)
            mutations.append(Mutation(name: "line \(index + 1) deleted", journal: deleted))
        }
        // Insertions: a copy of every line at every position.
        for position in 0...lines.count {
            for (index, line) in lines.enumerated() {
                var inserted = lines
                inserted.insert(line, at: position)
                mutations.append(Mutation(name: "line \(index + 1) inserted at \(position + 1)", journal: inserted))
            }
        }
        // Reorderings: every pair swapped.
        for first in lines.indices {
            for second in lines.indices where second > first {
                var swapped = lines
                swapped.swapAt(first, second)
                mutations.append(Mutation(name: "lines \(first + 1) and \(second + 1) swapped", journal: swapped))
            }
        }
        // Outcome flips in run.json.
        for index in run.cases.indices {
            for other in outcomes where other != run.cases[index].outcome {
                var flipped = run
                flipped.cases[index].outcome = other
                mutations.append(Mutation(name: "run.json case \(index + 1) → \(other.rawValue)", run: flipped))
            }
        }
        return mutations
    }

    static func replacing(_ lines: [Data], at index: Int, with line: Data) -> [Data] {
        var copy = lines
        copy[index] = line
        return copy
    }

    func certify(_ directory: URL) throws -> CertificateIssuer.Decision {
        let request = CertificateIssuer.Request(
            run: RunLocation(directory.path),
            profile: RunFixtures.profile,
            key: Fixtures.key,
            at: RunFixtures.now,
            out: directory.appendingPathComponent("cert.dsse.json"),
            harnessVersion: "9.9.9",
            stations: RunFixtures.stations
        )
        return try CertificateIssuer.certify(request)
    }

    @Test func everyJournalAndOutcomeMutationIsRefused() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-mutations")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = RunFixtures.run(Self.cases)
        try RunFixtures.writeAttested(run, to: directory)
        // The untouched run passes the audit (the profile then refuses its one fail): an
        // `untrusted` verdict below is the mutation's doing.
        let untouched = try certify(directory)
        guard case .refused(let result) = untouched, result.reasons.map(\.caseID) == ["conformance/add/shape7/f32"]
        else {
            Issue.record("the untouched run did not pass the audit: \(untouched)")
            return
        }
        let journalURL = directory.appendingPathComponent("journal.jsonl")
        let runURL = directory.appendingPathComponent("run.json")
        let attestationURL = directory.appendingPathComponent("run.dsse.json")
        let lines = try Data(contentsOf: journalURL).split(separator: UInt8(ascii: "\n")).map { Data($0) }
        let pristine = (
            journal: try Data(contentsOf: journalURL), run: try Data(contentsOf: runURL),
            attestation: try Data(contentsOf: attestationURL)
        )
        let recorded = try RunRecord.load(contentsOf: runURL)
        let mutations = try Self.mutations(lines: lines, run: recorded)
        // 7 lines, o = the other outcomes a case can be flipped to (7 since `observed`):
        // 7×(o outcome edits + prev + seconds + truncation + deletion) + 8×7 insertions + 21 swaps + 7×o flips.
        let others = Outcome.allCases.count - 1
        #expect(lines.count == 7 && mutations.count == 7 * (others + 4) + 8 * 7 + 21 + 7 * others)
        var refused = (kept: 0, resigned: 0)
        for resign in [false, true] {
            for mutation in mutations {
                try pristine.journal.write(to: journalURL)
                try pristine.run.write(to: runURL)
                try pristine.attestation.write(to: attestationURL)
                if let journal = mutation.journal {
                    try Data(journal.map { $0 + Data("\n".utf8) }.joined()).write(to: journalURL)
                }
                if let run = mutation.run { try RunFixtures.write(run, to: directory) }
                if resign { try RunFixtures.attest(directory) }
                let decision = try certify(directory)
                guard case .untrusted(let reasons) = decision else {
                    Issue.record("\(mutation.name)\(resign ? " (re-signed)" : ""): not refused as untrusted")
                    continue
                }
                #expect(!reasons.isEmpty)
                if resign { refused.resigned += 1 } else { refused.kept += 1 }
            }
        }
        #expect(refused.kept == mutations.count && refused.resigned == mutations.count)
        print(
            "RunAuditMutationTests: \(mutations.count) mutations, refused \(refused.kept) with the attestation kept and \(refused.resigned) re-signed"
        )
    }

    @Test func anUnattestedOrForeignStationRunIsRefusedWithTheReason() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-unattested")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(
            RunFixtures.run(),
            to: directory,
            station: try SigningKey(seed: Data(repeating: 9, count: 32))
        )
        guard case .untrusted(let foreign) = try certify(directory) else {
            Issue.record("a foreign station's run was certified")
            return
        }
        #expect(foreign.first?.contains("is not signed by a trusted station") == true, "\(foreign)")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("run.dsse.json"))
        guard case .untrusted(let unattested) = try certify(directory) else {
            Issue.record("an unattested run was certified")
            return
        }
        #expect(unattested == ["the run is not attested: no run.dsse.json (run it with --sign-with a station key)"])
    }

    @Test func evidenceThatContradictsItsOutcomeIsRefusedEvenWhenSigned() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-rejudge")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A station that signs a pass whose own evidence shows a mismatch beyond tolerance.
        var cases = RunFixtures.goodCases
        cases[0].evidence?.mismatches = 3
        cases[0].evidence?.samples = [.init(index: [1], expected: 1, actual: 2)]
        try RunFixtures.writeAttested(RunFixtures.run(cases), to: directory)
        guard case .untrusted(let reasons) = try certify(directory) else {
            Issue.record("a contradicted pass was certified")
            return
        }
        #expect(
            reasons.contains(
                "case conformance/matmul/m64.n48.k32/bf16: recorded pass, but its evidence shows 3 mismatch(es) beyond tolerance"
            ),
            "\(reasons)"
        )
        // A quoted mismatch that is within the recorded tolerance is not a mismatch.
        cases = RunFixtures.goodCases + [RunFixtures.caseResult("conformance/add/shape7/f32", .fail)]
        cases[6].evidence?.samples = [.init(index: [0], expected: 1, actual: 1.0001)]
        try RunFixtures.writeAttested(RunFixtures.run(cases), to: directory)
        guard case .untrusted(let within) = try certify(directory) else {
            Issue.record("a fail within tolerance was certified")
            return
        }
        #expect(
            within.contains("case conformance/add/shape7/f32: a quoted mismatch is within its recorded tolerance"),
            "\(within)"
        )
    }

    @Test func anIssueTimeBeforeTheRunEndedIsRefused() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-backdate")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        let request = CertificateIssuer.Request(
            run: RunLocation(directory.path),
            profile: RunFixtures.profile,
            key: Fixtures.key,
            at: RunFixtures.now.addingTimeInterval(-1),
            harnessVersion: "9.9.9",
            stations: RunFixtures.stations
        )
        #expect(throws: InputError.self) { _ = try CertificateIssuer.certify(request) }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("certificate.dsse.json").path))
    }
}
