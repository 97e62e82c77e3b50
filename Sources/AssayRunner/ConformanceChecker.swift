import AssayCore
import AssayOps

/// Compares a backend's output with the float64 reference under the op's error model,
/// and gathers the evidence a failure needs.
public enum ConformanceChecker {
    /// How many elements the evidence quotes.
    static let sampleLimit = 5
    /// How many indices per axis the mismatch counts keep.
    static let axisTop = 3

    /// What the checker needs beyond the two tensors to explain a miss and to accept a framework's
    /// documented alternative at a special input.
    public struct Context {
        public var op: any Operator
        public var problem: OpProblem
        public var inputs: [RefTensor]
        public init(op: any Operator, problem: OpProblem, inputs: [RefTensor]) {
            self.op = op
            self.problem = problem
            self.inputs = inputs
        }
    }

    /// The verdict on one op call: its one output, judged against `expected` under `tolerance`
    /// with the op's magnitudes and context; a miss comes with its one-line summary.
    public struct Verdict {
        public var passed: Bool
        public var evidence: ConformanceEvidence?
        public var message: String
    }

    /// Judges an op call's outputs as a run does: the one home of the rule for a run's
    /// conformance cases and `assay plugin check`.
    public static func judge(
        op: any Operator,
        problem: OpProblem,
        tolerance: TolerancePolicy,
        inputs references: [RefTensor],
        expected: RefTensor,
        outputs: [Tensor]
    ) -> Verdict {
        guard outputs.count == 1 else {
            return Verdict(passed: false, evidence: nil, message: "expected 1 output, got \(outputs.count)")
        }
        let magnitudes =
            tolerance.overrideReason == nil && tolerance.model.needsMagnitudes
            ? op.magnitudes(problem, inputs: references) : nil
        let (passed, evidence) = check(
            expected: expected,
            expectedSpec: problem.output,
            actual: outputs[0],
            tolerance: tolerance,
            magnitudes: magnitudes,
            context: .init(op: op, problem: problem, inputs: references)
        )
        guard !passed else { return Verdict(passed: true, evidence: evidence, message: "") }
        var message = evidence.structural.first ?? missSummary(evidence)
        if evidence.structural.isEmpty,
            let flushed = SubnormalFlush.note(
                expected: expected.data,
                actual: outputs[0].values(),
                dtype: problem.output.dtype
            )
        {
            message += "; " + flushed
        }
        return Verdict(passed: false, evidence: evidence, message: message)
    }

    /// "12/4096 elements beyond the error model (…); worst at [3, 7]: expected NaN, got 0.0"
    static func missSummary(_ evidence: ConformanceEvidence) -> String {
        var text = "\(evidence.mismatches)/\(evidence.elements) elements beyond \(evidence.model ?? "tolerance")"
        if let worst = evidence.samples.first {
            text +=
                "; worst at \(worst.index): "
                + ConformanceEvidence.describe(expected: worst.expected, actual: worst.actual, dtype: evidence.dtype)
            if let ulps = worst.ulps { text += " (\(DType.f64.shortest((ulps * 10).rounded() / 10)) ulp)" }
        }
        return text
    }

