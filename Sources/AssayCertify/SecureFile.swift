import Foundation

/// Creates files with their final permissions from the first byte, via POSIX
/// `open(O_CREAT|O_EXCL, mode)`: a private key is never readable by others,
/// not even briefly, and a symlink planted at the path is never followed.
enum SecureFile {
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Creates `path` with exactly `mode` and writes `contents`.
    /// With `replacing`, an existing file is unlinked first so that the new
    /// inode gets the new mode (truncating would keep the old, maybe wider, one).
    static func create(_ path: String, contents: Data, mode: mode_t, replacing: Bool) throws(KeyError) {
        if replacing, unlink(path) != 0, errno != ENOENT {
            throw .io(path: path, reason: "cannot replace: \(lastError())")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw .fileExists(path: path) }
            throw .io(path: path, reason: "cannot create: \(lastError())")
        }
        defer { close(fd) }
        do throws(KeyError) {
            // The umask may have narrowed the mode; fchmod makes it exact (never wider than asked).
            guard fchmod(fd, mode) == 0 else {
                throw KeyError.io(path: path, reason: "cannot set mode: \(lastError())")
            }
            try writeAll(fd, contents, path: path)
            guard fsync(fd) == 0 else { throw KeyError.io(path: path, reason: "cannot sync: \(lastError())") }
        } catch {
            remove(path)
            throw error
        }
    }

    static func remove(_ path: String) {
        _ = unlink(path)
    }

    private static func writeAll(_ fd: Int32, _ contents: Data, path: String) throws(KeyError) {
        var failure: String?
        contents.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = lastError()
                    return
                }
                offset += written
            }
        }
        if let failure { throw .io(path: path, reason: "cannot write: \(failure)") }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
