import AssayCore
import Foundation
import Testing

@testable import AssayBench

/// The sampler against synthetic backends on a fake clock: no real time is measured.
@Suite struct SamplerTests {
    @Test func warmUpTakesThreeCallsAndAHundredMilliseconds() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000)
        let record = try backend.sampler(.init()).run()
        let firstBatch = try #require(backend.requests.first { $0.samples > 1 })
        #expect(record.warmupCalls >= 3)
        #expect(firstBatch.startedAt - backend.requests[0].startedAt >= 100_000_000)
        #expect(record.warmupCalls == backend.untimedRequests.reduce(0) { $0 + $1.k })
    }

    @Test func slowOpsStillGetThreeWarmUpCalls() throws {
        let backend = SyntheticBackend(nanoseconds: 60_000_000)
        let record = try backend.sampler(.init()).run()
        #expect(backend.untimedRequests.count >= 3)
        #expect(record.warmupCalls >= 3)
    }

    /// 10 µs a call: probes k = 1 (10 µs), 10 (projected 140, capped at ×10), 100 (1 ms).
    @Test func sizesTheBatchSoASampleLastsAMillisecond() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000)
        let record = try backend.sampler(.init()).run()
        #expect(record.k == 100)
        #expect(backend.requests.filter { $0.samples > 1 }.allSatisfy { $0.k == 100 })
        #expect(record.samples.allSatisfy { $0 * Double(record.k) >= 1_000_000 })
    }

    /// Device timers only need 50 µs: 1 call (10 µs) projects 7 calls, which reach 70 µs.
    @Test func deviceTimersNeedShorterSamples() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000)
        let record = try backend.sampler(.init(timerKind: .device)).run()
        #expect(record.k == 7)
        #expect(record.timerKind == .device)
    }

    @Test func coldModeTakesOneCallPerSample() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000)
        let record = try backend.sampler(.init(mode: .cold)).run()
        #expect(record.k == 1)
        #expect(record.mode == .cold)
        #expect(backend.requests.allSatisfy { $0.k == 1 })
    }

    @Test func quietStreamConvergesAndKeepsEverySample() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000, noise: 0.001)
        let record = try backend.sampler(.init()).run()
        #expect(record.converged)
        #expect(record.stopReason.hasPrefix("converged at ±"))
        #expect(record.n == record.samples.count && record.summary.n == record.n)
        #expect(record.measuredSeconds >= 0.5)
        #expect(abs(record.summary.median - 10_000) < 20)
        #expect(backend.requests.filter { $0.samples > 1 }.reduce(0) { $0 + $1.samples } == record.n)
    }

    @Test func stopsAtTheTimeCapIncludingWarmUp() throws {
        let clock = FakeClock()
        // ±30% noise at 10 ms a sample cannot reach ±1% within 2 s.
        let backend = SyntheticBackend(clock: clock, nanoseconds: 10_000_000, noise: 0.3)
        backend.overheadNanoseconds = 50_000
        var rule = StoppingRule(timeCapSeconds: 2)
        rule.plateauMinSamples = .max
        let start = clock.now
        let record = try backend.sampler(.init(stoppingRule: rule)).run()
        #expect(!record.converged)
        #expect(record.stopReason.hasPrefix("time cap 2 s reached at ±"))
        #expect(Double(clock.now - start) / 1e9 <= 2)
        #expect(record.totalSeconds <= 2)
        #expect(record.n > 100)
    }

    @Test func aCallLongerThanTheCapLeavesNoSample() throws {
        let clock = FakeClock()
        let backend = SyntheticBackend(clock: clock, nanoseconds: 6e9)
        let start = clock.now
        let record = try backend.sampler(.init()).run()
        #expect(record.n == 0 && record.samples.isEmpty && !record.converged)
        #expect(record.stopReason == "time cap 15 s reached before any sample was kept")
        #expect(Double(clock.now - start) / 1e9 <= 15)
        #expect(record.summary.median.isNaN)
        // RecordCoding writes the undefined figures as "nan" and reads them back.
        let data = try RecordCoding.encoder().encode(record)
        let decoded = try RecordCoding.decoder().decode(PerformanceRecord.self, from: data)
        #expect(decoded.n == 0 && decoded.summary.median.isNaN)
    }

    @Test func telemetryRangesAndLowClockSamples() throws {
        let clock = FakeClock()
        let backend = SyntheticBackend(clock: clock, nanoseconds: 10_000, noise: 0.001)
        // Every 4th sample runs at 1200 MHz, below 75% of 1980 MHz (1485).
        backend.telemetry = { i in
            TelemetrySample(
                smClockMHz: i % 4 == 0 ? 1200 : 1900,
                memClockMHz: 2600,
                powerWatts: 250 + Double(i % 10),
                temperatureC: 60 + Double(i % 5)
            )
        }
        let record = try backend.sampler(.init(maxClockMHz: 1980)).run()
        let ranges = try #require(record.telemetry)
        #expect(ranges.smClockMHz == .init(min: 1200, max: 1900))
        #expect(ranges.memClockMHz == .init(min: 2600, max: 2600))
        #expect(ranges.powerWatts == .init(min: 250, max: 259))
        #expect(ranges.temperatureC == .init(min: 60, max: 64))
        // The kept samples' indices continue after the untimed ones.
        let first = backend.untimedRequests.count
        let low = (first..<(first + record.n)).filter { $0 % 4 == 0 }.count
        #expect(record.lowClockSamples == low)
        #expect(record.limited)
        #expect(record.limitReason == "clock below 75% of max in \(low)/\(record.n) samples")
        #expect(record.maxClockMHz == 1980)
    }

    @Test func noTelemetryMeansNoRangesAndNotLimited() throws {
        let backend = SyntheticBackend(nanoseconds: 10_000, noise: 0.001)
        let record = try backend.sampler(.init(maxClockMHz: 1980)).run()
        #expect(
            record.telemetry == nil && record.lowClockSamples == nil && !record.limited && record.limitReason == nil
        )
    }

    @Test func rejectsMalformedBatches() {
        let clock = FakeClock()
        let short = Sampler(clock: clock) { _, samples in
            clock.advance(nanoseconds: 1e6)
            return Array(repeating: MeasuredSample(elapsedNanoseconds: 1e6), count: max(samples - 1, 0))
        }
        #expect(throws: SamplerError.wrongSampleCount(requested: 1, received: 0)) { try short.run() }
        let negative = Sampler(clock: clock) { _, samples in
            Array(repeating: MeasuredSample(elapsedNanoseconds: -5), count: samples)
        }
        #expect(throws: SamplerError.invalidElapsed(-5)) { try negative.run() }
    }

    @Test func closureErrorsPropagate() {
        struct Boom: Error {}
        let sampler = Sampler(clock: FakeClock()) { _, _ in throw Boom() }
        #expect(throws: Boom.self) { try sampler.run() }
    }

    @Test func recordEncodesAsPlainJSON() throws {
        var record = try SyntheticBackend(nanoseconds: 10_000, noise: 0.001).sampler(.init()).run()
        record.applyWorkModel(
            flops: 1e6,
            bytes: 1e6,
            roofline: Roofline(peakFLOPsPerSecond: nil, bandwidthBytesPerSecond: nil),
            ceilingSource: .declared
        )
        // The plain encoder throws on NaN or infinity: a record with missing ceilings has none.
        let json = try #require(String(data: try JSONEncoder().encode(record), encoding: .utf8))
        #expect(!json.contains("percentOfPeak") && !json.contains("ceilingSource"))
        #expect(record.flopsPerSecond != nil && record.bound == nil)
    }

    @Test func mergeKeepsOrder() {
        #expect(Sampler.merge([1, 3, 5], [2, 3, 6]) == [1, 2, 3, 3, 5, 6])
        #expect(Sampler.merge([], [1]) == [1])
    }
}
