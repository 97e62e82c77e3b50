import AssayCore
import AssayOps
import AssayProbe

/// Runs `system` cases: each named check of `AssayProbe.SystemCheck` against this machine's facts.
struct ProbeSystemRunner: SystemCaseRunner {
    let context: SystemCheckContext

    func run(check: String) -> SystemCheckOutcome {
        guard let systemCheck = SystemCheck.named(check) else {
            return SystemCheckOutcome(outcome: .error, observation: nil, message: "unknown system check '\(check)'")
        }
        let result = systemCheck.run(context)
        return SystemCheckOutcome(outcome: result.outcome, observation: SystemObservation(expected: result.expected, observed: result.observed),
                                  message: result.message)
    }
}

/// Validates suite entries: ops and their params against the catalogue, checks against `SystemCheck`.
public struct SuiteValidator: SuiteEntryValidating {
    public let catalogue: SuiteEntryValidating
    public init(catalogue: SuiteEntryValidating = OpCatalogue.standard) { self.catalogue = catalogue }

    public func problems(in entry: SuiteEntry) -> [SuiteEntryProblem] {
        if let check = entry.check, SystemCheck.named(check) == nil {
            return [SuiteEntryProblem(field: "check", message: "unknown system check '\(check)' (known: \(SystemCheck.names.joined(separator: ", ")))")]
        }
        return catalogue.problems(in: entry)
    }
}
