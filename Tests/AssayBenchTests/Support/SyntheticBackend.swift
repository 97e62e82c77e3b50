import AssayCore

@testable import AssayBench

/// A backend made of arithmetic: each call "takes" `nanosecondsPerCall(sampleIndex, &generator)`
/// of fake time, and every request advances the fake clock by what it reports (plus overhead).
final class SyntheticBackend {
    struct Request: Equatable {
        var startedAt: UInt64
        var k: Int
        var samples: Int
    }

    let clock: FakeClock
    var generator = SplitMix64(seed: 42)
    /// Per-call time of the i-th sample taken (warm-up and probes count too).
    var nanosecondsPerCall: (_ sample: Int, _ generator: inout SplitMix64) -> Double
    var telemetry: ((_ sample: Int) -> TelemetrySample?)?
    /// Fake wall time a request costs beyond its samples (a plugin round trip).
    var overheadNanoseconds: Double = 0
    private(set) var requests: [Request] = []
    private var taken = 0

    init(clock: FakeClock, nanosecondsPerCall: @escaping (_ sample: Int, _ generator: inout SplitMix64) -> Double) {
        self.clock = clock
        self.nanosecondsPerCall = nanosecondsPerCall
    }

    /// Per-call time `nanoseconds` with uniform relative noise of ±`noise`; a clock of its own
    /// unless the test reads or advances the clock too.
    convenience init(clock: FakeClock = FakeClock(), nanoseconds: Double, noise: Double = 0) {
        self.init(clock: clock) { _, generator in nanoseconds * (1 + noise * generator.nextSigned()) }
    }

    func measure(k: Int, samples: Int) -> [MeasuredSample] {
        requests.append(Request(startedAt: clock.now, k: k, samples: samples))
        clock.advance(nanoseconds: overheadNanoseconds)
        return (0..<samples).map { _ in
            let elapsed = Double(k) * nanosecondsPerCall(taken, &generator)
            clock.advance(nanoseconds: elapsed)
            defer { taken += 1 }
            return MeasuredSample(elapsedNanoseconds: elapsed, telemetry: telemetry?(taken))
        }
    }

    /// Requests made before the first multi-sample batch: warm-up and batch sizing.
    var untimedRequests: [Request] { Array(requests.prefix { $0.samples == 1 }) }

    func sampler(_ configuration: Sampler.Configuration) -> Sampler {
        Sampler(configuration: configuration, clock: clock) { [self] k, samples in measure(k: k, samples: samples) }
    }
}
