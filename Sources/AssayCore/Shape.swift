/// The dims of a C-contiguous tensor. A dim may be 0 (an empty tensor).
public struct Shape: Hashable, Codable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    public var dims: [Int]

    public init(_ dims: [Int]) { self.dims = dims }
    public init(arrayLiteral elements: Int...) { self.dims = elements }

    public init(from decoder: Decoder) throws {
        dims = try decoder.singleValueContainer().decode([Int].self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dims)
    }

    public var rank: Int { dims.count }
    /// The number of elements; `Int.max` when the product overflows (or a dim is negative), so
    /// a shape read from a descriptor or a reply can never trap. Budgets use `checkedElementCount`.
    public var elementCount: Int { checkedElementCount ?? Int.max }

    /// The number of elements, or nil when a dim is negative or the product overflows `Int`.
    public var checkedElementCount: Int? {
        var count = 1
        for dim in dims {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            count = product
        }
        return count
    }
    public subscript(index: Int) -> Int { dims[index] }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        var running = 1
        for axis in dims.indices.reversed() {
            strides[axis] = running
            running = running &* dims[axis]  // only read for shapes whose element count fits
        }
        return strides
    }

    /// Resolves a possibly negative axis (numpy convention); nil when out of range.
    public func normalizedAxis(_ axis: Int) -> Int? {
        let resolved = axis < 0 ? axis + rank : axis
        return (0..<rank).contains(resolved) ? resolved : nil
    }

    /// `4x1024`; a scalar is `scalar`.
    public var description: String { dims.isEmpty ? "scalar" : dims.map(String.init).joined(separator: "x") }
}
