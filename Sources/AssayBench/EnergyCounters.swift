import AssayCore
import Foundation

/// Cumulative energy counters of this machine, read from Linux sysfs: powercap (RAPL) zones,
/// else hwmon `energy*_input` sensors, both in microjoules.
///
/// Only top-level powercap zones are summed (`intel-rapl:0`, not its `intel-rapl:0:0` subzones,
/// which the package already contains); `psys` (the whole platform) is used alone where present,
/// since it contains the packages too. A powercap counter wraps at `max_energy_range_uj`.
public struct EnergyCounters: Sendable {
    /// One counter: its file, its wrap-around range (nil: never wraps), a name for the record.
    struct Counter: Sendable {
        let file: URL
        let range: Double?
        let label: String
    }

    /// The counters' values at one moment, in microjoules.
    public struct Snapshot: Sendable {
        let microjoules: [Double]
        let time: UInt64
    }

    let counters: [Counter]
    /// Why there are no counters (nil when there are).
    public let unavailableReason: String?

    /// Counters under `root` (the live machine's /sys/class by default; tests pass a fixture tree).
    public init(root: URL = URL(fileURLWithPath: "/sys/class")) {
        let powercap = EnergyCounters.powercap(root.appendingPathComponent("powercap"))
        if case .success(let found) = powercap, !found.isEmpty {
            counters = found
            unavailableReason = nil
            return
        }
        let hwmon = EnergyCounters.hwmon(root.appendingPathComponent("hwmon"))
        if case .success(let found) = hwmon, !found.isEmpty {
            counters = found
            unavailableReason = nil
            return
        }
        counters = []
        unavailableReason = [powercap, hwmon].compactMap {
            if case .failure(let why) = $0 { return why.text } else { return nil }
        }
        .joined(separator: "; ")
    }

    public var source: String { counters.map(\.label).joined(separator: " + ") }

    /// The counters now; nil when there are none or one stopped being readable.
    public func snapshot() -> Snapshot? {
        guard !counters.isEmpty else { return nil }
        var values: [Double] = []
        for counter in counters {
            guard let value = EnergyCounters.number(at: counter.file) else { return nil }
            values.append(value)
        }
        return Snapshot(microjoules: values, time: DispatchTime.now().uptimeNanoseconds)
    }

    /// Energy between two snapshots over `calls` calls. A counter below its earlier value wrapped
    /// once (the case's time cap is far below the shortest wrap period, minutes at full power);
    /// one without a range (hwmon) then reset, and the figure is not available.
    public func energy(from start: Snapshot?, to end: Snapshot?, calls: Int) -> EnergyRecord {
        guard let start, let end else {
            return .notAvailable(unavailableReason ?? "an energy counter became unreadable")
        }
        var total = 0.0
        for (index, counter) in counters.enumerated() {
            let (before, after) = (start.microjoules[index], end.microjoules[index])
            if after >= before {
                total += after - before
                continue
            }
            guard let range = counter.range else {
                return .notAvailable("\(counter.label) went backwards (counter reset)")
            }
            total += range - before + after
        }
        return EnergyRecord(
            source: source,
            joules: total / 1e6,
            calls: calls,
            seconds: Double(end.time - start.time) / 1e9
        )
    }

    struct Unreadable: Error { let text: String }

    private static func powercap(_ folder: URL) -> Result<[Counter], Unreadable> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return .failure(Unreadable(text: "\(folder.path): no such folder (no RAPL powercap driver)"))
        }
        // Top-level zones have one colon ("intel-rapl:0"); subzones two.
        var zones: [(name: String, counter: Counter)] = []
        var denied: [String] = []
        for zone in names.sorted() where zone.split(separator: ":").count == 2 {
            let base = folder.appendingPathComponent(zone)
            let file = base.appendingPathComponent("energy_uj")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            guard number(at: file) != nil else {
                denied.append(file.path)
                continue
            }
            let name = text(at: base.appendingPathComponent("name")) ?? zone
            zones.append(
                (
                    name,
                    Counter(
                        file: file,
                        range: number(at: base.appendingPathComponent("max_energy_range_uj")),
                        label: "powercap \(zone) (\(name))"
                    )
                )
            )
        }
        if let platform = zones.first(where: { $0.name == "psys" }) { return .success([platform.counter]) }
        if zones.isEmpty, let file = denied.first {
            return .failure(Unreadable(text: "\(file): not readable (root only since Linux 5.10)"))
        }
        if zones.isEmpty { return .failure(Unreadable(text: "\(folder.path): no zone with energy_uj")) }
        return .success(zones.map(\.counter))
    }

    private static func hwmon(_ folder: URL) -> Result<[Counter], Unreadable> {
        guard let devices = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return .failure(Unreadable(text: "\(folder.path): no such folder"))
        }
        var found: [Counter] = []
        for device in devices.sorted() {
            let base = folder.appendingPathComponent(device)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
            for file in files.sorted() where file.hasPrefix("energy") && file.hasSuffix("_input") {
                let path = base.appendingPathComponent(file)
                guard number(at: path) != nil else { continue }
                let sensor = text(
                    at: base.appendingPathComponent(file.replacingOccurrences(of: "_input", with: "_label"))
                )
                let chip = text(at: base.appendingPathComponent("name")) ?? device
                found.append(Counter(file: path, range: nil, label: "hwmon \(chip) \(sensor ?? file)"))
            }
        }
        return found.isEmpty
            ? .failure(Unreadable(text: "\(folder.path): no readable energy*_input sensor")) : .success(found)
    }

    private static func text(at file: URL) -> String? {
        (try? String(contentsOf: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func number(at file: URL) -> Double? { text(at: file).flatMap(Double.init) }
}
