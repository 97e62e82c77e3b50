import AssayCore

extension Sampler {
    /// How one case is sampled.
    public struct Configuration: Sendable, Equatable {
        public var mode: PerformanceMode
        public var timerKind: PerformanceRecord.TimerKind
        public var stoppingRule: StoppingRule
        /// Samples requested per call of the measure closure; small, so the rule is consulted often.
        public var batchSize: Int
        /// On long cases batches grow to this fraction of the samples so far (0.02: the
        /// rule still sees every 2% of new data, and bookkeeping stays linear per decision).
        public var batchFraction: Double
        public var warmupMinCalls: Int
        public var warmupMinSeconds: Double
        /// Shortest acceptable sample of k calls; nil: 1 ms for host timers, 50 µs for device timers
        /// (a device timer sees no launch overhead and resolves far below a microsecond).
        public var minSampleNanoseconds: Double?
        /// Upper bound on k (google-benchmark's limit).
        public var maxK: Int
        /// The device's maximum SM clock, to count samples taken below 75% of it.
        public var maxClockMHz: Double?
        /// The device's power limit, to count power-limited samples.
        public var powerLimitWatts: Double?

        public init(
            mode: PerformanceMode = .warm,
            timerKind: PerformanceRecord.TimerKind = .host,
            stoppingRule: StoppingRule = StoppingRule(),
            batchSize: Int = 5,
            batchFraction: Double = 0.02,
            warmupMinCalls: Int = 3,
            warmupMinSeconds: Double = 0.1,
            minSampleNanoseconds: Double? = nil,
            maxK: Int = 1_000_000_000,
            maxClockMHz: Double? = nil,
            powerLimitWatts: Double? = nil
        ) {
            self.mode = mode
            self.timerKind = timerKind
            self.stoppingRule = stoppingRule
            self.batchSize = batchSize
            self.batchFraction = batchFraction
            self.warmupMinCalls = warmupMinCalls
            self.warmupMinSeconds = warmupMinSeconds
            self.minSampleNanoseconds = minSampleNanoseconds
            self.maxK = maxK
            self.maxClockMHz = maxClockMHz
            self.powerLimitWatts = powerLimitWatts
        }

        /// The shortest acceptable sample in force.
        public var sampleFloorNanoseconds: Double {
            minSampleNanoseconds ?? (timerKind == .host ? 1_000_000 : 50_000)
        }
    }
}
