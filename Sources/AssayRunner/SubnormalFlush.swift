import AssayCore

/// Recognises a backend that flushes subnormals to zero (FTZ on outputs, DAZ on inputs): it
/// returns ±0 where the reference, rounded to the case dtype, is a nonzero subnormal. The
/// standard tolerance (atol ≫ any subnormal) cannot tell this from a right answer, so the
/// subnormal cases tighten atol to half the smallest subnormal (Suites/conformance.yaml, at the
/// end) and a failure says what the zeros mean.
public enum SubnormalFlush {
    /// How many elements came back ±0 for a nonzero subnormal reference.
    public static func flushedCount(expected: [Double], actual: [Double], dtype: DType) -> Int {
        guard dtype.isFloatingPoint else { return 0 }
        return zip(expected, actual).reduce(0) { count, pair in
            let rounded = dtype.round(pair.0)
            let subnormal = rounded != 0 && abs(rounded) < dtype.minNormal
            return count + (subnormal && pair.1 == 0 ? 1 : 0)
        }
    }

    /// The clause a failure message gains, or nil when nothing was flushed.
    public static func note(expected: [Double], actual: [Double], dtype: DType) -> String? {
        let flushed = flushedCount(expected: expected, actual: actual, dtype: dtype)
        guard flushed > 0 else { return nil }
        return "flush-to-zero: \(flushed) subnormal \(dtype.rawValue) result\(flushed == 1 ? "" : "s") came back as 0 "
            + "(the backend flushes subnormals (FTZ/DAZ); waiver category denormal-flush)"
    }
}
