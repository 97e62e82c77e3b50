import AssayCore

extension OpProblem {
    /// Bytes one case of this problem holds at once in the harness: every input and the output in
    /// its dtype, plus the float64 copies the reference works on (inputs and output). Nil when the
    /// count overflows `Int`, which no budget admits.
    public var harnessBytes: Int? {
        var total = 0
        for spec in inputs + [output] {
            guard let bytes = spec.checkedByteCount, let elements = spec.shape.checkedElementCount else { return nil }
            let (reference, referenceOverflow) = elements.multipliedReportingOverflow(by: 8)
            let (sum, sumOverflow) = total.addingReportingOverflow(bytes)
            let (next, nextOverflow) = sum.addingReportingOverflow(reference)
            if referenceOverflow || sumOverflow || nextOverflow { return nil }
            total = next
        }
        return total
    }
}
