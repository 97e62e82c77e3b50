import AssayCore

/// A graph's named sizes (`dims: {seq: 8}`): a shape or an int attr may name one where it would
/// write a number, so a suite can run one graph file at several sequence lengths.
struct DimSizes {
    let dims: [String: Int]

    /// A list of ints and dim names.
    func ints(_ value: YAMLValue) throws -> [Int] { try value.sequence().map(int) }

    /// An int or a dim name.
    func int(_ value: YAMLValue) throws -> Int {
        if let name = try? value.string(), Int(name) == nil {
            guard let size = dims[name] else {
                throw value.error(
                    "'\(name)' is not a number or a dim (dims: \(dims.keys.sorted().joined(separator: ", ")))"
                )
            }
            return size
        }
        return try value.int()
    }

    /// Node attrs with dim names replaced by their sizes.
    func attrs(_ value: YAMLValue) throws -> AttrMap {
        var map = AttrMap()
        for (key, item) in try value.freeMapping() {
            if (try? item.sequence()) != nil {
                map[key] = .ints(try ints(item))
            } else if let name = try? item.string(), let size = dims[name] {
                map[key] = .int(size)
            } else {
                map[key] = try item.attrValue()
            }
        }
        return map
    }
}
