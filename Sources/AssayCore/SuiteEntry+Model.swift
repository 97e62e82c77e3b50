extension SuiteEntry {
    /// A `kind: model` entry: `graph` (a Models/ id or a path), `dtypes` (f32 by default), `dims`
    /// (a list of `{name: size}` maps, one case each; none: the graph's own; or `grid`, a map of
    /// dim → sizes whose every combination is a case), `thresholds` for every dtype with its
    /// `reason`, and optional `greedy_steps`. With `measure: performance` the case is timed
    /// instead: `phase` (prefill or decode) instead of thresholds.
    init(model map: YAMLMapping, at yaml: YAMLValue) throws {
        for key in [
            "op", "check", "shapes", "attrs", "values", "rtol", "atol", "tolerance_reason", "sizes", "in_place", "root",
        ]
        where map[key] != nil {
            throw map[key]!.error("model cases take no '\(key)' (the graph file says what runs)")
        }
        let graph = try map.required("graph").string()
        var dtypes: [DType] = [.f32]
        if let value = map["dtypes"] {
            dtypes = try value.listOrSingle().map { item in
                let name = try item.string()
                guard let dtype = DType(name: name), dtype.isFloatingPoint else {
                    throw item.error("a model runs in a float dtype (f64, f32, f16, bf16), not '\(name)'")
                }
                return dtype
            }
        }
        var dims = try map["dims"]?.sequence().map { item -> [String: Int] in
            var sizes: [String: Int] = [:]
            for (name, size) in try item.freeMapping() { sizes[name] = try size.positiveInt() }
            return sizes
        }
        if let grid = map["grid"] {
            if let given = map["dims"] { throw given.error("give either 'dims' or 'grid', not both") }
            dims = try Self.grid(grid)
        }
        let measure = try map["measure"]?.string() ?? "correctness"
        guard measure == "correctness" || measure == "performance" else {
            throw map["measure"]!.error("measure is 'correctness' or 'performance', not '\(measure)'")
        }
        self.init(
            kind: .model,
            dtypes: dtypes,
            mode: try map["mode"]?.performanceMode(),
            timeCapSeconds: try map["time_cap_s"]?.positiveDouble(),
            line: yaml.line
        )
        self.graph = graph
        self.dims = dims
        if measure == "performance" {
            for key in ["thresholds", "greedy_steps"] where map[key] != nil {
                throw map[key]!.error("a performance model case is timed, not judged: it takes no '\(key)'")
            }
            let phaseValue = try map.required("phase")
            guard let phase = ModelPhase(rawValue: try phaseValue.string()) else {
                throw phaseValue.error("phase is 'prefill' or 'decode', not '\(try phaseValue.string())'")
            }
            self.phase = phase
            return
        }
        if let phase = map["phase"] {
            throw phase.error("'phase' belongs to model performance cases (measure: performance)")
        }
        let thresholdsValue = try map.required("thresholds")
        var thresholds: [String: ModelThreshold] = [:]
        for (name, value) in try thresholdsValue.freeMapping() {
            guard let dtype = DType(name: name), dtypes.contains(dtype) else {
                throw value.error(
                    "'\(name)' is not one of this case's dtypes (\(dtypes.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            let entry = try value.mapping(allowed: [
                "max_rel", "min_cosine", "min_top1", "min_top5", "max_kl", "reason",
            ])
            let reason = try entry.required("reason").string()
            guard !reason.isEmpty else { throw try entry.required("reason").error("say why these thresholds") }
            thresholds[dtype.rawValue] = ModelThreshold(
                maxRelative: try entry.required("max_rel").nonNegativeDouble(),
                minCosine: try entry.required("min_cosine").double(),
                minTop1: try entry["min_top1"]?.nonNegativeDouble(),
                minTop5: try entry["min_top5"]?.nonNegativeDouble(),
                maxKL: try entry["max_kl"]?.nonNegativeDouble(),
                reason: reason
            )
        }
        if let missing = dtypes.first(where: { thresholds[$0.rawValue] == nil }) {
            throw thresholdsValue.error(
                "no thresholds for \(missing.rawValue) (every dtype of a model case needs its own, with a reason)"
            )
        }
        self.thresholds = thresholds
        self.greedySteps = try map["greedy_steps"]?.positiveInt()
    }
}

extension SuiteEntry {
    /// `grid: {batch: [1, 2], seq: [16, 64]}`: every combination, the last dim (in key order) varying fastest.
    static func grid(_ value: YAMLValue) throws -> [[String: Int]] {
        var combinations: [[String: Int]] = [[:]]
        for (name, sizes) in try value.freeMapping().sorted(by: { $0.0 < $1.0 }) {
            let list = try sizes.sequence().map { try $0.positiveInt() }
            guard !list.isEmpty else { throw sizes.error("grid dim '\(name)' needs at least one size") }
            combinations = combinations.flatMap { base in list.map { base.merging([name: $0]) { _, new in new } } }
        }
        return combinations
    }
}
