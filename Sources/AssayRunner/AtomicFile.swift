import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so readers see the old or the new contents, never a torn one.
public enum AtomicFile {
    /// Writes `.<name>.tmp`, fsyncs it, and renames it over `url`. A failure (disk full, permission)
    /// throws a `FileIOError` naming the path and leaves `url` as it was.
    public static func write(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError("create", path: temporary) }
        do {
            try data.withUnsafeBytes { try FileIOError.writeAll($0, to: fd, path: temporary) }
            guard fsync(fd) == 0 || errno == EINVAL else { throw FileIOError("flush", path: temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        // rename(2) replaces the target atomically on POSIX file systems.
        guard rename(temporary, url.path) == 0 else {
            let failure = FileIOError("replace", path: url.path)
            unlink(temporary)
            throw failure
        }
    }
}
