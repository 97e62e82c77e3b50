import AssayTestSupport
import Foundation
import Testing

@testable import AssayBench
@testable import AssayCore

/// Energy from a fixture sysfs tree: which counters are summed, wrap-around, hwmon, and the
/// reason recorded where nothing is readable.
@Suite struct EnergyCountersTests {
    private func write(_ root: URL, _ path: String, _ text: String) throws {
        let file = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    /// Two packages (each with a core subzone that must not be counted twice).
    private func raplTree() throws -> URL {
        let root = try TemporaryDirectory.make(prefix: "energy")
        for package in 0..<2 {
            try write(root, "powercap/intel-rapl:\(package)/name", "package-\(package)\n")
            try write(root, "powercap/intel-rapl:\(package)/energy_uj", "1000000\n")
            try write(root, "powercap/intel-rapl:\(package)/max_energy_range_uj", "262143328850\n")
            try write(root, "powercap/intel-rapl:\(package):0/name", "core\n")
            try write(root, "powercap/intel-rapl:\(package):0/energy_uj", "0\n")
        }
        return root
    }

    @Test func sumsTopLevelZonesOnly() throws {
        let root = try raplTree()
        let counters = EnergyCounters(root: root)
        #expect(counters.source == "powercap intel-rapl:0 (package-0) + powercap intel-rapl:1 (package-1)")
        let start = counters.snapshot()
        try write(root, "powercap/intel-rapl:0/energy_uj", "3500000\n")  // +2.5 J
        try write(root, "powercap/intel-rapl:1/energy_uj", "1500000\n")  // +0.5 J
        try write(root, "powercap/intel-rapl:0:0/energy_uj", "9000000\n")  // subzone: inside package 0 already
        let energy = counters.energy(from: start, to: counters.snapshot(), calls: 30)
        #expect(energy.joules == 3.0)
        #expect(energy.joulesPerCall == 0.1)
        #expect(energy.perJoule(workPerCall: 1e9) == 1e10)
        #expect(energy.unavailable == nil)
    }

    @Test func counterWrapsAtItsRange() throws {
        let root = try raplTree()
        try write(root, "powercap/intel-rapl:0/energy_uj", "262142328850\n")  // 1 J below the range
        let counters = EnergyCounters(root: root)
        let start = counters.snapshot()
        try write(root, "powercap/intel-rapl:0/energy_uj", "500000\n")
        let energy = counters.energy(from: start, to: counters.snapshot(), calls: 3)
        #expect(energy.joules == 1.5)
    }

    @Test func platformZoneAloneWhenPresent() throws {
        let root = try raplTree()
        try write(root, "powercap/intel-rapl:2/name", "psys\n")
        try write(root, "powercap/intel-rapl:2/energy_uj", "7\n")
        #expect(EnergyCounters(root: root).source == "powercap intel-rapl:2 (psys)")
    }

    @Test func hwmonWithoutRangeAndItsReset() throws {
        let root = try TemporaryDirectory.make(prefix: "energy")
        try write(root, "hwmon/hwmon3/name", "amd_energy\n")
        try write(root, "hwmon/hwmon3/energy1_input", "5000000\n")
        try write(root, "hwmon/hwmon3/energy1_label", "Esocket0\n")
        let counters = EnergyCounters(root: root)
        #expect(counters.source == "hwmon amd_energy Esocket0")
        let start = counters.snapshot()
        try write(root, "hwmon/hwmon3/energy1_input", "7000000\n")
        #expect(counters.energy(from: start, to: counters.snapshot(), calls: 1).joules == 2.0)
        let later = counters.snapshot()
        try write(root, "hwmon/hwmon3/energy1_input", "10\n")
        let reset = counters.energy(from: later, to: counters.snapshot(), calls: 1)
        #expect(reset.joules == nil && reset.unavailable?.contains("went backwards") == true)
    }

    @Test func noCountersSaysWhy() throws {
        let root = try TemporaryDirectory.make(prefix: "energy")
        let counters = EnergyCounters(root: root)
        #expect(counters.snapshot() == nil)
        let energy = counters.energy(from: nil, to: nil, calls: 5)
        #expect(energy.joules == nil && energy.joulesPerCall == nil)
        #expect(energy.unavailable?.contains("powercap: no such folder") == true)
        #expect(energy.unavailable?.contains("hwmon: no such folder") == true)
    }

    @Test func roundsAddUp() {
        let first = EnergyRecord(source: "x", joules: 1, calls: 10, seconds: 2)
        let merged = first.adding(EnergyRecord(source: "x", joules: 3, calls: 30, seconds: 2))
        #expect(merged.joulesPerCall == 0.1 && merged.watts == 1.0)
        #expect(first.adding(.notAvailable("gone")).unavailable == "gone")
    }
}
