import AssayCore
import Foundation

extension HTMLReport {
    /// Run, target, backend, environment, clock and ceilings: what a reader needs to trust the rest.
    var summarySection: XMLNode {
        let record = model.record
        let target = record.target.value
        let backend = record.backend
        let duration = record.finishedAt.map {
            Figures.duration(nanoseconds: $0.timeIntervalSince(record.startedAt) * 1e9)
        }
        return .element("section", ["id": "summary"]) {
            XMLNode.element("h2") { "Summary" }
            XMLNode.element("p") {
                "Verdict \(model.verdict.headline): \(model.countsLine) of \(record.plannedCases.count) planned cases; run status \(record.status.rawValue)."
            }
            XMLNode.element("div", ["class": "facts"]) {
                Self.facts(
                    "Run",
                    [
                        ("run id", record.runID), ("status", record.status.rawValue),
                        ("started", Figures.timestamp(record.startedAt)),
                        ("finished", record.finishedAt.map(Figures.timestamp)),
                        ("duration", duration), ("harness", record.harnessVersion),
                        ("command", record.command.isEmpty ? nil : record.command.joined(separator: " ")),
                        (
                            "suites",
                            record.suites.map { "\($0.value.id) (\($0.path), sha256 \($0.sha256.prefix(12)))" }.joined(
                                separator: "; "
                            )
                        ),
                    ]
                )
                Self.facts(
                    "Target",
                    [
                        ("id", target.id), ("title", target.title), ("kind", target.kind.rawValue),
                        ("vendor", target.vendor),
                        ("model", target.model),
                        (
                            "versions",
                            target.versions.isEmpty
                                ? nil
                                : target.versions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                                    separator: ", "
                                )
                        ),
                        ("descriptor", record.target.path), ("descriptor sha256", record.target.sha256),
                    ]
                )
                Self.facts(
                    "Backend",
                    [
                        ("name", "\(backend.name) \(backend.version)"),
                        (
                            "transport",
                            backend.transport.rawValue + (backend.protocolVersion.map { ", protocol \($0)" } ?? "")
                        ),
                        ("timer", backend.timer.rawValue),
                        (
                            "devices",
                            backend.devices.isEmpty ? nil : backend.devices.map(Self.deviceLine).joined(separator: "; ")
                        ),
                        (
                            "runtime",
                            backend.runtime.isEmpty
                                ? nil
                                : backend.runtime.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                                    separator: ", "
                                )
                        ),
                        (
                            "ops × dtypes",
                            "\(backend.capabilities.claims.count) ops, \(backend.capabilities.claimCount) op/dtype pairs"
                        ),
                    ]
                )
                Self.facts(
                    "Environment",
                    [("fingerprint", record.environment.fingerprint)]
                        + record.environment.components.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                )
                Self.facts(
                    "Clock",
                    [
                        ("source", record.clock?.source),
                        (
                            "resolution",
                            record.clock.map {
                                $0.resolutionNanoseconds.map { Figures.duration(nanoseconds: $0) } ?? "never advanced"
                            }
                        ),
                        (
                            "read overhead",
                            record.clock.map { Figures.duration(nanoseconds: $0.readOverheadNanoseconds) }
                        ),
                        ("calibration reads", record.clock.map { String($0.reads) }),
                    ]
                )
                Self.facts("Ceilings", ceilingFacts)
            }
        }
    }

    private var ceilingFacts: [(String, String?)] {
        var pairs: [(String, String?)] = model.ceilings.compute.sorted { $0.key < $1.key }.map { dtype, ceiling in
            ("\(dtype) peak", "\(Figures.rate(ceiling.value, unit: "FLOP/s")) (\(ceiling.source.rawValue))")
        }
        if let bandwidth = model.ceilings.bandwidth {
            pairs.append(
                ("memory bandwidth", "\(Figures.rate(bandwidth.value, unit: "B/s")) (\(bandwidth.source.rawValue))")
            )
        }
        if let triad = model.record.measuredCeilings?.triadBytesPerSecond {
            pairs.append(("triad (measured)", Figures.rate(triad, unit: "B/s")))
        }
        if let basis = model.ceilingBasis { pairs.append(("basis", basis)) }
        return pairs.isEmpty ? [("ceilings", "none declared or measured")] : pairs
    }

    static func deviceLine(_ device: BackendIdentity.Device) -> String {
        var parts = ["#\(device.index) \(device.name)"]
        if let kind = device.kind { parts.append(kind.rawValue) }
        if let memory = device.memoryBytes { parts.append(Figures.rate(memory, unit: "B")) }
        if let driver = device.driver { parts.append("driver \(driver)") }
        if let runtime = device.runtime { parts.append("runtime \(runtime)") }
        if let clock = device.maxClockMHz { parts.append("max \(Figures.number(clock)) MHz") }
        return parts.joined(separator: ", ")
    }
}
