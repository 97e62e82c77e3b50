import AssayCore
import Testing

@testable import AssayBench

/// The one ceiling rule the runner judges by and the report draws by.
@Suite struct CeilingPrecedenceTests {
    let measured = MeasuredCeilings(copyBytesPerSecond: 20e9, gemmFLOPS: ["f32": 1e12])

    @Test func declaredWinsAndMeasuredFillsIn() {
        let rule = CeilingPrecedence(declared: DeclaredCapabilities(peakTFLOPS: ["f32": 3]), measured: measured)
        #expect(rule.peak(for: "f32") == .init(value: 3e12, source: .declared))
        #expect(rule.bandwidth == .init(value: 20e9, source: .measured))
        let (roofline, source) = rule.roofline(for: .f32)
        #expect(roofline == Roofline(peakFLOPsPerSecond: 3e12, bandwidthBytesPerSecond: 20e9))
        // A measured ceiling went into the roofline: it must not read as declared.
        #expect(source == .measured)
        let declaredOnly = CeilingPrecedence(
            declared: DeclaredCapabilities(peakTFLOPS: ["f32": 3], memoryBandwidthGBs: 100),
            measured: measured
        )
        #expect(declaredOnly.roofline(for: .f32).1 == .declared)
        #expect(declaredOnly.bandwidth == .init(value: 100e9, source: .declared))
    }

    /// The f32 GEMM probe is no ceiling for another dtype: a bf16 case has only the bandwidth roof.
    @Test func aComputeCeilingBelongsToItsDType() {
        let rule = CeilingPrecedence(declared: DeclaredCapabilities(), measured: measured)
        #expect(rule.peak(for: "bf16") == nil)
        #expect(rule.roofline(for: .bf16).0 == Roofline(peakFLOPsPerSecond: nil, bandwidthBytesPerSecond: 20e9))
        #expect(Set(rule.peaks.keys) == ["f32"])
    }

    @Test func noCeilingHasNoSource() {
        let rule = CeilingPrecedence(
            declared: DeclaredCapabilities(),
            measured: MeasuredCeilings(gemmFLOPS: ["f32": .nan])
        )
        #expect(rule.roofline(for: .f32).1 == nil && rule.peaks.isEmpty && rule.bandwidth == nil)
    }
}
