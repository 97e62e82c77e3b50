/// Device state read next to one timed sample (from the plugin's handshake-declared
/// telemetry, e.g. NVML), so a slow figure can be explained by clocks, power or heat.
/// Every field is optional: a device reports what it can.
public struct TelemetrySample: Codable, Sendable, Equatable {
    public var smClockMHz: Double?
    public var memClockMHz: Double?
    public var powerWatts: Double?
    public var temperatureC: Double?

    public init(
        smClockMHz: Double? = nil,
        memClockMHz: Double? = nil,
        powerWatts: Double? = nil,
        temperatureC: Double? = nil
    ) {
        self.smClockMHz = smClockMHz
        self.memClockMHz = memClockMHz
        self.powerWatts = powerWatts
        self.temperatureC = temperatureC
    }
}

extension TelemetrySample {
    /// The smallest and largest reading of one field.
    public struct Interval: Codable, Sendable, Equatable {
        public var min: Double
        public var max: Double
        public init(min: Double, max: Double) {
            self.min = min
            self.max = max
        }
    }

    /// Per field, the range seen over a case's samples; nil where no sample reported the field.
    public struct Ranges: Codable, Sendable, Equatable {
        public var smClockMHz: Interval?
        public var memClockMHz: Interval?
        public var powerWatts: Interval?
        public var temperatureC: Interval?

        public init(
            smClockMHz: Interval? = nil,
            memClockMHz: Interval? = nil,
            powerWatts: Interval? = nil,
            temperatureC: Interval? = nil
        ) {
            self.smClockMHz = smClockMHz
            self.memClockMHz = memClockMHz
            self.powerWatts = powerWatts
            self.temperatureC = temperatureC
        }

        /// The ranges over `samples`; nil when no sample carried any reading.
        /// Non-finite readings are ignored (a device that reports NaN reported nothing).
        public init?(_ samples: [TelemetrySample]) {
            func range(_ field: KeyPath<TelemetrySample, Double?>) -> Interval? {
                let values = samples.compactMap { $0[keyPath: field] }.filter(\.isFinite)
                guard let low = values.min(), let high = values.max() else { return nil }
                return Interval(min: low, max: high)
            }
            self.init(
                smClockMHz: range(\.smClockMHz),
                memClockMHz: range(\.memClockMHz),
                powerWatts: range(\.powerWatts),
                temperatureC: range(\.temperatureC)
            )
            if smClockMHz == nil, memClockMHz == nil, powerWatts == nil, temperatureC == nil { return nil }
        }
    }
}
