/// What the `sustained_load` burn-in check expects (`expect.sustained_load`, docs/FORMATS.md):
/// how long to load every device with back-to-back GEMM, and the limits it must stay within.
public struct SustainedLoadSpec: Codable, Sendable, Equatable {
    /// Seconds of back-to-back GEMM on every device.
    public var durationSeconds: Double
    /// Largest accepted drop of the GEMM rate from the first to the last window (0.1: 10%).
    public var maxDecay: Double
    /// Lowest accepted SM clock as a fraction of the device's maximum (when telemetry has clocks).
    public var minClockFraction: Double?
    /// The GEMM: square size and dtype.
    public var size: Int
    public var dtype: DType

    public init(
        durationSeconds: Double = 60,
        maxDecay: Double = 0.1,
        minClockFraction: Double? = nil,
        size: Int = 1024,
        dtype: DType = .f32
    ) {
        self.durationSeconds = durationSeconds
        self.maxDecay = maxDecay
        self.minClockFraction = minClockFraction
        self.size = size
        self.dtype = dtype
    }
}

extension SustainedLoadSpec {
    /// `sustained_load: {duration_s: 600, max_decay: 0.05, min_clock_fraction: 0.8, size: 8192, dtype: bf16}`.
    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: ["duration_s", "max_decay", "min_clock_fraction", "size", "dtype"])
        self.init()
        durationSeconds = try map["duration_s"]?.positiveDouble() ?? durationSeconds
        if let value = map["max_decay"] {
            maxDecay = try value.nonNegativeDouble()
            guard maxDecay < 1 else { throw value.error("max_decay is a fraction below 1 (0.1 for 10%)") }
        }
        if let value = map["min_clock_fraction"] {
            let fraction = try value.positiveDouble()
            guard fraction <= 1 else {
                throw value.error("min_clock_fraction is a fraction of the maximum clock, at most 1")
            }
            minClockFraction = fraction
        }
        size = try map["size"]?.positiveInt() ?? size
        if let value = map["dtype"] {
            guard let dtype = DType(name: try value.string()), dtype.isFloatingPoint else {
                throw value.error("dtype must be a float dtype (f64, f32, f16, bf16)")
            }
            self.dtype = dtype
        }
    }
}
