import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file-system call that failed while writing the run record (disk full, read-only, permission):
/// names the path, the operation and the errno text, so `assay run` can say exactly what to fix
/// (exit 2). Whatever was already written stays as it was, so the run stays resumable.
public struct FileIOError: Error, CustomStringConvertible, Sendable, Equatable {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code))) (errno \(code))" }

    /// Wraps a Foundation error, keeping its POSIX code when it carries one.
    public static func from(_ error: Error, operation: String, path: String) -> FileIOError {
        if let io = error as? FileIOError { return io }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return FileIOError(operation, path: path, code: Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return FileIOError(operation, path: path, code: Int32(underlying.code))
        }
        return FileIOError(operation, path: path, code: EIO)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileIOError("write", path: path)
            }
            offset += written
        }
    }
}
