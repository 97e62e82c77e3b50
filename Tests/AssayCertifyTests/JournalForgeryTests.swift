import AssayBackend
import AssayCertify
import AssayCore
import AssayRunner
import AssayTestSupport
import Foundation
import Testing

/// A forged journal line, however it got there, never becomes a recorded pass after `--resume`.
///
/// A real run of four cases is stopped after two (cleanly, as Ctrl-C leaves it, or killed, as
/// SIGKILL leaves it), a pass for a case that never ran is forged into journal.jsonl in each way
/// below, and the run is resumed. With a station key every forgery is refused: the forger lacks
/// the key for the line MACs. Without one the chain and run.json's recorded head catch every
/// forgery except one that recomputes the chain after a kill (when run.json has not recorded a
/// head since the run started): that one is recorded, as `unsignedAfterAKillIsTheLimit` shows,
/// and only certification, which refuses an unsigned run, stands between it and a certificate.
@Suite(.serialized) struct JournalForgeryTests {
    enum Forgery: String, CaseIterable {
        /// A plain CaseResult line appended, as a pre-chain writer would.
        case appendedPlain
        /// Appended with `prev` set to the hash of the last line.
        case appendedChained
        /// Appended, chained, with a MAC under a key that is not the station's.
        case appendedWrongMAC
        /// The last line's case replaced by the forged one, its chain link kept.
        case editedLast
        /// Inserted before the last line, the chain recomputed from there on.
        case insertedRechained
    }

    static let secret = Data(repeating: 5, count: 32)
    static let suite = """
        id: forge
        kind: conformance
        cases:
          - {op: add, dtypes: [f32], shapes: [{a: [7], b: [7]}, {a: [8], b: [8]}, {a: [9], b: [9]}, {a: [10], b: [10]}]}
        """

