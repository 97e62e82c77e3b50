import Foundation

/// Reads journal.jsonl and checks its chain line by line (see `JournalChain`): the harness on
/// `--resume` and `assay certify` both use it, so they agree on what a valid journal is.
public struct JournalVerification: Sendable {
    /// One verified line: its exact bytes and the result it holds.
    public struct Line: Sendable {
        public var bytes: Data
        public var result: CaseResult
    }

    /// The first bad line and why; nil when every complete line verified.
    public struct Problem: Sendable, Equatable {
        public var kind: JournalEvent.Kind
        /// 1-based.
        public var line: Int
        public var message: String
    }

    /// The verified prefix.
    public var lines: [Line]
    /// Complete lines after the verified prefix (from the first bad one on).
    public var rejected: [Data]
    public var problem: Problem?
    /// Leading lines read without a chain (written by a harness before the chain).
    public var unchainedLines: Int
    /// Bytes of a last line without its newline (a kill mid-write), dropped.
    public var tornBytes: Int

    /// SHA-256 of the last verified line, or the genesis hash.
    public func head(runID: String) -> String {
        lines.last.map { JournalChain.hash($0.bytes) } ?? JournalChain.genesis(runID: runID)
    }

    /// Splits `data` into lines and verifies them in order. With `key`, every line must carry
    /// a valid MAC; without, a MAC is not checked (only the station can). With
    /// `allowUnchainedPrefix`, lines of a harness before the chain are read unverified up to the
    /// first chained line, whose `prev` is then the hash of the last of them.
    public static func verify(
        _ data: Data,
        runID: String,
        key: JournalKey?,
        allowUnchainedPrefix: Bool = false
    ) -> JournalVerification {
        var complete: [Data] = []
        var offset = data.startIndex
        while let newline = data[offset...].firstIndex(of: UInt8(ascii: "\n")) {
            complete.append(Data(data[offset..<newline]))
            offset = newline + 1
        }
        let torn = data.endIndex - offset
        let decoder = RecordCoding.decoder()
        var lines: [Line] = []
        var unchained = 0
        if allowUnchainedPrefix {
            for bytes in complete {
                guard JournalChain.parse(bytes).prev == nil,
                    let result = try? decoder.decode(CaseResult.self, from: bytes)
                else { break }
                lines.append(Line(bytes: bytes, result: result))
            }
            unchained = lines.count
        }
        var expectedPrev = lines.last.map { JournalChain.hash($0.bytes) } ?? JournalChain.genesis(runID: runID)
        for (index, bytes) in complete.enumerated().dropFirst(unchained) {
            let parsed = JournalChain.parse(bytes)
            var problem: Problem?
            if parsed.prev == nil {
                problem = Problem(
                    kind: .chainBreak,
                    line: index + 1,
                    message: "line \(index + 1) carries no chain link"
                )
            } else if parsed.prev != expectedPrev {
                problem = Problem(
                    kind: .chainBreak,
                    line: index + 1,
                    message:
                        "line \(index + 1)'s prev is not the SHA-256 of \(index == 0 ? "the run's genesis" : "line \(index)")"
                )
            } else if let key, !JournalChain.isValidMAC(parsed, key: key) {
                problem = Problem(
                    kind: .unknownWriter,
                    line: index + 1,
                    message: "line \(index + 1) has no valid station MAC: the harness did not write it"
                )
            }
            var result: CaseResult?
            if problem == nil {
                result = try? decoder.decode(CaseResult.self, from: JournalChain.body(parsed))
                if result == nil {
                    problem = Problem(
                        kind: .unreadable,
                        line: index + 1,
                        message: "line \(index + 1) is not a case result"
                    )
                }
            }
            guard problem == nil, let result else {
                return JournalVerification(
                    lines: lines,
                    rejected: Array(complete[index...]),
                    problem: problem!,
                    unchainedLines: unchained,
                    tornBytes: torn
                )
            }
            lines.append(Line(bytes: bytes, result: result))
            expectedPrev = JournalChain.hash(bytes)
        }
        return JournalVerification(lines: lines, rejected: [], problem: nil, unchainedLines: unchained, tornBytes: torn)
    }
}
