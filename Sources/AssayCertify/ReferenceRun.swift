import AssayCore
import Foundation

/// A run a profile names (`reference_run:`) whose figures stand in for the peaks a target's
/// descriptor does not declare: a run of the same suites on a reference machine the lab chose,
/// pinned by the SHA-256 of its run.json so the profile's digest fixes it.
public struct ReferenceRun: Sendable, Equatable {
    /// As written in the profile: relative to the profile's folder, or absolute.
    public var path: String
    /// SHA-256 of the reference run.json's bytes, lowercase hex.
    public var sha256: String
    /// Where the profile names it, for errors.
    public var file: String
    public var line: Int?

    public init(path: String, sha256: String, file: String, line: Int? = nil) {
        self.path = path
        self.sha256 = sha256
        self.file = file
        self.line = line
    }

    /// Reads the reference run.json (`path` resolved against `folder`, the profile's folder, or
    /// the current directory for a built-in profile) and checks its digest. Any problem is an
    /// input error naming the profile's line.
    public func load(relativeTo folder: URL) throws -> ReferencePeaks {
        let url = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path))
            .standardizedFileURL
        let location = RunLocation(url.path)
        func failure(_ field: String, _ message: String) -> InputError {
            InputError(file: file, line: line, field: "reference_run.\(field)", message: message)
        }
        let record: RunRecord
        let bytes: Data
        do { (record, bytes) = try location.load() } catch let error as InputError {
            throw failure("path", "cannot use the reference run: \(error)")
        }
        let digest = Digest.sha256Hex(bytes)
        guard digest == sha256 else {
            throw failure("sha256", "\(location.runJSON.path) has sha256 \(digest), not the \(sha256) the profile pins")
        }
        return ReferencePeaks(record: record, path: path, sha256: digest)
    }
}
