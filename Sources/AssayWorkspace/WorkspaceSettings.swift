import AssayCore
import Foundation

/// A workspace's `assay.yaml`: defaults that `assay run` and `assay certify` use when the
/// command line does not say. Paths are relative to the workspace folder.
public struct WorkspaceSettings: Sendable, Equatable {
    public static let fileName = "assay.yaml"

    /// The target `assay run` uses without `--target`.
    public var defaultTarget: String?
    /// The root folder for run directories (`Reports`).
    public var reports: String?
    /// The station's signing key, used by `assay certify` without `--key`.
    public var stationKey: String?

    public init(defaultTarget: String? = nil, reports: String? = nil, stationKey: String? = nil) {
        self.defaultTarget = defaultTarget
        self.reports = reports
        self.stationKey = stationKey
    }

    /// Parses `assay.yaml`; an empty or comment-only file means no settings. Errors name file:line:field.
    public static func parse(text: String, file: String) throws -> WorkspaceSettings {
        let meaningful = text.split(separator: "\n").contains {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return !line.isEmpty && !line.hasPrefix("#") && line != "---"
        }
        guard meaningful else { return WorkspaceSettings() }
        let map = try YAMLValue.load(text: text, file: file).mapping(allowed: [
            "default_target", "reports", "station_key",
        ])
        func nonEmpty(_ key: String) throws -> String? {
            guard let value = map[key] else { return nil }
            let text = try value.string()
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw value.error("must not be empty")
            }
            return text
        }
        return WorkspaceSettings(
            defaultTarget: try nonEmpty("default_target"),
            reports: try nonEmpty("reports"),
            stationKey: try nonEmpty("station_key")
        )
    }
}
