import AssayCore
import AssayProbe

/// Runs `system` cases: each named check of `AssayProbe.SystemCheck` against this machine's
/// facts, or a `DeviceCheck` through the backend to its device.
struct ProbeSystemRunner: SystemCaseRunner {
    let context: SystemCheckContext
    let device: DeviceCheckContext

    func run(check: String) -> SystemCheckOutcome {
        if let deviceCheck = DeviceCheck.named(check) { return deviceCheck.run(device) }
        guard let systemCheck = SystemCheck.named(check) else {
            return SystemCheckOutcome(outcome: .error, observation: nil, message: "unknown system check '\(check)'")
        }
        return SystemCheckOutcome(systemCheck.run(context))
    }
}
