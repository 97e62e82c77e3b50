/// A row-major multi-index that counts through a shape like an odometer.
public struct MultiIndex {
    private var coordinates: [Int]

    public init(rank: Int) { coordinates = Array(repeating: 0, count: rank) }

    public var axes: Range<Int> { coordinates.indices }
    public subscript(axis: Int) -> Int { coordinates[axis] }

    /// Steps to the next element in row-major order (wraps to zero after the last).
    public mutating func advance(within shape: [Int]) {
        var axis = shape.count - 1
        while axis >= 0 {
            coordinates[axis] += 1
            if coordinates[axis] < shape[axis] { return }
            coordinates[axis] = 0
            axis -= 1
        }
    }
}
