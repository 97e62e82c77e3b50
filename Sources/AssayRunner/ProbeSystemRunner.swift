import AssayCore
import AssayOps
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

/// Validates suite entries: ops and their params against the catalogue, checks against
/// `SystemCheck` and `DeviceCheck`.
public struct SuiteValidator: SuiteEntryValidating {
    public let catalogue: SuiteEntryValidating
    /// `--memory-budget`: wins over a suite's `memory_budget`; without either, `MemoryBudget.standard`.
    public let budgetOverride: MemoryBudget?
    public init(catalogue: SuiteEntryValidating = OpCatalogue.standard, budgetOverride: MemoryBudget? = nil) {
        self.catalogue = catalogue
        self.budgetOverride = budgetOverride
    }

    /// Every check a suite may name.
    public static var checkNames: [String] { SystemCheck.names + DeviceCheck.names }

    public func problems(in entry: SuiteEntry, suiteBudget: MemoryBudget?) -> [SuiteEntryProblem] {
        if let check = entry.check, !Self.checkNames.contains(check) {
            return [
                SuiteEntryProblem(
                    field: "check",
                    message: "unknown system check '\(check)' (known: \(Self.checkNames.joined(separator: ", ")))"
                )
            ]
        }
        return catalogue.problems(in: entry, suiteBudget: budgetOverride ?? suiteBudget ?? .standard)
    }

    public func problems(in entry: SuiteEntry) -> [SuiteEntryProblem] { problems(in: entry, suiteBudget: nil) }
}
