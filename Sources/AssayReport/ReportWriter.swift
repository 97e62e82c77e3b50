import AssayCore
import Foundation

/// Where reports meet the file system: finds a run's record, writes the formats asked for.
public enum ReportWriter {
    /// `run.json` of a run directory (symlinks such as `latest` resolved), or the file itself.
    public static func recordURL(for path: String, relativeTo base: URL? = nil) -> URL {
        RunRecordPath.record(path, relativeTo: base)
    }

    /// Loads the record at `path` (a run directory or run.json); errors name the file.
    public static func loadRecord(_ path: String, relativeTo base: URL? = nil) throws -> RunRecord {
        try RunRecord.load(contentsOf: recordURL(for: path, relativeTo: base))
    }

    /// The text of one format.
    public static func render(_ format: ReportFormat, _ model: ReportModel) throws -> Data {
        switch format {
        case .html: return Data(HTMLReport(model).rendered().utf8)
        case .md: return Data(MarkdownReport(model).rendered().utf8)
        case .junit: return Data(JUnitReport(model).rendered().utf8)
        case .json: return try ReportSummary(model).encoded()
        }
    }

    /// Writes each format into `directory` (created if needed); returns the files written.
    @discardableResult
    public static func write(
        _ record: RunRecord,
        formats: [ReportFormat] = ReportFormat.allCases,
        to directory: URL
    ) throws -> [URL] {
        let model = ReportModel(record)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try formats.map { format in
            let url = directory.appendingPathComponent(format.fileName)
            try render(format, model).write(to: url, options: .atomic)
            return url
        }
    }
}
