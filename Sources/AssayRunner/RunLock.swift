import AssayCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive flock(2) on a run directory (`<run>/.lock`, holding the owner's pid), held for
/// the whole `assay run`: a second run or `--resume` of the same directory is refused instead
/// of interleaving its journal lines and run.json writes with the first. The kernel drops the
/// lock when the holder exits, however it dies, so a killed run never leaves it stale.
public final class RunLock {
    public static let fileName = ".lock"
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock or throws at once: `InputError` "run in use by pid N" when another process
    /// holds it, `FileIOError` when the lock file cannot be opened.
    public static func acquire(_ directory: URL) throws -> RunLock {
        let path = directory.appendingPathComponent(fileName).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileIOError("open", path: path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            guard code == EWOULDBLOCK else { throw FileIOError("lock", path: path, code: code) }
            let holder = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            throw InputError(
                file: directory.path,
                message:
                    "run in use by pid \(holder.isEmpty ? "(unknown)" : holder); wait for it to finish or stop it first"
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, pid, pid.count, 0) == pid.count else {
            let failure = FileIOError("write", path: path)
            close(fd)
            throw failure
        }
        return RunLock(fd: fd)
    }

    deinit { close(fd) }
}
