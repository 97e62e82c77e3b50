import Testing

@testable import AssayCore
@testable import AssayReport

/// The throughput cell carries joules per call and work per joule when the counters were read.
@Suite struct EnergyFigureTests {
    @Test func energyFigureBesideThroughput() {
        let energy = EnergyRecord(source: "powercap intel-rapl:0 (package-0)", joules: 2, calls: 4, seconds: 1)
        #expect(ReportModel.energyText(energy, work: 1e9, unit: "FLOP/J") == ", 0.5 J/call (2.00 GFLOP/J)")
    }

    @Test func nothingWithoutCounters() {
        #expect(ReportModel.energyText(.notAvailable("no powercap"), work: 1e9, unit: "FLOP/J") == "")
        #expect(ReportModel.energyText(nil, work: 1e9, unit: "FLOP/J") == "")
    }
}
