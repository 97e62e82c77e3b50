import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// How a profile judges system checks: `observed` readings neither pass nor fail, and device
/// checks that do not apply to a target without a device stay out of the unsupported ratio.
struct SystemOutcomeEvaluationTests {
    static let deviceChecks = ["host_device_bandwidth", "device_memory"]

    /// A system case; `notApplicable` marks a device check on a target without a device.
    static func system(_ check: String, _ outcome: Outcome, notApplicable: String? = nil) -> CaseResult {
        var result = RunFixtures.caseResult("system/check/\(check)/any", outcome, kind: .system)
        result.system = SystemObservation(expected: "(not declared)", observed: "x", notApplicable: notApplicable)
        return result
    }

    /// The system suite's 16 checks on a CPU server: 6 declared and passing, 8 observed, the
    /// two device checks unsupported (not applicable when `marked`).
    static func systemSuite(marked: Bool) -> [CaseResult] {
        let declared = ["os_id", "os_version", "kernel", "arch", "glibc", "cpu_flags"].map { system($0, .pass) }
        let observed = [
            "memory", "hugepages", "cgroup", "kernel_modules", "device_nodes", "accelerators", "backend_devices",
            "versions_match",
        ]
        .map { system($0, .observed) }
        let device = deviceChecks.map {
            system($0, .unsupported, notApplicable: marked ? "backend native-cpu runs on the host" : nil)
        }
        return declared + observed + device
    }

    /// A run of a cpu-kind target: cpu-server certifies only cpu and server targets.
    static func cpuRun(_ cases: [CaseResult]) -> RunRecord {
        var run = RunFixtures.run(cases, suites: ["smoke", "system"])
        run.target.value.kind = .cpu
        return run
    }

    func cpuServer() throws -> CertificationProfile {
        let url = Repository.root.appendingPathComponent("Profiles/cpu-server.yaml")
        return try CertificationProfile.parse(
            text: String(contentsOf: url, encoding: .utf8),
            file: "Profiles/cpu-server.yaml"
        )
    }

    @Test func theSystemSuiteOnACPUServerMeetsTheFivePercentLimitWithTheReasonShown() throws {
        let smoke = (0..<20).map { RunFixtures.caseResult("smoke/relu/shape\($0)/f32") }
        let run = Self.cpuRun(smoke + Self.systemSuite(marked: true))
        let result = ProfileEvaluation.evaluate(try cpuServer(), run: run, at: RunFixtures.now)
        #expect(result.level == "compatible", "\(result.reasons)")
        #expect(
            result.notes
                == Self.deviceChecks.map {
                    "system/check/\($0)/any: not applicable, left out of the unsupported ratio: backend native-cpu runs on the host"
                }
        )
        // Unmarked (as an older record has them), the two count: 2 of 36 is over 5%.
        let unmarked = ProfileEvaluation.evaluate(
            try cpuServer(),
            run: Self.cpuRun(smoke + Self.systemSuite(marked: false)),
            at: RunFixtures.now
        )
        #expect(unmarked.level == nil)
        #expect(
            unmarked.reasons.filter { $0.requirement == "unsupported_fraction" }.map(\.message) == [
                "5.6% of cases unsupported (2 of 36) > 5% allowed"
            ]
        )
        #expect(unmarked.notes.isEmpty)
    }

    @Test func observedReadingsAreNeitherPassesNorFailures() {
        // npu-basic accepts pass, unsupported, waived; `observed` is not listed, and still does not block.
        let run = RunFixtures.run(
            RunFixtures.goodCases + [Self.system("hugepages", .observed), Self.system("cgroup", .observed)]
        )
        let result = ProfileEvaluation.evaluate(RunFixtures.profile, run: run, at: RunFixtures.now)
        #expect(result.passed && result.reasons.isEmpty, "\(result.reasons)")
        #expect(run.outcomeCounts[.observed] == 2 && run.outcomeCounts[.pass] == 4)
    }

    @Test func onlyNotApplicableCasesAreLeftOutOfTheRatio() {
        // goodCases: 1 unsupported of 6. Two not-applicable device checks and one plain unsupported.
        let cases =
            RunFixtures.goodCases + Self.deviceChecks.map { Self.system($0, .unsupported, notApplicable: "no device") }
            + [RunFixtures.caseResult("conformance/relu/shape8/f16", .unsupported)]
        let result = ProfileEvaluation.evaluate(RunFixtures.profile, run: RunFixtures.run(cases), at: RunFixtures.now)
        #expect(
            result.reasons.map(\.message) == [
                "28.6% of cases unsupported (2 of 7; 2 not-applicable cases left out) > 25% allowed"
            ]
        )
        #expect(result.reasons.first?.observed == "2/7 (28.6%)")
    }
}
