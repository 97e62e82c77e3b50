import AssayCore

extension PerformanceRecord {
    /// Fills the work-model fields from the op's FLOPs and minimum bytes per call, judged at
    /// the median time per call against `roofline`. With no samples the rates stay nil.
    public mutating func applyWorkModel(
        flops: Double,
        bytes: Double,
        roofline: Roofline,
        ceilingSource: CeilingSource?
    ) {
        let seconds = summary.n > 0 ? summary.median / 1e9 : 0
        let point = roofline.evaluate(flops: flops, bytes: bytes, seconds: seconds)
        self.flops = flops
        self.bytes = bytes
        flopsPerSecond = point.flopsPerSecond
        bytesPerSecond = point.bytesPerSecond
        arithmeticIntensity = point.arithmeticIntensity
        percentOfPeak = point.percentOfPeak
        percentOfRoofline = point.percentOfRoofline
        bound = point.bound
        ceilingBelowAchieved = point.ceilingBelowAchieved ? true : nil
        self.ceilingSource =
            roofline.peakFLOPsPerSecond == nil && roofline.bandwidthBytesPerSecond == nil ? nil : ceilingSource
    }
}
