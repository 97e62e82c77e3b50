extension SuiteEntry {
    /// A `kind: model` entry: `graph` (a Models/ id or a path), `dtypes` (f32 by default), `dims`
    /// (a list of `{name: size}` maps, one case each; none: the graph's own), `thresholds` for
    /// every dtype with its `reason`, and optional `greedy_steps`.
    init(model map: YAMLMapping, at yaml: YAMLValue) throws {
        for key in ["op", "check", "shapes", "attrs", "values", "rtol", "atol", "tolerance_reason", "sizes", "in_place", "root"]
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
        let dims = try map["dims"]?.sequence().map { item -> [String: Int] in
            var sizes: [String: Int] = [:]
            for (name, size) in try item.freeMapping() { sizes[name] = try size.positiveInt() }
            return sizes
        }
        let thresholdsValue = try map.required("thresholds")
        var thresholds: [String: ModelThreshold] = [:]
        for (name, value) in try thresholdsValue.freeMapping() {
            guard let dtype = DType(name: name), dtypes.contains(dtype) else {
                throw value.error("'\(name)' is not one of this case's dtypes (\(dtypes.map(\.rawValue).joined(separator: ", ")))")
            }
            let entry = try value.mapping(allowed: ["max_rel", "min_cosine", "min_top1", "min_top5", "max_kl", "reason"])
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
            throw thresholdsValue.error("no thresholds for \(missing.rawValue) (every dtype of a model case needs its own, with a reason)")
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
        self.thresholds = thresholds
        self.greedySteps = try map["greedy_steps"]?.positiveInt()
    }
}
