extension SuiteEntry {
    /// A `kind: collective` entry: `op` one of `CollectiveOp`, `dtypes` among the pattern's exact
    /// dtypes, `sizes` a list of byte sizes or a sweep `{from: 8, to: 1 GiB, factor: 2}`,
    /// optional `in_place` (false) and `root` (0), `mode` and `time_cap_s` as for performance.
    init(collective map: YAMLMapping, at yaml: YAMLValue) throws {
        let opValue = try map.required("op")
        let name = try opValue.string()
        guard CollectiveOp(rawValue: name) != nil else {
            throw opValue.error(
                "unknown collective '\(name)' (one of: \(CollectiveOp.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        for key in ["check", "shapes", "attrs", "values", "rtol", "atol", "tolerance_reason"] where map[key] != nil {
            throw map[key]!.error("collective cases take no '\(key)' (their data pattern is exact)")
        }
        var dtypes: [DType] = [.f32]
        if let value = map["dtypes"] {
            dtypes = try value.listOrSingle().map { item in
                let text = try item.string()
                guard let dtype = DType(name: text), CollectiveOp.dtypes.contains(dtype) else {
                    throw item.error(
                        "collectives run in \(CollectiveOp.dtypes.map(\.rawValue).joined(separator: ", ")), not '\(text)'"
                    )
                }
                return dtype
            }
        }
        let sizesValue = try map.required("sizes")
        let sizes: [Int]
        if (try? sizesValue.freeMapping()) != nil {
            let sweep = try sizesValue.mapping(allowed: ["from", "to", "factor"])
            let from = try sweep.required("from").byteSize()
            let to = try sweep.required("to").byteSize()
            let factor = try sweep["factor"]?.positiveInt() ?? 2
            guard factor >= 2 else { throw sweep["factor"]!.error("factor must be at least 2") }
            guard from <= to else { throw sizesValue.error("'from' (\(from)) is above 'to' (\(to))") }
            sizes = Array(sequence(first: from) { $0 <= to / factor ? $0 * factor : nil })
        } else {
            sizes = try sizesValue.listOrSingle().map { try $0.byteSize() }
        }
        var root = 0
        if let value = map["root"] {
            guard name != CollectiveOp.p2pCopy.rawValue else {
                throw value.error("p2p_copy runs every ordered pair of ranks; it takes no root")
            }
            root = try value.nonNegativeInt()
        }
        self.init(
            kind: .collective,
            op: name,
            dtypes: dtypes,
            mode: try map["mode"]?.performanceMode(),
            timeCapSeconds: try map["time_cap_s"]?.positiveDouble(),
            line: yaml.line
        )
        self.sizes = sizes
        self.inPlace = try map["in_place"]?.bool() ?? false
        self.root = root
    }
}

extension YAMLValue {
    /// A positive size in bytes: an integer, or a number with a unit (`8`, `1 MiB`, `1 GiB`).
    func byteSize() throws -> Int {
        if let bytes = try? int(), bytes > 0 { return bytes }
        guard let text = try? string(), let budget = MemoryBudget(parsing: text), budget.bytes > 0 else {
            throw error(
                "a size is a positive number of bytes or a number with a unit (8, 64 KiB, 1 GiB), found \(kindName)"
            )
        }
        return budget.bytes
    }
}
