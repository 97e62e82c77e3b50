import AssayWorkspace
import Foundation

/// `targets list` and `suites list`: every file the locator finds, one text line each (or
/// INVALID and why), or with --json one array of `Entry`.
enum ResourceListing {
    /// One listed file: where it came from, and its summary or the error that made it invalid.
    struct Entry<Summary: Encodable>: Encodable {
        var name: String
        /// `workspace`, `ASSAY_HOME` or `built-in`.
        var origin: String
        /// The file, or `builtin:…` for a built-in copy.
        var path: String
        var valid: Bool
        var error: String?
        var summary: Summary?
    }

    /// `summarize` parses one file and returns its summary and its text line (without the origin).
    static func run<Summary: Encodable>(
        _ kind: ResourceKind,
        json: Bool,
        summarize: (LocatedResource) throws -> (Summary, String)
    ) throws {
        var entries: [Entry<Summary>] = []
        for file in try ResourceLocator.current().list(kind) {
            var entry = Entry<Summary>(
                name: file.name,
                origin: file.origin.description,
                path: file.url?.path ?? file.displayName,
                valid: false
            )
            do {
                let (summary, line) = try summarize(file)
                entry.summary = summary
                entry.valid = true
                if !json { print("\(line)  (\(file.whereFrom))") }
            } catch {
                entry.error = "\(error)"
                // Named by its path: an invalid file may have no id.
                if !json { print("\(file.displayName): INVALID — \(error)  (\(file.whereFrom))") }
            }
            entries.append(entry)
        }
        if json { try JSONOutput.print(entries) }
    }
}
