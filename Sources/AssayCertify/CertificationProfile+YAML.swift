import AssayCore
import Foundation

extension CertificationProfile {
    /// A profile path, or an id looked up as `Profiles/<id>.yaml` under `root`
    /// (the same rule `assay run` uses for targets and suites).
    public static func locate(_ name: String, root: URL) -> URL {
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            return URL(
                fileURLWithPath: name,
                relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            ).standardizedFileURL
        }
        return root.appendingPathComponent("Profiles").appendingPathComponent("\(name).yaml")
    }

    /// Loads and validates a profile; every error is an `InputError` naming file, line and field.
    public static func load(contentsOf url: URL, displayName: String? = nil) throws -> CertificationProfile {
        let (root, text) = try YAMLValue.load(contentsOf: url, displayName: displayName)
        return try CertificationProfile(yaml: root, text: text)
    }

    public static func parse(text: String, file: String) throws -> CertificationProfile {
        try CertificationProfile(yaml: try YAMLValue.load(text: text, file: file), text: text)
    }

    init(yaml: YAMLValue, text: String) throws {
        let map = try yaml.mapping(allowed: [
            "id", "version", "title", "suites", "passing", "max_unsupported_fraction",
            "performance_floors", "levels", "validity_days", "target_kinds", "reference_run",
        ])
        let idValue = try map.required("id")
        let id = try idValue.string()
        guard id.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]*$", options: .regularExpression) != nil else {
            throw idValue.error("id '\(id)' must be letters, digits, '.', '_' or '-'")
        }
        let levelsValue = try map.required("levels")
        let levels = try Self.levels(levelsValue)
        let floors =
            try map["performance_floors"]?.sequence().map { try PerformanceFloor(yaml: $0, levels: levels) } ?? []
        let suites = try map["suites"]?.sequence().map(SuiteRequirement.init(yaml:)) ?? []
        let maxUnsupported = try map["max_unsupported_fraction"].map { try $0.fraction(allowingZero: true) }
        let validityValue = try map.required("validity_days")
        let validityDays = try validityValue.int()
        guard validityDays > 0 else { throw validityValue.error("must be a positive number of days") }
        self.init(
            id: id,
            version: try map.required("version").string(),
            title: try map["title"]?.string() ?? id,
            requiredSuites: suites,
            passing: try PassingPolicy(yaml: try map.required("passing")),
            maxUnsupportedFraction: maxUnsupported,
            performanceFloors: floors,
            levels: levels,
            validityDays: validityDays,
            sha256: Digest.sha256Hex(text),
            file: yaml.file
        )
        targetKinds = try map["target_kinds"].flatMap(Self.targetKinds)
        if let value = map["reference_run"] {
            guard !floors.isEmpty else {
                throw value.error("a reference run is used only by performance_floors, and the profile has none")
            }
            referenceRun = try ReferenceRun(yaml: value)
        }
        try checkEveryRequirementIsConfigured(map: map, levelsValue: levelsValue)
    }

    /// `any`, or one kind or a list of them.
    private static func targetKinds(_ value: YAMLValue) throws -> [TargetDescriptor.Kind]? {
        if (try? value.string()) == "any" { return nil }
        let kinds = try value.listOrSingle().map { entry in
            let name = try entry.string()
            guard let kind = TargetDescriptor.Kind(rawValue: name) else {
                throw entry.error(
                    "unknown target kind '\(name)' (one of: any, \(TargetDescriptor.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return kind
        }
        guard !kinds.isEmpty else { throw value.error("list at least one target kind, or say any") }
        return kinds
    }

    private static func levels(_ value: YAMLValue) throws -> [Level] {
        let items = try value.sequence()
        guard !items.isEmpty else { throw value.error("at least one level is needed") }
        var seen = Set<String>()
        return try items.map { item in
            let map = try item.mapping(allowed: ["id", "title", "requires", "suites", "applies_to"])
            let idValue = try map.required("id")
            let id = try idValue.string()
            guard seen.insert(id).inserted else { throw idValue.error("level '\(id)' is defined twice") }
            let suites = try map["suites"]?.sequence().map(SuiteRequirement.init(yaml:)) ?? []
            var multiDeviceOnly = false
            if let value = map["applies_to"] {
                switch try value.string() {
                case "any": break
                case "multi_device": multiDeviceOnly = true
                case let other: throw value.error("applies_to is 'any' or 'multi_device', not '\(other)'")
                }
                guard seen.count > 1 || !multiDeviceOnly else {
                    throw value.error("the first level applies to every target")
                }
            }
            guard map["requires"] != nil || !suites.isEmpty else {
                throw item.error("level '\(id)' needs 'requires' or 'suites'")
            }
            let requires = try (map["requires"]?.listOrSingle() ?? []).map { entry in
                let name = try entry.string()
                guard let requirement = Requirement(rawValue: name) else {
                    throw entry.error(
                        "unknown requirement '\(name)' (one of: \(Requirement.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                return requirement
            }
            var level = Level(id: id, title: try map["title"]?.string() ?? id, requires: requires)
            level.suites = suites
            level.multiDeviceOnly = multiDeviceOnly
            return level
        }
    }

    /// A listed requirement with nothing configured, or a configuration no level asks for,
    /// is almost certainly a mistake in the profile, so both are errors.
    private func checkEveryRequirementIsConfigured(map: YAMLMapping, levelsValue: YAMLValue) throws {
        let required = Set(levels.flatMap(\.requires))
        let configured: [(Requirement, String, Bool)] = [
            (.suites, "suites", !requiredSuites.isEmpty),
            (.unsupportedFraction, "max_unsupported_fraction", maxUnsupportedFraction != nil),
        ]
        for (requirement, key, isConfigured) in configured {
            if isConfigured, !required.contains(requirement), let value = map[key] {
                throw value.error("no level requires '\(requirement.rawValue)'")
            }
            if !isConfigured, required.contains(requirement) {
                throw levelsValue.error("a level requires '\(requirement.rawValue)' but '\(key)' is not given")
            }
        }
        for level in levels where level.requires.contains(.performanceFloors) {
            guard performanceFloors.contains(where: { $0.level == level.id }) else {
                throw levelsValue.error("level '\(level.id)' requires performance_floors but no floor names it")
            }
        }
    }
}

extension ReferenceRun {
    /// `{path: References/kunpeng-920/run.json, sha256: <64 hex digits>}`.
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["path", "sha256"])
        let pathValue = try map.required("path")
        let digestValue = try map.required("sha256")
        let path = try pathValue.string()
        guard !path.isEmpty else { throw pathValue.error("give the reference run directory or its run.json") }
        let digest = try digestValue.string().lowercased()
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else {
            throw digestValue.error(
                "expected the SHA-256 of the reference run.json, 64 hex digits (sha256sum run.json)"
            )
        }
        self.init(path: path, sha256: digest, file: yaml.file, line: yaml.line)
    }
}

extension CertificationProfile.SuiteRequirement {
    /// `smoke`, or `{suite: [smoke, conformance], if_present: true}`.
    init(yaml: YAMLValue) throws {
        if (try? yaml.string()) != nil {
            self.init(anyOf: [try yaml.string()])
            return
        }
        let map = try yaml.mapping(allowed: ["suite", "if_present"])
        let suiteValue = try map.required("suite")
        let ids = try suiteValue.strings()
        guard !ids.isEmpty else { throw suiteValue.error("name at least one suite id") }
        self.init(anyOf: ids, ifPresent: try map["if_present"]?.bool() ?? false)
    }
}

extension CertificationProfile.PassingPolicy {
    /// Only these can pass: accepting `fail`, `error`, `crash` or `timeout` would make the certificate meaningless.
    static let acceptable: Set<Outcome> = [.pass, .unsupported, .waived]

    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["outcomes", "waiver_categories"])
        let outcomesValue = try map.required("outcomes")
        var outcomes = Set<Outcome>()
        for entry in try outcomesValue.listOrSingle() {
            let name = try entry.string()
            guard let outcome = Outcome(rawValue: name), Self.acceptable.contains(outcome) else {
                throw entry.error("'\(name)' cannot be a passing outcome (one of: pass, unsupported, waived)")
            }
            outcomes.insert(outcome)
        }
        guard outcomes.contains(.pass) else { throw outcomesValue.error("the passing outcomes must include 'pass'") }
        var categories = Set<Waiver.Category>()
        if let value = map["waiver_categories"] {
            guard outcomes.contains(.waived) else {
                throw value.error("waiver categories given but 'waived' is not a passing outcome")
            }
            for entry in try value.listOrSingle() {
                let name = try entry.string()
                guard let category = Waiver.Category(rawValue: name) else {
                    throw entry.error(
                        "unknown waiver category '\(name)' (one of: \(Waiver.Category.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                categories.insert(category)
            }
        } else if outcomes.contains(.waived) {
            throw outcomesValue.error("'waived' is accepted: list the allowed 'waiver_categories'")
        }
        self.init(outcomes: outcomes, waiverCategories: categories)
    }
}

extension PerformanceFloor {
    init(yaml: YAMLValue, levels: [CertificationProfile.Level]) throws {
        let map = try yaml.mapping(allowed: ["match", "metric", "min", "level"])
        let matchValue = try map.required("match")
        let match: Match
        if let pattern = try? matchValue.string() {
            match = .caseID(pattern)
        } else {
            let fields = try matchValue.mapping(allowed: ["op", "dtype"])
            match = .op(try fields.required("op").string(), dtype: try fields["dtype"]?.string())
        }
        let metricValue = try map.required("metric")
        guard let metric = Metric(rawValue: try metricValue.string()) else {
            throw metricValue.error(
                "unknown metric '\(try metricValue.string())' (one of: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let levelValue = try map.required("level")
        let level = try levelValue.string()
        guard let owner = levels.first(where: { $0.id == level }) else {
            throw levelValue.error("unknown level '\(level)' (one of: \(levels.map(\.id).joined(separator: ", ")))")
        }
        guard owner.requires.contains(.performanceFloors) else {
            throw levelValue.error("level '\(level)' does not require performance_floors")
        }
        self.init(
            match: match,
            metric: metric,
            min: try map.required("min").fraction(allowingZero: false),
            level: level
        )
    }
}

extension YAMLValue {
    /// A share written as a fraction: 0.5 means 50%.
    fileprivate func fraction(allowingZero: Bool) throws -> Double {
        let value = try double()
        guard value <= 1, allowingZero ? value >= 0 : value > 0 else {
            throw error(
                "expected a fraction \(allowingZero ? "from 0" : "above 0") to 1 (0.5 means 50%), found \(value)"
            )
        }
        return value
    }
}
