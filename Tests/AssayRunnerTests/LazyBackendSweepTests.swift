import AssayCore
import AssayOps
import Foundation
import Testing

@testable import AssayRunner

/// A backend that ignores the computation must fail at least one conformance case of every
/// op × dtype: proof that the error model is not blind (issue 14).
@Suite struct LazyBackendSweepTests {
    /// The ways a kernel can skip its work.
    enum Laziness: String, CaseIterable {
        /// Every element 0.
        case zeros
        /// Every element 1, or the uniform answer of a normalised op (1/N for softmax, −log N for log_softmax).
        case constant
        /// An input returned unchanged, where one has the output's shape (and is not the answer).
        case inputCopy = "input copy"
        /// Seeded uniform values within the reference's finite range.
        case random

        /// The lazy output for a case, or nil when this laziness does not apply to it.
        func output(for prepared: ConformanceCases.Prepared) -> [Double]? {
            let count = prepared.expected.data.count
            switch self {
            case .zeros: return Array(repeating: 0, count: count)
            case .constant:
                let n = Double(prepared.problem.reductionLength)
                switch prepared.problem.op {
                case "softmax": return Array(repeating: 1 / n, count: count)
                case "log_softmax": return Array(repeating: -Foundation.log(n), count: count)
                default: return Array(repeating: 1, count: count)
                }
            case .inputCopy:
                guard
                    let input = zip(prepared.problem.inputs, prepared.references).first(where: {
                        $0.0.shape == prepared.problem.output.shape && $0.0.dtype == prepared.problem.output.dtype
                    })?.1, input.data.count == count
                else { return nil }
                let same = zip(input.data, prepared.expected.data).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
                return same ? nil : input.data
            case .random:
                let finite = prepared.expected.data.filter(\.isFinite)
                guard let low = finite.min(), let high = finite.max() else { return nil }
                var rng = SplitMix64(seed: SplitMix64.fnv1a64(prepared.planned.id.description))
                return (0..<count).map { _ in low + (high - low) * (rng.nextSigned() + 1) / 2 }
            }
        }
    }

    @Test(arguments: OpCatalogue.standard.names)
    func everyLazyBackendFailsSomeCaseOfEveryDType(op: String) throws {
        var tried: [String: Set<String>] = [:]
        var caught: [String: Set<String>] = [:]
        for planned in ConformanceCases.cases(of: op) {
            let prepared = ConformanceCases.Prepared(planned)
            let dtype = planned.dtype.rawValue
            for laziness in Laziness.allCases {
                guard let output = laziness.output(for: prepared) else { continue }
                tried[dtype, default: []].insert(laziness.rawValue)
                if !prepared.passes(output) { caught[dtype, default: []].insert(laziness.rawValue) }
            }
        }
        #expect(!tried.isEmpty, "no conformance case of \(op)")
        let triedCount = tried.values.reduce(0) { $0 + $1.count }
        let caughtCount = caught.values.reduce(0) { $0 + $1.count }
        print("lazy sweep \(op): \(caughtCount)/\(triedCount) lazy × dtype combinations caught")
        for (dtype, kinds) in tried.sorted(by: { $0.key < $1.key }) {
            let missed = kinds.subtracting(caught[dtype] ?? []).sorted()
            #expect(
                missed.isEmpty,
                "\(op) \(dtype): a lazy backend (\(missed.joined(separator: ", "))) passes every conformance case"
            )
        }
    }
}
