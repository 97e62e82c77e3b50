import AssayCore
import Testing

@testable import AssayBench

@Suite struct ThrottleAssessmentTests {
    @Test func countsLowClockAndPowerLimitedSamples() {
        let telemetry = [
            TelemetrySample(smClockMHz: 1400, powerWatts: 300), TelemetrySample(smClockMHz: 1900, powerWatts: 200),
            TelemetrySample(smClockMHz: 1480, powerWatts: 295), TelemetrySample(powerWatts: 100),
        ]
        let assessment = ThrottleAssessment(telemetry, maxClockMHz: 2000, powerLimitWatts: 300)
        #expect(assessment.lowClockSamples == 2)
        #expect(assessment.powerLimitedSamples == 2)
        #expect(assessment.reason == "clock below 75% of max in 2/3 samples; power-limited in 2/4 samples")
        #expect(assessment.limited)
    }

    @Test func unknownCeilingsJudgeNothing() {
        let assessment = ThrottleAssessment(
            [TelemetrySample(smClockMHz: 100, powerWatts: 999)],
            maxClockMHz: nil,
            powerLimitWatts: nil
        )
        #expect(assessment.lowClockSamples == nil && assessment.powerLimitedSamples == nil && !assessment.limited)
    }

    @Test func rangesIgnoreMissingAndNonFiniteReadings() {
        let ranges = TelemetrySample.Ranges([
            TelemetrySample(smClockMHz: 1500, temperatureC: .nan), TelemetrySample(smClockMHz: 1700),
        ])
        #expect(ranges?.smClockMHz == .init(min: 1500, max: 1700))
        #expect(ranges?.temperatureC == nil && ranges?.powerWatts == nil)
        #expect(TelemetrySample.Ranges([TelemetrySample()]) == nil)
    }
}
