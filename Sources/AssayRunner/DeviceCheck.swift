import AssayBackend
import AssayCore
import AssayProbe
import Foundation

/// A system check that goes through the backend to its device (the probes of `SystemCheck`
/// read this machine's files instead), against the target's `expect:` block.
///
/// Where there is no device apart from the host — the native CPU backend, a backend whose device
/// is the host CPU, or a target that is not an accelerator whose backend answers `unsupported` —
/// the case is `unsupported` and marked not applicable (`SystemObservation.notApplicable`), with
/// the reason: a skip that is neither a pass nor a failure, and left out of a profile's
/// unsupported ratio. An accelerator target's backend answering `unsupported` is a plain
/// `unsupported`: the device exists and the backend cannot reach it. A crash, timeout or error
/// of the backend is the case's outcome, with the plugin's stderr tail; the next request
/// restarts the plugin.
struct DeviceCheck: Sendable {
    let name: String
    let summary: String
    /// What the target expects, in words; nil when it declares nothing.
    let expected: @Sendable (DeviceCheckContext) -> String?
    let measure: @Sendable (DeviceBackend, DeviceCheckContext) throws -> Measurement

    /// What a check saw, and whether it meets the expectation (true when none is declared).
    struct Measurement {
        var observed: String
        var figures: [String: Double]
        var holds: Bool
        /// `host_device_bandwidth`: every device's link and NUMA node.
        var devices: [HostDeviceLink]? = nil
    }

    /// The harness's own reason to skip a check (the backend's is `BackendError.unsupported`).
    struct NotApplicable: Error {
        var reason: String
    }

    /// Every check, by the name a suite uses (`check: host_device_bandwidth`).
    static let all: [DeviceCheck] = [
        DeviceCheck(
            name: "host_device_bandwidth",
            summary: "host↔device copies (pinned and pageable, each way) reach the expected GB/s",
            expected: { context in
                context.expectations.minHostDeviceGBs.map {
                    String(format: "≥ %g GB/s each way (the faster of pinned and pageable)", $0)
                }
            },
            measure: { device, context in try HostDeviceLinks.measure(device, context: context) }
        ),
        DeviceCheck(
            name: "device_memory",
            summary: "the device has at least the expected memory",
            expected: { context in
                context.expectations.minDeviceMemoryGiB.map { String(format: "≥ %g GiB total", $0) }
            },
            measure: { device, context in
                let first = context.identity.devices.first
                // A host backend's `memory` is host RAM (docs/PROTOCOL.md), which the `memory` check covers.
                if first?.kind == .cpu {
                    throw NotApplicable(
                        reason: "backend \(context.identity.name) serves the host CPU (device kind cpu): "
                            + "no device memory apart from host RAM, which the `memory` check covers"
                    )
                }
                let (total, free) = try device.memory()
                let gib = 1_073_741_824.0
                let observed =
                    String(format: "%.1f GiB total, %.1f GiB free", total / gib, free / gib)
                    + (first.map { " on \($0.name)" } ?? "")
                let holds = context.expectations.minDeviceMemoryGiB.map { total / gib >= $0 } ?? true
                return Measurement(
                    observed: observed,
                    figures: ["total_bytes": total, "free_bytes": free],
                    holds: holds
                )
            }
        ),
        DeviceCheck(
            name: "sustained_load",
            summary: "back-to-back GEMM on every device for the declared time holds its rate and clock (burn-in)",
            expected: { context in
                context.expectations.sustainedLoad.map(SustainedLoad.expected)
            },
            measure: { device, context in
                try SustainedLoad.measure(
                    device,
                    identity: context.identity,
                    spec: context.expectations.sustainedLoad ?? SustainedLoadSpec()
                )
            }
        ),
    ]

    static func named(_ name: String) -> DeviceCheck? { all.first { $0.name == name } }
    static var names: [String] { all.map(\.name) }

    /// Never throws: every way the backend can fail is a recorded outcome.
    func run(_ context: DeviceCheckContext) -> SystemCheckOutcome {
        let expected = self.expected(context)
        guard let device = context.backend as? DeviceBackend else {
            return notApplicable(
                "backend \(context.identity.name) runs on the host: there is no device apart from it",
                expected: expected
            )
        }
        do {
            let measured = try measure(device, context)
            var outcome = SystemCheckOutcome(
                SystemCheckResult.verdict(expected, observed: measured.observed, holds: measured.holds),
                figures: measured.figures
            )
            outcome.observation?.devices = measured.devices
            return outcome
        } catch let skip as NotApplicable {
            return notApplicable(skip.reason, expected: expected)
        } catch let none as HostDeviceLinks.NoCopies {
            return unsupported(none.reason, context: context, expected: expected, devices: none.devices)
        } catch BackendError.unsupported(let reason) {
            return unsupported(reason, context: context, expected: expected)
        } catch let error as BackendError {
            return SystemCheckOutcome(
                outcome: error.outcome,
                observation: nil,
                message: error.description,
                stderrTail: error.stderrTail
            )
        } catch {
            return SystemCheckOutcome(outcome: .error, observation: nil, message: "\(error)")
        }
    }

    /// The backend answered `unsupported`: not applicable on a target without a device.
    private func unsupported(
        _ reason: String,
        context: DeviceCheckContext,
        expected: String?,
        devices: [HostDeviceLink]? = nil
    ) -> SystemCheckOutcome {
        let answer = "backend \(context.identity.name) answered unsupported: \(reason)"
        guard context.targetHasDevice else {
            return notApplicable("the target has no device; " + answer, expected: expected, devices: devices)
        }
        return SystemCheckOutcome(
            outcome: .unsupported,
            observation: SystemObservation(
                expected: expected ?? SystemCheckResult.notDeclared,
                observed: answer,
                devices: devices
            ),
            message: answer
        )
    }

    private func notApplicable(
        _ reason: String,
        expected: String?,
        devices: [HostDeviceLink]? = nil
    ) -> SystemCheckOutcome {
        let text = "not applicable: \(reason)"
        return SystemCheckOutcome(
            outcome: .unsupported,
            observation: SystemObservation(
                expected: expected ?? SystemCheckResult.notDeclared,
                observed: text,
                notApplicable: reason,
                devices: devices
            ),
            message: text
        )
    }
}

/// What a device check reads: the backend and its handshake, the target's expectations and
/// declared capabilities, and how much to copy.
struct DeviceCheckContext {
    var backend: Backend
    var identity: BackendIdentity
    var expectations: SystemExpectations
    var declared: DeclaredCapabilities
    /// False for cpu/server/os targets: a backend answering `unsupported` then means there is
    /// no device to check, not a device the backend cannot reach.
    var targetHasDevice = true
    /// Large enough that a copy is far above the link's latency and the timer's resolution.
    var transferBytes = 256 << 20
    var transferSamples = 10
}