    /// A finished run of the four cases in a fresh folder.
    func completedRun(signed: Bool) throws -> (folder: URL, directory: URL) {
        let folder = try TemporaryDirectory.make(prefix: "assay-forge")
        let suiteURL = folder.appendingPathComponent("forge.yaml")
        try Self.suite.write(to: suiteURL, atomically: true, encoding: .utf8)
        let request = RunRequest(
            target: "local-cpu",
            suites: [suiteURL.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        session.journalSecret = signed ? Self.secret : nil
        let record = try session.run()
        #expect(
            record.status == .complete && record.cases.count == 4 && record.cases.allSatisfy { $0.outcome == .pass }
        )
        return (folder, session.directory)
    }

    /// Rewinds the run to what it was after two cases: stopped by Ctrl-C (run.json written after
    /// the last line) or by SIGKILL (run.json as written at the start).
    func rewind(_ directory: URL, cleanly: Bool) throws -> (record: RunRecord, lines: [Data]) {
        let journalURL = directory.appendingPathComponent("journal.jsonl")
        let lines = Array(
            try Data(contentsOf: journalURL).split(separator: UInt8(ascii: "\n")).map { Data($0) }.prefix(2)
        )
        try Data(lines.map { $0 + Data("\n".utf8) }.joined()).write(to: journalURL)
        var record = try RunRecord.load(contentsOf: directory.appendingPathComponent("run.json"))
        record.status = cleanly ? .interrupted : .running
        record.cases = cleanly ? Array(record.cases.prefix(2)) : []
        let keyed = record.journal?.keyed ?? false
        record.journal =
            cleanly
            ? JournalState(lines: 2, head: JournalChain.hash(lines[1]), keyed: keyed)
            : JournalState(lines: 0, head: JournalChain.genesis(runID: record.runID), keyed: keyed)
        try RecordCoding.encoder().encode(record).write(to: directory.appendingPathComponent("run.json"))
        return (record, lines)
    }

    /// journal.jsonl with the forgery applied: a pass for the third planned case, which has not run.
    func forge(_ forgery: Forgery, lines: [Data], record: RunRecord) throws -> [Data] {
        var forged = try RecordCoding.decoder().decode(
            CaseResult.self,
            from: JournalChain.body(JournalChain.parse(lines[0]))
        )
        forged.id = record.plannedCases[2]
        forged.message = "forged"
        let body = try RecordCoding.encoder(pretty: false).encode(forged)
        func chained(_ lines: [Data], from index: Int, key: JournalKey?) -> [Data] {
            var result = Array(lines.prefix(index))
            var prev = result.last.map(JournalChain.hash) ?? JournalChain.genesis(runID: record.runID)
            for line in lines[index...] {
                let parsed = JournalChain.parse(line)
                let rechained = JournalChain.line(body: JournalChain.body(parsed), prev: prev, key: key)
                result.append(rechained)
                prev = JournalChain.hash(rechained)
            }
            return result
        }
        let wrongKey = JournalKey(secret: Data(repeating: 6, count: 32), runID: record.runID)
        switch forgery {
        case .appendedPlain:
            return lines + [body]
        case .appendedChained:
            return lines + [JournalChain.line(body: body, prev: JournalChain.hash(lines[1]), key: nil)]
        case .appendedWrongMAC:
            return lines + [JournalChain.line(body: body, prev: JournalChain.hash(lines[1]), key: wrongKey)]
        case .editedLast:
            return [lines[0], JournalChain.line(body: body, prev: JournalChain.hash(lines[0]), key: nil)]
        case .insertedRechained:
            return chained([lines[0], body, lines[1]], from: 1, key: nil)
        }
    }

    /// Resumes the run as `assay run --resume` does; returns the final record.
    func resume(_ folder: URL, _ directory: URL, signed: Bool) throws -> RunRecord {
        let request = RunRequest(
            target: "local-cpu",
            suites: [],
            reportsRoot: folder.appendingPathComponent("Reports"),
            resume: directory,
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        session.journalSecret = signed ? Self.secret : nil
        return try session.run()
    }

    func scenario(_ forgery: Forgery, signed: Bool, cleanly: Bool) throws -> (record: RunRecord, refused: String?) {
        let (folder, directory) = try completedRun(signed: signed)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (record, lines) = try rewind(directory, cleanly: cleanly)
        let forged = try forge(forgery, lines: lines, record: record)
        try Data(forged.map { $0 + Data("\n".utf8) }.joined()).write(
            to: directory.appendingPathComponent("journal.jsonl")
        )
        let final = try resume(folder, directory, signed: signed)
        let refused = try? String(
            contentsOf: directory.appendingPathComponent("journal.refused.jsonl"),
            encoding: .utf8
        )
        return (final, refused)
    }

    @Test(arguments: Forgery.allCases, [true, false])
    func aSignedRunRefusesEveryForgery(_ forgery: Forgery, cleanly: Bool) throws {
        let (record, refused) = try scenario(forgery, signed: true, cleanly: cleanly)
        #expect(record.status == .complete && record.cases.count == 4)
        #expect(!record.cases.contains { $0.message == "forged" }, "the forged line became a result")
        let events = record.journal?.events ?? []
        #expect(!events.isEmpty && events.allSatisfy { $0.refusedLines > 0 || $0.kind == .headMismatch }, "\(events)")
        #expect(refused?.contains("\"message\":\"forged\"") == true, "the forged line is kept as evidence")
    }

    @Test(arguments: Forgery.allCases)
    func anUnsignedRunStoppedCleanlyRefusesEveryForgery(_ forgery: Forgery) throws {
        let (record, refused) = try scenario(forgery, signed: false, cleanly: true)
        #expect(record.status == .complete && record.cases.count == 4)
        #expect(!record.cases.contains { $0.message == "forged" }, "the forged line became a result")
        let events = record.journal?.events ?? []
        #expect(events.count == 1 && events[0].refusedLines > 0, "\(events)")
        #expect(refused?.contains("\"message\":\"forged\"") == true)
    }

    @Test func anUnsignedRunAfterAKillRefusesForgeriesThatBreakTheChain() throws {
        for forgery in [Forgery.appendedPlain] {
            let (record, _) = try scenario(forgery, signed: false, cleanly: false)
            #expect(!record.cases.contains { $0.message == "forged" }, "\(forgery)")
            #expect(record.journal?.events.first?.kind == .chainBreak)
        }
    }

    /// The documented limit: without a station key, a forger who recomputes the chain after a
    /// kill writes lines the harness cannot tell from its own. Certification still refuses the run.
    @Test func unsignedAfterAKillIsTheLimit() throws {
        let (folder, directory) = try completedRun(signed: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (record, lines) = try rewind(directory, cleanly: false)
        let forged = try forge(.appendedChained, lines: lines, record: record)
        try Data(forged.map { $0 + Data("\n".utf8) }.joined()).write(
            to: directory.appendingPathComponent("journal.jsonl")
        )
        let final = try resume(folder, directory, signed: false)
        #expect(
            final.cases.contains { $0.message == "forged" },
            "if this now fails, the limit is gone: update docs/FORMATS.md"
        )
        let location = RunLocation(directory.path)
        let (loaded, bytes) = try location.load()
        guard
            case .refused(let reasons) = RunAudit.audit(
                location,
                record: loaded,
                runBytes: bytes,
                trust: RunFixtures.stations
            )
        else {
            Issue.record("an unsigned run passed the audit")
            return
        }
        #expect(reasons.first?.contains("not attested") == true)
    }

    @Test func resumingWithoutTheStationKeyIsRefused() throws {
        let (folder, directory) = try completedRun(signed: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try rewind(directory, cleanly: true)
        #expect(throws: InputError.self) { _ = try resume(folder, directory, signed: false) }
    }
}
