import AssayCore
import Testing

@testable import AssayBench

@Suite struct RooflineTests {
    /// 100 TFLOP/s and 2 TB/s: the ridge point is at 50 FLOP/byte.
    let roofline = Roofline(peakFLOPsPerSecond: 100e12, bandwidthBytesPerSecond: 2e12)

    @Test func attainableIsTheLowerRoof() {
        #expect(roofline.attainable(arithmeticIntensity: 10) == 20e12)
        #expect(roofline.attainable(arithmeticIntensity: 50) == 100e12)
        #expect(roofline.attainable(arithmeticIntensity: 1000) == 100e12)
        #expect(
            Roofline(peakFLOPsPerSecond: 1e12, bandwidthBytesPerSecond: nil).attainable(arithmeticIntensity: 10) == nil
        )
    }

    /// bf16 matmul 4096³: 2·4096³ FLOPs over 3·4096²·2 bytes (AI ≈ 1365) in 2 ms.
    @Test func computeBoundMatmulIsJudgedAgainstPeak() throws {
        let n = 4096.0
        let flops = 2 * n * n * n
        let bytes = 3 * n * n * 2
        let point = roofline.evaluate(flops: flops, bytes: bytes, seconds: 0.002)
        #expect(point.bound == .compute)
        #expect(isClose(try #require(point.arithmeticIntensity), n / 3))
        #expect(isClose(try #require(point.flopsPerSecond), flops / 0.002))
        #expect(isClose(try #require(point.percentOfPeak), 100 * flops / 0.002 / 100e12))
        #expect(point.percentOfRoofline == point.percentOfPeak)
    }

    /// fp32 add of 2^26 elements: one FLOP per 12 bytes, 1.5 TB/s achieved → 75% of the roofline, ~0.1% of peak.
    @Test func memoryBoundAddIsJudgedAgainstBandwidth() throws {
        let elements = Double(1 << 26)
        let flops = elements
        let bytes = 12 * elements
        let seconds = bytes / 1.5e12
        let point = roofline.evaluate(flops: flops, bytes: bytes, seconds: seconds)
        #expect(point.bound == .memory)
        #expect(isClose(try #require(point.percentOfRoofline), 75, relative: 1e-12))
        #expect(try #require(point.percentOfPeak) < 1)
        #expect(isClose(try #require(point.bytesPerSecond), 1.5e12, relative: 1e-12))
    }

    @Test func zeroFlopCopyIsJudgedOnlyAgainstBandwidth() throws {
        let point = roofline.evaluate(flops: 0, bytes: 2e9, seconds: 0.002)  // 1 TB/s
        #expect(point.bound == .memory)
        #expect(point.percentOfPeak == nil)
        #expect(isClose(try #require(point.percentOfRoofline), 50))
        #expect(point.arithmeticIntensity == 0)
        // Without a compute peak a copy is still judged.
        let bandwidthOnly = Roofline(peakFLOPsPerSecond: nil, bandwidthBytesPerSecond: 2e12).evaluate(
            flops: 0,
            bytes: 2e9,
            seconds: 0.002
        )
        #expect(bandwidthOnly.percentOfRoofline == point.percentOfRoofline)
    }

    @Test func missingCeilingsGiveNilNotNaN() {
        let none = Roofline(peakFLOPsPerSecond: nil, bandwidthBytesPerSecond: nil).evaluate(
            flops: 1e9,
            bytes: 1e9,
            seconds: 1
        )
        #expect(none.flopsPerSecond == 1e9 && none.bytesPerSecond == 1e9 && none.arithmeticIntensity == 1)
        #expect(none.percentOfPeak == nil && none.percentOfRoofline == nil && none.bound == nil)
        // A peak alone gives % of peak but cannot tell which roof binds.
        let peakOnly = Roofline(peakFLOPsPerSecond: 1e12, bandwidthBytesPerSecond: nil).evaluate(
            flops: 1e9,
            bytes: 1e9,
            seconds: 1
        )
        #expect(peakOnly.percentOfPeak == 0.1 && peakOnly.percentOfRoofline == nil && peakOnly.bound == nil)
        // Nonsense ceilings are no ceilings.
        #expect(
            Roofline(peakFLOPsPerSecond: 0, bandwidthBytesPerSecond: .nan)
                == Roofline(peakFLOPsPerSecond: nil, bandwidthBytesPerSecond: nil)
        )
    }

    @Test func unusableTimesGiveAnEmptyPoint() {
        #expect(roofline.evaluate(flops: 1, bytes: 1, seconds: 0) == RooflinePoint())
        #expect(roofline.evaluate(flops: 1, bytes: 1, seconds: .nan) == RooflinePoint())
        #expect(roofline.evaluate(flops: -1, bytes: 1, seconds: 1) == RooflinePoint())
    }

    @Test func workModelFillsTheRecordFromTheMedian() throws {
        let summary = Statistics.summarize([2_000_000, 2_000_000, 2_000_000])  // 2 ms per call
        var record = PerformanceRecord(
            mode: .warm,
            timerKind: .host,
            k: 1,
            n: 3,
            warmupCalls: 3,
            samples: [2_000_000, 2_000_000, 2_000_000],
            summary: summary,
            converged: true,
            stopReason: "test",
            totalSeconds: 1,
            measuredSeconds: 0.006
        )
        let n = 4096.0
        record.applyWorkModel(flops: 2 * n * n * n, bytes: 6 * n * n, roofline: roofline, ceilingSource: .declared)
        #expect(record.bound == .compute && record.ceilingSource == .declared)
        #expect(isClose(try #require(record.flopsPerSecond), 2 * n * n * n / 0.002))
        #expect(record.percentOfRoofline == record.percentOfPeak)
    }
}

/// A figure above its ceiling is never reported above 100%.
@Suite struct RooflineCapTests {
    @Test func aFigureAboveItsCeilingIsCappedAndFlagged() {
        let roofline = Roofline(peakFLOPsPerSecond: 1e9, bandwidthBytesPerSecond: 1e9)
        // 2 GFLOP in 1 s against a 1 GFLOP/s peak, at high intensity (compute-bound).
        let point = roofline.evaluate(flops: 2e9, bytes: 1e6, seconds: 1)
        #expect(point.percentOfPeak == 100 && point.percentOfRoofline == 100 && point.ceilingBelowAchieved)
        // Memory-bound, 3 GB/s against 1 GB/s.
        let copy = roofline.evaluate(flops: 0, bytes: 3e9, seconds: 1)
        #expect(copy.percentOfRoofline == 100 && copy.ceilingBelowAchieved)
        // Below the ceiling nothing changes.
        let fair = roofline.evaluate(flops: 5e8, bytes: 1e6, seconds: 1)
        #expect(fair.percentOfPeak == 50 && !fair.ceilingBelowAchieved)
    }
}
