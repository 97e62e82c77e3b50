import Foundation

extension URL {
    /// `path` as an absolute file URL: as it is when absolute, else under this folder. Unlike
    /// `URL(fileURLWithPath:relativeTo:)`, this never drops the folder's last component when
    /// the folder URL lacks a trailing slash.
    public func resolvingPath(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return appendingPathComponent(path).standardizedFileURL
    }
}
