import Foundation

extension Suite {
    public static func load(
        contentsOf url: URL,
        displayName: String? = nil,
        validator: SuiteEntryValidating?
    ) throws -> (Suite, text: String) {
        let (root, text) = try YAMLValue.load(contentsOf: url, displayName: displayName)
        return (try Suite(yaml: root, validator: validator), text)
    }

    public static func parse(text: String, file: String, validator: SuiteEntryValidating?) throws -> Suite {
        try Suite(yaml: try YAMLValue.load(text: text, file: file), validator: validator)
    }

    init(yaml: YAMLValue, validator: SuiteEntryValidating?) throws {
        let map = try yaml.mapping(allowed: [
            "id", "title", "description", "kind", "seed", "performance", "memory_budget", "cases",
        ])
        let id = try map.required("id").identifier()
        var defaultKind = CaseKind.conformance
        if let kindValue = map["kind"] { defaultKind = try kindValue.caseKind() }
        var performance = PerformanceSettings()
        if let perf = try map["performance"]?.mapping(allowed: [
            "time_cap_s", "mode", "target_ci", "min_samples", "min_measured_s", "rounds",
        ]) {
            performance.timeCapSeconds = try perf["time_cap_s"]?.positiveDouble() ?? performance.timeCapSeconds
            performance.mode = try perf["mode"]?.performanceMode() ?? performance.mode
            performance.targetRelativeHalfWidth =
                try perf["target_ci"]?.positiveDouble() ?? performance.targetRelativeHalfWidth
            performance.minSamples = try perf["min_samples"]?.nonNegativeInt() ?? performance.minSamples
            performance.minMeasuredSeconds =
                try perf["min_measured_s"]?.positiveDouble() ?? performance.minMeasuredSeconds
            performance.rounds = try perf["rounds"]?.positiveInt() ?? performance.rounds
        }
        var seed: UInt64 = 20_260_101
        if let seedValue = map["seed"] {
            let value = try seedValue.int()
            guard value >= 0 else { throw seedValue.error("seed must be non-negative") }
            seed = UInt64(value)
        }
        let budget = try map["memory_budget"]?.memoryBudget()
        let entries = try map.required("cases").sequence().map {
            try SuiteEntry(yaml: $0, defaultKind: defaultKind, validator: validator, budget: budget)
        }
        self.init(
            id: id,
            title: try map["title"]?.string() ?? id,
            description: try map["description"]?.string(),
            seed: seed,
            performance: performance,
            memoryBudgetBytes: budget?.bytes,
            entries: entries
        )
    }
}

extension SuiteEntry {
    init(yaml: YAMLValue, defaultKind: CaseKind, validator: SuiteEntryValidating?, budget: MemoryBudget?) throws {
        let map = try yaml.mapping(allowed: [
            "op", "check", "kind", "dtypes", "shapes", "attrs", "values", "rtol", "atol", "tolerance_reason", "mode",
            "time_cap_s",
            "sizes", "in_place", "root", "graph", "dims", "thresholds", "greedy_steps", "measure", "phase", "grid",
        ])
        let kind = try map["kind"]?.caseKind() ?? defaultKind
        if kind == .collective {
            try self.init(collective: map, at: yaml)
            return
        }
        if kind == .model {
            try self.init(model: map, at: yaml)
            return
        }
        for key in ["graph", "dims", "thresholds", "greedy_steps", "measure", "phase", "grid"] where map[key] != nil {
            throw map[key]!.error("'\(key)' belongs to model cases (kind: model)")
        }
        for key in ["sizes", "in_place", "root"] where map[key] != nil {
            throw map[key]!.error("'\(key)' belongs to collective cases")
        }
        let op = try map["op"]?.string()
        let check = try map["check"]?.string()
        switch (op, check) {
        case (nil, nil): throw yaml.error("a case needs 'op' (or 'check' for a system case)")
        case (.some, .some): throw yaml.error("give either 'op' or 'check', not both")
        default: break
        }
        if check != nil, kind != .system { throw map["check"]!.error("'check' cases must be of kind system") }
        if op != nil, kind == .system { throw map["op"]!.error("system cases name a 'check', not an 'op'") }
        var dtypes: [DType] = []
        if let dtypesValue = map["dtypes"] {
            dtypes = try dtypesValue.listOrSingle().map { item in
                let name = try item.string()
                guard let dtype = DType(name: name) else {
                    throw item.error(
                        "unknown dtype '\(name)' (one of: \(DType.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                return dtype
            }
        } else if op != nil {
            dtypes = [.f32]
        }
        let shapes = try map["shapes"]?.sequence().map { try $0.attrMap() } ?? []
        if op != nil, shapes.isEmpty {
            throw (map["shapes"] ?? yaml).error("an op case needs at least one entry under 'shapes'")
        }
        let attrs = try map["attrs"]?.listOrSingle().map { try $0.attrMap() } ?? [[:]]
        let values =
            try map["values"]?.listOrSingle().map { item -> InputValues in
                let name = try item.string()
                guard let value = InputValues(rawValue: name) else {
                    throw item.error(
                        "unknown values '\(name)' (one of: \(InputValues.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                }
                return value
            } ?? [.random]
        self.init(
            kind: kind,
            op: op,
            check: check,
            dtypes: dtypes,
            shapes: shapes,
            attrs: attrs.isEmpty ? [[:]] : attrs,
            values: values,
            rtol: try map["rtol"]?.nonNegativeDouble(),
            atol: try map["atol"]?.nonNegativeDouble(),
            mode: try map["mode"]?.performanceMode(),
            timeCapSeconds: try map["time_cap_s"]?.positiveDouble(),
            line: yaml.line
        )
        toleranceReason = try map["tolerance_reason"]?.string()
        if rtol != nil || atol != nil, toleranceReason?.isEmpty ?? true {
            throw (map["rtol"] ?? map["atol"] ?? yaml).error(
                "rtol/atol override the op's error model; give the reason in 'tolerance_reason'"
            )
        }
        if let problem = validator?.problems(in: self, suiteBudget: budget).first {
            let fieldValue = map[problem.field] ?? yaml
            var located = fieldValue
            if let index = problem.index, let items = try? fieldValue.listOrSingle(), items.indices.contains(index) {
                located = items[index]
            }
            throw located.error(problem.message)
        }
    }
}

extension YAMLValue {
    func caseKind() throws -> CaseKind {
        let name = try string()
        guard let kind = CaseKind(rawValue: name) else {
            throw error("unknown kind '\(name)' (conformance, performance, system, collective or model)")
        }
        return kind
    }

    func memoryBudget() throws -> MemoryBudget {
        if let bytes = try? int(), bytes > 0 { return MemoryBudget(bytes: bytes) }
        guard let text = try? string(), let budget = MemoryBudget(parsing: text) else {
            throw error(
                "memory_budget must be a positive size in bytes or with a unit (512 MiB, 8 GiB), found \(kindName)"
            )
        }
        return budget
    }

    func performanceMode() throws -> PerformanceMode {
        let name = try string()
        guard let mode = PerformanceMode(rawValue: name) else { throw error("unknown mode '\(name)' (warm or cold)") }
        return mode
    }
}
