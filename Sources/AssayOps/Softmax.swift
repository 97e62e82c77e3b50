import Foundation

/// The max-subtracted softmax of the spec, shared by `softmax`, `log_softmax` and attention.
enum Softmax {
    /// Largest value; NaN when any value is NaN (Swift's `max` would silently skip it).
    static func maximum(_ values: [Double]) -> Double {
        var result = -Double.infinity
        for value in values {
            if value.isNaN { return .nan }
            if value > result { result = value }
        }
        return result
    }

    static func probabilities(_ values: [Double]) -> [Double] {
        let shift = maximum(values)
        let exps = values.map { exp($0 - shift) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    static func logProbabilities(_ values: [Double]) -> [Double] {
        let shift = maximum(values)
        let logTotal = log(values.map { exp($0 - shift) }.reduce(0, +))
        return values.map { $0 - shift - logTotal }
    }
}
