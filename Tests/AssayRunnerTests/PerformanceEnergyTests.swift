import AssayTestSupport
import Foundation
import Testing

@testable import AssayBackend
@testable import AssayBench
@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// A performance round records the energy of the calls it made: from the counters given, or
/// "not available" with the reason.
@Suite struct PerformanceEnergyTests {
    private func sample(_ counters: EnergyCounters) throws -> PerformanceRecord {
        let backend = NativeCPUBackend(threads: 1)
        let problem = try OpCatalogue.standard.problem(
            op: "add",
            params: ["a": .ints([4096]), "b": .ints([4096])],
            attrs: [:],
            dtype: .f32
        )
        return try SampledPerformanceRunner.sample(
            backend: backend,
            identity: try backend.describe(),
            problem: problem,
            settings: PerformanceSettings(timeCapSeconds: 0.3),
            seed: 1,
            energy: counters
        )
    }

    @Test func countersGiveJoulesPerCall() throws {
        let root = try TemporaryDirectory.make(prefix: "energy-run")
        let zone = root.appendingPathComponent("powercap/intel-rapl:0")
        try FileManager.default.createDirectory(at: zone, withIntermediateDirectories: true)
        try "package-0\n".write(to: zone.appendingPathComponent("name"), atomically: true, encoding: .utf8)
        try "42\n".write(to: zone.appendingPathComponent("energy_uj"), atomically: true, encoding: .utf8)
        let record = try sample(EnergyCounters(root: root))
        let energy = try #require(record.energy)
        #expect(energy.source == "powercap intel-rapl:0 (package-0)")
        // The fixture counter stands still: 0 J over every call the sampler made (at least the kept ones).
        #expect(energy.joules == 0)
        #expect((energy.calls ?? 0) >= record.k * record.n)
        #expect((energy.seconds ?? 0) > 0)
    }

    @Test func noCountersIsRecordedWithTheReason() throws {
        let record = try sample(EnergyCounters(root: URL(fileURLWithPath: "/nonexistent-sysfs")))
        #expect(record.energy?.joules == nil)
        #expect(record.energy?.unavailable?.contains("/nonexistent-sysfs/powercap: no such folder") == true)
    }
}
