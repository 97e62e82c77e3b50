import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// The shipped ai-accelerator profile's `models` and `server` levels: the model suites run
/// completely with every case passed lift a run above `performance`; a multi-device target
/// (more than one rank) reaches `server` only with the collectives and server suites run
/// completely and every case run; a single-device target skips it and is judged as before.
struct ServerLevelTests {
    static let profile = try! CertificationProfile.load(
        contentsOf: Repository.root.appendingPathComponent("Profiles/ai-accelerator.yaml")
    )

    /// Cases meeting compatible, performance and (with `models`) the models level, plus `extra`;
    /// `ranks` set in the record's backend.
    func run(ranks: Int?, extra: [CaseResult] = [], suites: [String] = [], models: Bool = true) -> RunRecord {
        var cases = [
            RunFixtures.caseResult("conformance/matmul/m64.n48.k32/bf16"),
            RunFixtures.performance("performance/matmul/m4096.n4096.k4096/bf16", peak: 61.5, roofline: 61.5),
            RunFixtures.performance("performance/matmul/m4096.n4096.k4096/f16", peak: 60, roofline: 60),
            RunFixtures.performance("performance/copy/shape16777216/f32", peak: nil, roofline: 80),
        ]
        // Enough passing cases that one unsupported stays within the 10% compatible allows.
        cases += (1...10).map { RunFixtures.caseResult("conformance/relu/shape\($0)/f32") } + extra
        if models { cases += Self.modelCases }
        let modelSuites = models ? ["models", "model-performance"] : []
        var record = RunFixtures.run(cases, suites: ["conformance", "performance"] + modelSuites + suites)
        record.backend.ranks = ranks
        return record
    }

    static let serverCases = [
        RunFixtures.caseResult("collectives/all_reduce/1048576B/f32", kind: .collective),
        RunFixtures.caseResult("server/p2p_copy/67108864B/bf16", kind: .collective),
        RunFixtures.caseResult("server/check/sustained_load/any", kind: .system),
    ]

    static let modelCases = [
        RunFixtures.caseResult("models/qwen2-0.5b-decoder-layer/seq=8/f32", kind: .model),
        RunFixtures.performance("model-performance/qwen2-0.5b-decode-step/ctx=512/f32", peak: 3, roofline: 40),
    ]

    @Test func withoutTheModelSuitesARunStopsAtPerformanceNamingThem() {
        let result = ProfileEvaluation.evaluate(Self.profile, run: run(ranks: nil, models: false), at: RunFixtures.now)
        #expect(result.passed && result.level == "performance")
        #expect(
            result.reasons.map(\.message) == [
                "required suite 'models' missing from the run",
                "required suite 'model-performance' missing from the run",
            ]
        )
        #expect(result.reasons.allSatisfy { $0.level == "models" })
        var failing = Self.modelCases
        failing[0].outcome = .fail
        failing[0].message = "max rel error 2e-2 > 1e-4; first divergent node: q_rot"
        let failed = ProfileEvaluation.evaluate(
            Self.profile,
            run: run(ranks: nil, extra: failing, suites: ["models", "model-performance"], models: false),
            at: RunFixtures.now
        )
        #expect(failed.level != "models" && failed.reasons.contains { $0.caseID == failing[0].id.description })
    }

    @Test func aMultiDeviceTargetWithTheServerSuitesReachesTheServerLevel() {
        let result = ProfileEvaluation.evaluate(
            Self.profile,
            run: run(ranks: 2, extra: Self.serverCases, suites: ["collectives", "server"]),
            at: RunFixtures.now
        )
        #expect(result.level == "server" && result.reasons.isEmpty, "\(result.reasons)")
    }

    @Test func aMultiDeviceTargetWithoutThemStopsAtPerformanceNamingTheSuites() {
        let result = ProfileEvaluation.evaluate(Self.profile, run: run(ranks: 8), at: RunFixtures.now)
        #expect(result.passed && result.level == "models")
        #expect(
            result.reasons.map(\.message) == [
                "required suite 'collectives' missing from the run", "required suite 'server' missing from the run",
            ]
        )
        #expect(result.reasons.allSatisfy { $0.level == "server" })
    }

    @Test func anUnsupportedCollectiveOrAnUnfinishedSuiteMissesTheServerLevel() {
        var unsupported = Self.serverCases
        unsupported[0].outcome = .unsupported
        unsupported[0].message = "backend x did not agree the 'collective' feature in its hello (ABP 1.1)"
        let result = ProfileEvaluation.evaluate(
            Self.profile,
            run: run(ranks: 2, extra: unsupported, suites: ["collectives", "server"]),
            at: RunFixtures.now
        )
        #expect(result.level == "models")
        #expect(
            result.reasons.map(\.caseID) == ["collectives/all_reduce/1048576B/f32"]
                && result.reasons[0].level == "server"
        )

        var record = run(ranks: 2, extra: Self.serverCases, suites: ["collectives", "server"])
        record.plannedCases.append(try! CaseID(parsing: "server/all_reduce/8B/bf16"))
        let unfinished = ProfileEvaluation.evaluate(Self.profile, run: record, at: RunFixtures.now)
        #expect(
            unfinished.level == "models"
                && unfinished.reasons.map(\.message) == [
                    "required suite 'server' incomplete: 1 of 3 planned cases have no result"
                ]
        )
    }

    /// One process (no ranks, or ranks: 1): the server level does not apply; the level and the
    /// reasons are those the profile gave before it had one.
    @Test(arguments: [nil, 1] as [Int?])
    func aSingleDeviceTargetIsJudgedAsBefore(ranks: Int?) {
        let result = ProfileEvaluation.evaluate(Self.profile, run: run(ranks: ranks), at: RunFixtures.now)
        #expect(result.level == "models" && result.reasons.isEmpty, "\(result.reasons)")
        #expect(result.notes.contains { $0.hasPrefix("level server: applies to multi-device targets only") })
        var below = run(ranks: ranks)
        below.cases[1] = RunFixtures.performance("performance/matmul/m4096.n4096.k4096/bf16", peak: 30, roofline: 30)
        #expect(ProfileEvaluation.evaluate(Self.profile, run: below, at: RunFixtures.now).level == "compatible")
    }

    @Test func levelSettingsAreCheckedWithTheirLine() {
        func error(_ levels: String) -> String {
            let text = "id: p\nversion: \"1\"\nvalidity_days: 1\npassing: {outcomes: [pass]}\nlevels:\n" + levels
            do {
                _ = try CertificationProfile.parse(text: text, file: "p.yaml")
                return ""
            } catch { return "\(error)" }
        }
        #expect(
            error("  - {id: a, suites: [x], applies_to: multi_device}\n").contains(
                "the first level applies to every target"
            )
        )
        #expect(
            error("  - {id: a, suites: [x]}\n  - {id: b, suites: [y], applies_to: some}\n").contains(
                "applies_to is 'any' or 'multi_device', not 'some'"
            )
        )
        #expect(error("  - {id: a, suites: [x]}\n  - {id: b}\n").contains("level 'b' needs 'requires' or 'suites'"))
        #expect(error("  - {id: a, suites: [x]}\n  - {id: b, suites: [y], applies_to: multi_device}\n") == "")
    }
}
