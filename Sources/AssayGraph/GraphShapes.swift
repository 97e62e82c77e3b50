import AssayCore

/// The catalogue params of an op (docs/OPS.md, the "params" column) read off its input shapes:
/// how a graph node's problem is resolved, after which the catalogue checks the shapes agree.
enum GraphShapes {
    /// nil when the inputs have too few dims for the op to read its params (the caller reports it).
    static func params(op: String, shapes s: [[Int]], attrs: AttrMap) -> AttrMap? {
        func dims(_ index: Int, _ rank: Int) -> [Int]? {
            s.indices.contains(index) && s[index].count == rank ? s[index] : nil
        }
        let shape = { (index: Int) -> AttrValue? in s.indices.contains(index) ? .ints(s[index]) : nil }
        switch op {
        case "matmul", "matmul_int8":
            guard s.count == 2, s[0].count == s[1].count, s[0].count == 2 || (op == "matmul" && s[0].count == 3) else {
                return nil
            }
            let ta = attrs["transpose_a"]?.boolValue ?? false
            let tb = attrs["transpose_b"]?.boolValue ?? false
            let a = Array(s[0].suffix(2))
            let b = Array(s[1].suffix(2))
            var params: AttrMap = [
                "m": .int(ta ? a[1] : a[0]), "k": .int(ta ? a[0] : a[1]), "n": .int(tb ? b[0] : b[1]),
            ]
            if s[0].count == 3 { params["b"] = .int(s[0][0]) }
            return params
        case "linear":
            guard let x = dims(0, 2), let w = dims(1, 2) else { return nil }
            return ["m": .int(x[0]), "k": .int(x[1]), "n": .int(w[0])]
        case "conv2d":
            guard let x = dims(0, 4), let w = dims(1, 4) else { return nil }
            return [
                "n": .int(x[0]), "c": .int(x[1]), "h": .int(x[2]), "w": .int(x[3]), "f": .int(w[0]), "kh": .int(w[2]),
                "kw": .int(w[3]),
            ]
        case "scaled_dot_product_attention":
            guard let q = dims(0, 4), let k = dims(1, 4) else { return nil }
            return ["b": .int(q[0]), "h": .int(q[1]), "s": .int(q[2]), "d": .int(q[3]), "t": .int(k[2])]
        case "add", "mul":
            guard s.count == 2 else { return nil }
            return ["a": .ints(s[0]), "b": .ints(s[1])]
        case "embedding":
            guard let indices = dims(0, 1), let w = dims(1, 2) else { return nil }
            return ["tokens": .int(indices[0]), "vocab": .int(w[0]), "dim": .int(w[1])]
        case "rotary_embedding":
            guard let x = dims(0, 3) else { return nil }
            return ["s": .int(x[0]), "h": .int(x[1]), "d": .int(x[2])]
        case "concat":
            guard let first = s.first, !first.isEmpty else { return nil }
            let raw = attrs["axis"]?.intValue ?? -1
            let axis = raw < 0 ? raw + first.count : raw
            guard (0..<first.count).contains(axis), s.allSatisfy({ $0.count == first.count }) else { return nil }
            var joined = first
            joined[axis] = s.reduce(0) { $0 + $1[axis] }
            return ["shape": .ints(joined), "sizes": .ints(s.map { $0[axis] })]
        case "gather":
            guard s.count == 2, let indices = dims(1, 1) else { return nil }
            return ["shape": .ints(s[0]), "count": .int(indices[0])]
        case "where":
            guard s.count == 3 else { return nil }
            return ["shape": .ints(s[1]), "cond": .ints(s[0])]
        case "masked_fill":
            guard s.count == 2 else { return nil }
            return ["shape": .ints(s[0]), "mask": .ints(s[1])]
        default:
            // Every other op takes one `shape`: its first input's.
            return shape(0).map { ["shape": $0] }
        }
    }
}
