import Testing

@testable import AssayBench

@Suite struct ClockTests {
    @Test func monotonicClockNeverGoesBack() {
        let clock = MonotonicClock()
        var previous = clock.nanoseconds()
        for _ in 0..<10_000 {
            let now = clock.nanoseconds()
            #expect(now >= previous)
            previous = now
        }
    }

    @Test func calibrationOfASteadyClock() {
        let info = ClockCalibration.measure(clock: FakeClock(step: 25), source: "fake", reads: 1000)
        #expect(info.resolutionNanoseconds == 25)
        #expect(info.readOverheadNanoseconds == 25)
        #expect(info.reads == 1000 && info.source == "fake")
    }

    /// Ticks of 100 ns that come every 4th read: resolution 100 ns, 25 ns a read.
    @Test func calibrationSeparatesResolutionFromOverhead() {
        final class CoarseClock: NanosecondClock {
            var reads: UInt64 = 0
            func nanoseconds() -> UInt64 {
                defer { reads += 1 }
                return (reads / 4) * 100
            }
        }
        let info = ClockCalibration.measure(clock: CoarseClock(), source: "coarse", reads: 4000)
        #expect(info.resolutionNanoseconds == 100)
        #expect(abs(info.readOverheadNanoseconds - 25) < 0.1)
    }

    @Test func aStoppedClockHasNoResolution() {
        let info = ClockCalibration.measure(clock: FakeClock(step: 0), source: "stopped", reads: 10, maxReads: 100)
        #expect(info.resolutionNanoseconds == nil)
        #expect(info.reads == 100)
    }

    @Test func theHostClockCalibrates() {
        let info = ClockCalibration.measure(reads: 10_000)
        #expect(info.resolutionNanoseconds != nil)
        #expect(info.readOverheadNanoseconds >= 0)
        #expect(info.source == MonotonicClock.source)
    }
}
