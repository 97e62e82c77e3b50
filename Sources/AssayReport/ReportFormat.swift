import Foundation

/// The files `assay report` can write, and their names in the output folder.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, md, junit, json

    public var fileName: String {
        switch self {
        case .html: return "report.html"
        case .md: return "report.md"
        case .junit: return "junit.xml"
        case .json: return "report.json"
        }
    }

    /// Parses `html,md` (also accepting `markdown` and `xml`); nil names the first unknown entry.
    public static func parseList(_ text: String) -> Result<[ReportFormat], UnknownFormat> {
        var formats: [ReportFormat] = []
        for raw in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where !raw.isEmpty {
            let aliases: [String: ReportFormat] = ["markdown": .md, "xml": .junit]
            guard let format = ReportFormat(rawValue: raw) ?? aliases[raw] else {
                return .failure(UnknownFormat(name: raw))
            }
            if !formats.contains(format) { formats.append(format) }
        }
        return .success(formats)
    }

    public struct UnknownFormat: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown format '\(name)' (allowed: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
