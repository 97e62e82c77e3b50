import Foundation

/// What run.json records about its journal (the `journal` member, docs/FORMATS.md): where the
/// chain stood when run.json was written, and every problem found in the journal on `--resume`.
/// A line beyond `lines` in a run stopped cleanly was not written by the harness.
public struct JournalState: Codable, Sendable, Equatable {
    /// Lines in journal.jsonl when run.json was written.
    public var lines: Int
    /// SHA-256 of the last of them (the genesis hash for an empty journal).
    public var head: String
    /// Whether lines carry a station MAC.
    public var keyed: Bool
    /// Run-level journal events: chain breaks, unknown writers, refused lines. Never a pass.
    public var events: [JournalEvent]

    public init(lines: Int, head: String, keyed: Bool, events: [JournalEvent] = []) {
        self.lines = lines
        self.head = head
        self.keyed = keyed
        self.events = events
    }
}

/// A problem the harness found in its own journal, and what it did about it.
public struct JournalEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A line whose `prev` is not the hash of the line before it (edited, inserted, deleted, reordered).
        case chainBreak = "chain_break"
        /// A line without a valid station MAC in a keyed journal: not written by this station.
        case unknownWriter = "unknown_writer"
        /// A line that is not a case result.
        case unreadable
        /// Lines beyond what run.json recorded when the run stopped cleanly.
        case unrecordedLines = "unrecorded_lines"
        /// The journal does not reach, or does not match, the head run.json recorded.
        case headMismatch = "head_mismatch"
        /// A journal from a harness before the chain: its lines cannot be verified.
        case unchained
    }

    public var kind: Kind
    /// 1-based line number in the journal as found.
    public var line: Int?
    public var message: String
    /// Lines moved to journal.refused.jsonl (their cases run again).
    public var refusedLines: Int
    public var at: Date

    public init(kind: Kind, line: Int?, message: String, refusedLines: Int, at: Date = Date()) {
        self.kind = kind
        self.line = line
        self.message = message
        self.refusedLines = refusedLines
        self.at = at
    }
}
