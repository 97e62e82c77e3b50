import Foundation

/// A target's waivers in their own file (`Waivers/<target-id>.yaml`, or `assay run --waivers`;
/// docs/FORMATS.md), so that editing a waiver leaves the descriptor a certificate attests to
/// unchanged, and every waiver says who keeps it and who approved it.
public struct WaiverFile: Codable, Sendable, Equatable {
    /// The target the file is for; a run refuses a file written for another target.
    public var target: String
    public var waivers: [Waiver]

    public init(target: String, waivers: [Waiver]) {
        self.target = target
        self.waivers = waivers
    }

    /// The folder waiver files live in, in a workspace and next to a `Targets/` folder.
    public static let folder = "Waivers"

    /// Loads and validates a waiver file; every error names file, line and field.
    public static func parse(text: String, file: String) throws -> WaiverFile {
        let map = try YAMLValue.load(text: text, file: file).mapping(allowed: ["target", "waivers"])
        let target = try map.required("target").identifier()
        let waivers = try map.required("waivers").sequence().map(Waiver.init(fileEntry:))
        return WaiverFile(target: target, waivers: waivers)
    }

    /// Refuses a file written for another target (an error at its `target:` line).
    public func check(for targetID: String, text: String, file: String) throws {
        guard target != targetID else { return }
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("target:") }
            .map { $0 + 1 }
        throw InputError(
            file: file,
            line: line,
            field: "target",
            message: "this waiver file is for target '\(target)', not '\(targetID)'"
        )
    }
}

extension Waiver {
    /// An entry of a waiver file: `case` glob, `category`, `reason`, `issue` link, `owner`,
    /// `approver`, and `expires` — a day, the last one on which the waiver applies.
    init(fileEntry yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["case", "category", "reason", "issue", "owner", "approver", "expires"])
        let expiresValue = try map.required("expires")
        let day = try expiresValue.string()
        guard day.count == 10, let expires = YAMLValue.parseDate(day) else {
            throw expiresValue.error("expected a day like 2027-01-31 (the last day the waiver applies), found '\(day)'")
        }
        func text(_ key: String) throws -> String {
            let value = try map.required(key)
            let text = try value.string().trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw value.error("must not be empty") }
            return text
        }
        self.init(
            pattern: try text("case"),
            category: try Category(yaml: try map.required("category")),
            reference: try text("issue"),
            reason: try text("reason"),
            expires: expires,
            owner: try text("owner"),
            approver: try text("approver")
        )
    }
}

extension Waiver.Category {
    init(yaml value: YAMLValue) throws {
        let name = try value.string()
        guard let category = Self(rawValue: name) else {
            throw value.error(
                "unknown waiver category '\(name)' (one of: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        self = category
    }
}
