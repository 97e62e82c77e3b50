import AssayCore
import Foundation

/// A run named on the command line: a run directory (`Reports/<target>/<run>` or its
/// `latest` link) or its `run.json`.
public struct RunLocation: Sendable, Equatable {
    public var directory: URL
    public var runJSON: URL

    public init(_ argument: String) {
        runJSON = RunRecordPath.record(argument)
        directory = runJSON.deletingLastPathComponent()
    }

    /// The exact bytes of run.json (what the certificate's subject digests).
    public func bytes() throws -> Data {
        guard let data = FileManager.default.contents(atPath: runJSON.path) else {
            throw InputError(file: runJSON.path, message: "cannot read the run record")
        }
        return data
    }

    /// The bytes and the parsed record, guaranteed to be the same file state: the bytes
    /// are read before and after parsing, so a record rewritten meanwhile is refused.
    public func load() throws -> (record: RunRecord, bytes: Data) {
        let before = try bytes()
        let record = try RunRecord.load(contentsOf: runJSON)
        guard try bytes() == before else {
            throw InputError(
                file: runJSON.path,
                message: "the run record changed while it was being read; try again when the run has finished"
            )
        }
        return (record, before)
    }
}