    public static func check(
        expected: RefTensor,
        expectedSpec: TensorSpec,
        actual: Tensor,
        tolerance: TolerancePolicy,
        magnitudes: [Double]? = nil,
        context: Context? = nil
    ) -> (passed: Bool, evidence: ConformanceEvidence) {
        let dtype = expectedSpec.dtype
        var evidence = ConformanceEvidence(
            rtol: tolerance.rtol,
            atol: tolerance.atol,
            maxAbsError: 0,
            maxRelError: 0,
            worstIndex: nil,
            mismatches: 0,
            elements: expected.data.count,
            samples: [],
            structural: [],
            model: tolerance.summary,
            overrideReason: tolerance.overrideReason,
            dtype: dtype
        )
        if actual.dtype != dtype {
            evidence.structural.append("dtype: expected \(dtype.rawValue), got \(actual.dtype.rawValue)")
        }
        if actual.shape.dims != expected.shape {
            evidence.structural.append("shape: expected \(Shape(expected.shape)), got \(actual.shape)")
        }
        guard evidence.structural.isEmpty else {
            evidence.maxAbsError = .nan
            evidence.maxRelError = .nan
            evidence.mismatches = expected.data.count
            return (false, evidence)
        }
        let values = actual.values()
        let staged = stagedRounding(tolerance: tolerance, expected: expected, magnitudes: magnitudes, context: context)
        if staged != nil, let model = evidence.model {
            evidence.model =
                model
                + " + intermediates rounded to \(context!.problem.dtype.rawValue) (\(context!.op.name) staging bound)"
        }
        let shape = Shape(expected.shape)
        let rowLength = Swift.max(1, expected.shape.last ?? 1)
        let alternatives = elementwiseAlternatives(context)
        var alternativeNotes: [String] = []
        var maxUlps = 0.0
        var flushed = 0
        var overflowed = 0
        var scan = Scan()
        for (index, (want, got)) in zip(expected.data, values).enumerated() {
            // Fast path: an exact element passes every model with zero error (most elements of a passing case).
            if want == got || (want.isNaN && got.isNaN) {
                scan.note(index: index, ok: true, rank: (0, -.infinity), row: 0)
                continue
            }
            var (ok, allowance) = tolerance.judge(
                actual: got,
                expected: want,
                magnitude: magnitudes?[index] ?? abs(want),
                staged: staged?[index] ?? 0
            )
            if !ok,
                let alternative = alternatives.first(where: {
                    $0.matches(input: context!.inputs[0].data[index], expected: want, actual: got)
                })
            {
                ok = true
                let note =
                    "\(context!.op.name)(\(dtype.shortest(alternative.input))) = \(dtype.shortest(got)) instead of \(dtype.shortest(want)): \(alternative.note)"
                if !alternativeNotes.contains(note) { alternativeNotes.append(note) }
            }
            if !ok, let context,
                let note = context.op.acceptedDeviation(
                    context.problem,
                    inputs: context.inputs,
                    at: index,
                    expected: want,
                    actual: got
                )
            {
                ok = true
                if !alternativeNotes.contains(note) { alternativeNotes.append(note) }
            }
            if !ok, acceptsFlush(tolerance: tolerance, expected: want, actual: got, dtype: dtype) {
                ok = true
                flushed += 1
            }
            if ok, want.isFinite, !got.isFinite { overflowed += 1 }
            let bothFinite = want.isFinite && got.isFinite
            let error = bothFinite ? abs(got - want) : (want.isNaN && got.isNaN) || want == got ? 0 : .infinity
            if error.isFinite || !ok {
                evidence.maxAbsError = Swift.max(evidence.maxAbsError, error)
                if want != 0 { evidence.maxRelError = Swift.max(evidence.maxRelError, error / abs(want)) }
            }
            if bothFinite, dtype.isFloatingPoint { maxUlps = Swift.max(maxUlps, error / dtype.ulp(at: want)) }
            // Rank: non-finite misses first, then the distance beyond the allowance; ties keep the first.
            let rank = (ok ? 0 : (bothFinite ? 1 : 2), bothFinite ? error - allowance : 0)
            scan.note(index: index, ok: ok, rank: rank, row: index / rowLength)
            if !ok { scan.countAxes(multiIndex(index, shape: shape)) }
        }
        if flushed > 0 {
            alternativeNotes.append(
                "\(flushed) subnormal \(dtype.rawValue) result\(flushed == 1 ? "" : "s") flushed to ±0, accepted in an inexact op "
                    + "(flush-to-zero is judged by the bit-exact subnormal cases)"
            )
        }
        if overflowed > 0 {
            alternativeNotes.append(
                "\(overflowed) non-finite result\(overflowed == 1 ? "" : "s") where Σ|terms| exceeds the accumulation dtype's range "
                    + "(the accumulator may overflow: any value is accepted)"
            )
        }
        evidence.mismatches = scan.mismatches
        evidence.maxUlps = dtype.isFloatingPoint ? maxUlps : nil
        evidence.alternatives = alternativeNotes.isEmpty ? nil : alternativeNotes
        evidence.worstIndex = scan.worst.map { multiIndex($0.index, shape: shape) }
        if scan.mismatches > 0, shape.rank >= 2 {
            evidence.axisCounts = scan.axisCounts.enumerated().map { axis, counts in
                let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(axisTop)
                return .init(axis: axis, top: top.map { [$0.key, $0.value] }, distinct: counts.count)
            }
        }
        evidence.samples = scan.quoted(limit: sampleLimit).map { flat, role in
            let want = expected.data[flat]
            let got = values[flat]
            let allowance = tolerance.judge(
                actual: got,
                expected: want,
                magnitude: magnitudes?[flat] ?? abs(want),
                staged: staged?[flat] ?? 0
            ).allowance
            let index = multiIndex(flat, shape: shape)
            return .init(
                index: index,
                expected: want,
                actual: got,
                allowance: allowance,
                ulps: want.isFinite && got.isFinite && dtype.isFloatingPoint
                    ? abs(got - want) / dtype.ulp(at: want) : nil,
                role: role,
                inputs: context.flatMap { $0.op.feeding($0.problem, inputs: $0.inputs, at: index) }
            )
        }
        return (scan.mismatches == 0, evidence)
    }

    /// The op's bound for intermediates rounded to the case dtype, where its own model (no suite
    /// override) is the accumulation one and the op stages anything in this dtype.
    static func stagedRounding(
        tolerance: TolerancePolicy,
        expected: RefTensor,
        magnitudes: [Double]?,
        context: Context?
    ) -> [Double]? {
        guard let context, tolerance.overrideReason == nil, case .accumulation = tolerance.model, let magnitudes else {
            return nil
        }
        return context.op.stagedRounding(
            context.problem,
            inputs: context.inputs,
            expected: expected.data,
            magnitudes: magnitudes
        )
    }

    /// A subnormal result flushed to ±0 is accepted where the op's own model is inexact (ulps,
    /// accumulation): flushing is judged once, bit for bit, by the subnormal cases of the correctly
    /// rounded ops (docs/OPS.md, "Clarifications").
    static func acceptsFlush(tolerance: TolerancePolicy, expected: Double, actual: Double, dtype: DType) -> Bool {
        guard actual == 0, tolerance.overrideReason == nil, dtype.isFloatingPoint else { return false }
        switch tolerance.model {
        case .ulps, .accumulation:
            let rounded = dtype.round(expected)
            return rounded != 0 && abs(rounded) < dtype.minNormal
        case .exact, .correctlyRounded:
            return false
        }
    }

    /// The op's accepted alternatives, where its output lines up with its single input element by element.
    static func elementwiseAlternatives(_ context: Context?) -> [SpecialAlternative] {
        guard let context, context.inputs.count == 1, context.inputs[0].shape == context.problem.output.shape.dims
        else { return [] }
        return context.op.specialAlternatives(for: context.problem.output.dtype)
    }

    static func multiIndex(_ flat: Int, shape: Shape) -> [Int] {
        var rest = flat
        return shape.strides.map { stride in
            defer { rest %= Swift.max(1, stride) }
            return rest / Swift.max(1, stride)
        }
    }
}

extension SpecialAlternative {
    func matches(input x: Double, expected: Double, actual: Double) -> Bool {
        func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : a == b }
        return same(input, x) && same(limit, expected) && same(alternative, actual)
    }
}
