import AssayCore

/// Short descriptions of the inputs behind one output element, for failure evidence.
enum FeedingText {
    /// "a=0.5, b=-inf" in the dtype's shortest round-trip form.
    static func values(_ named: [(String, Double)], dtype: DType) -> String {
        named.map { "\($0.0)=\(dtype.shortest($0.1))" }.joined(separator: ", ")
    }

    /// "row min …, max …, mean …" of the slice an element was computed from.
    static func row(_ values: [Double], dtype: DType, label: String = "row") -> String {
        guard !values.isEmpty else { return "\(label) empty" }
        let finite = values.filter(\.isFinite)
        let mean = finite.isEmpty ? Double.nan : finite.reduce(0, +) / Double(finite.count)
        var text =
            "\(label) of \(values.count): min \(dtype.shortest(values.min() ?? .nan)), max \(dtype.shortest(values.max() ?? .nan)), mean \(DType.f64.shortest((mean * 1e6).rounded() / 1e6))"
        let special = values.count - finite.count
        if special > 0 { text += ", \(special) non-finite" }
        return text
    }

    /// The slice along `axis` through `index` of a row-major tensor.
    static func slice(_ tensor: RefTensor, axis: Int, through index: [Int]) -> [Double] {
        let strides = Shape(tensor.shape).strides
        var base = 0
        for (a, i) in index.enumerated() where a != axis { base += i * strides[a] }
        return (0..<tensor.shape[axis]).map { tensor.data[base + $0 * strides[axis]] }
    }
}
