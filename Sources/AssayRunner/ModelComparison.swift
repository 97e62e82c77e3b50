import AssayCore
import AssayOps
import Foundation

/// The figures of a model output against its float64 reference (docs/FORMATS.md, "Model cases").
enum ModelComparison {
    /// Errors and cosine similarity over every element; for logits (`vocabulary` = the last axis)
    /// also top-1/top-5 agreement and the mean KL(reference ‖ actual) over positions.
    static func compare(name: String, expected: RefTensor, actual: Tensor, logits: Bool) -> ModelOutputComparison {
        let e = expected.data
        let a = actual.values()
        var maxAbs = 0.0, sumAbs = 0.0, maxRef = 0.0, sumRef = 0.0
        var dot = 0.0, normE = 0.0, normA = 0.0
        var nonFinite = 0
        for (x, y) in zip(e, a) {
            guard y.isFinite || !x.isFinite else {
                nonFinite += 1
                continue
            }
            let diff = abs(y - x)
            maxAbs = max(maxAbs, diff)
            sumAbs += diff
            maxRef = max(maxRef, abs(x))
            sumRef += abs(x)
            dot += x * y
            normE += x * x
            normA += y * y
        }
        let count = Double(max(e.count, 1))
        var out = ModelOutputComparison(
            name: name,
            elements: e.count,
            maxAbsError: maxAbs,
            meanAbsError: sumAbs / count,
            maxRelError: maxRef > 0 ? maxAbs / maxRef : maxAbs,
            meanRelError: sumRef > 0 ? sumAbs / sumRef : sumAbs / count,
            // Two zero vectors agree; one zero vector against a non-zero one does not.
            cosine: normE == 0 && normA == 0 ? 1 : normE == 0 || normA == 0 ? 0 : dot / (normE * normA).squareRoot(),
            nonFinite: nonFinite
        )
        if logits, let vocabulary = expected.shape.last, vocabulary > 0 {
            let rows = e.count / vocabulary
            var top1 = 0, top5 = 0, kl = 0.0
            for row in 0..<rows {
                let range = (row * vocabulary)..<((row + 1) * vocabulary)
                let (re, ra) = (Array(e[range]), Array(a[range]))
                let (te, ta) = (top(re, 5), top(ra, 5))
                if te.first == ta.first { top1 += 1 }
                if Set(te) == Set(ta) { top5 += 1 }
                kl += divergence(re, ra)
            }
            out.top1Agreement = Double(top1) / Double(max(rows, 1))
            out.top5Agreement = Double(top5) / Double(max(rows, 1))
            out.klDivergence = kl / Double(max(rows, 1))
        }
        return out
    }

    /// Positions of the k largest values, largest first (ties: the lower position first).
    static func top(_ values: [Double], _ k: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(k))
    }

    /// KL(softmax(p) ‖ softmax(q)) in nats, both log-softmaxed stably.
    static func divergence(_ p: [Double], _ q: [Double]) -> Double {
        func logSoftmax(_ x: [Double]) -> [Double] {
            let m = x.max() ?? 0
            let s = x.reduce(0) { $0 + exp($1 - m) }
            return x.map { $0 - m - log(s) }
        }
        let (lp, lq) = (logSoftmax(p), logSoftmax(q))
        let kl = zip(lp, lq).reduce(0) { $0 + exp($1.0) * ($1.0 - $1.1) }
        return kl.isNaN ? .infinity : max(0, kl)
    }

    /// Why the output misses its threshold, or nil when it meets it.
    static func miss(_ c: ModelOutputComparison, _ t: ModelThreshold) -> String? {
        let f = DType.f64.shortest
        if c.nonFinite > 0 { return "\(c.name): \(c.nonFinite) non-finite values where the reference is finite" }
        if c.maxRelError > t.maxRelative {
            return "\(c.name): max relative error \(f(c.maxRelError)) > \(f(t.maxRelative))"
        }
        if c.cosine < t.minCosine { return "\(c.name): cosine \(f(c.cosine)) < \(f(t.minCosine))" }
        if let need = t.minTop1, let got = c.top1Agreement, got < need {
            return "\(c.name): top-1 agreement \(f(got)) < \(f(need))"
        }
        if let need = t.minTop5, let got = c.top5Agreement, got < need {
            return "\(c.name): top-5 agreement \(f(got)) < \(f(need))"
        }
        if let most = t.maxKL, let got = c.klDivergence, got > most { return "\(c.name): KL \(f(got)) > \(f(most))" }
        return nil
    }
}
