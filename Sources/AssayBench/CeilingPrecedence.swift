import AssayCore

/// The one rule for which ceilings a case is judged against and a roofline is drawn at:
/// the target's declared figure wins, a measured one fills in where none is declared.
/// A compute ceiling belongs to its dtype: the f32 GEMM probe is no ceiling for an f64 or bf16
/// case (docs/DECISIONS.md, "One ceiling rule"). Bandwidth has no dtype.
public struct CeilingPrecedence: Sendable {
    /// A ceiling and where it came from.
    public struct Ceiling: Sendable, Equatable {
        public var value: Double
        public var source: PerformanceRecord.CeilingSource
    }

    public let declared: DeclaredCapabilities
    public let measured: MeasuredCeilings?

    public init(declared: DeclaredCapabilities, measured: MeasuredCeilings?) {
        self.declared = declared
        self.measured = measured
    }

    /// The compute ceiling of `dtype` (a dtype name as records write it), FLOP/s.
    public func peak(for dtype: String) -> Ceiling? {
        if let tflops = declared.peakTFLOPS[dtype], tflops.isFinite, tflops > 0 {
            return Ceiling(value: tflops * 1e12, source: .declared)
        }
        if let flops = measured?.gemmFLOPS[dtype], flops.isFinite, flops > 0 {
            return Ceiling(value: flops, source: .measured)
        }
        return nil
    }

    /// The memory ceiling, bytes/s.
    public var bandwidth: Ceiling? {
        if let bytes = declared.bandwidthBytesPerSecond, bytes.isFinite, bytes > 0 {
            return Ceiling(value: bytes, source: .declared)
        }
        if let bytes = measured?.copyBytesPerSecond, bytes.isFinite, bytes > 0 {
            return Ceiling(value: bytes, source: .measured)
        }
        return nil
    }

    /// Every dtype with a compute ceiling, declared or measured.
    public var peaks: [String: Ceiling] {
        let dtypes = Set(declared.peakTFLOPS.keys).union(measured.map { Array($0.gemmFLOPS.keys) } ?? [])
        return Dictionary(uniqueKeysWithValues: dtypes.compactMap { dtype in peak(for: dtype).map { (dtype, $0) } })
    }

    /// The roofline a case of `dtype` is judged against, and its source: `declared` only when no
    /// measured ceiling went into it (a floor must never be met against a measured ceiling
    /// labelled declared); nil when there is no ceiling at all.
    public func roofline(for dtype: DType) -> (Roofline, PerformanceRecord.CeilingSource?) {
        let peak = peak(for: dtype.rawValue)
        let bandwidth = bandwidth
        let sources = [peak?.source, bandwidth?.source].compactMap { $0 }
        let source: PerformanceRecord.CeilingSource? =
            sources.isEmpty ? nil : sources.contains(.measured) ? .measured : .declared
        return (Roofline(peakFLOPsPerSecond: peak?.value, bandwidthBytesPerSecond: bandwidth?.value), source)
    }
}
