/// Walks the 1-D slices of a row-major tensor along one axis: the reference's way to apply
/// a per-row function (softmax, norms) to any axis.
struct AxisSlices {
    let shape: [Int]
    let axis: Int

    var length: Int { shape[axis] }
    var inner: Int { shape[(axis + 1)...].reduce(1, *) }
    var outer: Int { shape[..<axis].reduce(1, *) }

    /// Calls `body` with the flat indices of every slice.
    func forEach(_ body: ([Int]) -> Void) {
        for o in 0..<outer {
            for i in 0..<inner {
                body((0..<length).map { (o * length + $0) * inner + i })
            }
        }
    }

    /// Applies a slice function to `data`, writing results at the same positions.
    func map(_ data: [Double], _ transform: ([Double]) -> [Double]) -> [Double] {
        var out = data
        forEach { indices in
            let result = transform(indices.map { data[$0] })
            for (position, index) in indices.enumerated() { out[index] = result[position] }
        }
        return out
    }
}
