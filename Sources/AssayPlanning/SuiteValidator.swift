import AssayCore
import AssayOps

/// Validates suite entries: ops and their params against the catalogue, checks against the
/// `CheckRegistry`.
public struct SuiteValidator: SuiteEntryValidating {
    public let catalogue: SuiteEntryValidating
    /// `--memory-budget`: wins over a suite's `memory_budget`; without either, `MemoryBudget.standard`.
    public let budgetOverride: MemoryBudget?
    public init(catalogue: SuiteEntryValidating = OpCatalogue.standard, budgetOverride: MemoryBudget? = nil) {
        self.catalogue = catalogue
        self.budgetOverride = budgetOverride
    }

    /// Every check a suite may name.
    public static var checkNames: [String] { CheckRegistry.names }

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
