/// A row-major multi-index that counts through a shape like an odometer.
struct MultiIndex {
    private var coordinates: [Int]

    init(rank: Int) { coordinates = Array(repeating: 0, count: rank) }

    var axes: Range<Int> { coordinates.indices }
    subscript(axis: Int) -> Int { coordinates[axis] }

    /// Steps to the next element in row-major order (wraps to zero after the last).
    mutating func advance(within shape: [Int]) {
        var axis = shape.count - 1
        while axis >= 0 {
            coordinates[axis] += 1
            if coordinates[axis] < shape[axis] { return }
            coordinates[axis] = 0
            axis -= 1
        }
    }
}
