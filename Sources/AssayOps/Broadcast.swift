/// numpy broadcasting of two shapes, and the index maps from the output to each operand.
public enum Broadcast {
    /// The broadcast shape, or nil when the shapes are incompatible.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        return out
    }

    /// For every output element, the flat index into an operand of `shape` broadcast to `outShape`.
    public static func sourceIndices(of shape: [Int], into outShape: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: outShape.count - shape.count) + shape
        var strides = [Int](repeating: 0, count: padded.count)
        var running = 1
        for axis in padded.indices.reversed() {
            strides[axis] = padded[axis] == 1 ? 0 : running
            running *= padded[axis]
        }
        let count = outShape.reduce(1, *)
        var result = [Int](repeating: 0, count: count)
        var index = MultiIndex(rank: outShape.count)
        for flat in 0..<count {
            var source = 0
            for axis in index.axes { source += index[axis] * strides[axis] }
            result[flat] = source
            index.advance(within: outShape)
        }
        return result
    }
}
