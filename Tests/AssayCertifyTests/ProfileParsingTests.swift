import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

struct ProfileParsingTests {
    func parseError(_ text: String) -> InputError? {
        do {
            _ = try CertificationProfile.parse(text: text, file: "Profiles/bad.yaml")
            return nil
        } catch let error as InputError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// The fixture profile with one line replaced.
    func variant(replacing old: String, with new: String) -> String {
        #expect(RunFixtures.profileText.contains(old))
        return RunFixtures.profileText.replacingOccurrences(of: old, with: new)
    }

    @Test func fixtureProfileParses() {
        let profile = RunFixtures.profile
        #expect(profile.id == "npu-basic" && profile.version == "2" && profile.validityDays == 30)
        #expect(profile.requiredSuites == [.init(anyOf: ["conformance"]), .init(anyOf: ["system"], ifPresent: true)])
        #expect(profile.passing == .init(outcomes: [.pass, .unsupported, .waived], waiverCategories: [.knownBug]))
        #expect(profile.maxUnsupportedFraction == 0.25)
        #expect(
            profile.performanceFloors == [
                PerformanceFloor(
                    match: .op("matmul", dtype: "bf16"),
                    metric: .percentOfPeak,
                    min: 0.5,
                    level: "performance"
                ),
                PerformanceFloor(
                    match: .caseID("*/copy/*"),
                    metric: .percentOfRoofline,
                    min: 0.6,
                    level: "performance"
                ),
            ]
        )
        #expect(profile.levels.map(\.id) == ["compatible", "performance"])
        #expect(profile.sha256 == Digest.sha256Hex(RunFixtures.profileText))
    }

    @Test(arguments: ["ai-accelerator", "cpu-server", "os-platform"])
    func shippedProfilesParse(id: String) throws {
        let url = CertificationProfile.locate(id, root: Repository.root)
        #expect(url.path.hasSuffix("Profiles/\(id).yaml"))
        let profile = try CertificationProfile.load(contentsOf: url)
        #expect(profile.id == id)
        #expect(!profile.levels.isEmpty)
    }

    @Test func unknownKeyNamesFileLineAndKey() {
        let error = parseError(variant(replacing: "validity_days: 30", with: "validity_days: 30\nvalidty: 3"))
        #expect(error?.file == "Profiles/bad.yaml")
        #expect(error?.line == 5)
        #expect(error?.message.contains("unknown key 'validty'") == true)
    }

    @Test func unknownOutcomeNamesItsLineAndField() {
        let error = parseError(
            variant(replacing: "outcomes: [pass, unsupported, waived]", with: "outcomes: [pass, fail]")
        )
        #expect(error?.line == 10)
        #expect(error?.field == "passing.outcomes[1]")
        #expect(error?.message.contains("'fail' cannot be a passing outcome") == true)
    }

    @Test func floorNamingAnUnknownLevel() {
        let error = parseError(
            variant(
                replacing: "    level: performance\n  - match: \"*/copy/*\"",
                with: "    level: gold\n  - match: \"*/copy/*\""
            )
        )
        #expect(error?.line == 17)
        #expect(error?.field == "performance_floors[0].level")
        #expect(error?.message.contains("unknown level 'gold'") == true)
    }

    @Test func floorMinimumIsAFraction() {
        let error = parseError(variant(replacing: "min: 0.5", with: "min: 50"))
        #expect(error?.line == 16)
        #expect(error?.field == "performance_floors[0].min")
        #expect(error?.message.contains("fraction") == true)
    }

    @Test func waivedNeedsCategories() {
        let error = parseError(variant(replacing: "  waiver_categories: [known-bug]\n", with: ""))
        #expect(error?.line == 10)
        #expect(error?.message.contains("waiver_categories") == true)
    }

    @Test func unknownWaiverCategory() {
        let error = parseError(variant(replacing: "[known-bug]", with: "[known-bug, vendor-says-so]"))
        #expect(error?.line == 11)
        #expect(error?.message.contains("unknown waiver category 'vendor-says-so'") == true)
    }

    @Test func unknownRequirement() {
        let error = parseError(variant(replacing: "requires: [performance_floors]", with: "requires: [speed]"))
        #expect(error?.line == 26)
        #expect(error?.message.contains("unknown requirement 'speed'") == true)
    }

    @Test func configuredButNeverRequired() {
        let error = parseError(
            variant(
                replacing: "requires: [suites, outcomes, unsupported_fraction]",
                with: "requires: [suites, outcomes]"
            )
        )
        #expect(error?.line == 12)
        #expect(error?.message.contains("no level requires 'unsupported_fraction'") == true)
    }

    @Test func missingRequiredField() {
        let error = parseError(variant(replacing: "version: \"2\"\n", with: ""))
        #expect(error?.field == "version")
        #expect(error?.message.contains("missing required field 'version'") == true)
    }

    @Test func yamlSyntaxErrorHasALine() {
        let error = parseError("id: x\nlevels: [\n")
        #expect(error?.file == "Profiles/bad.yaml")
        #expect(error?.line != nil)
    }

    @Test func missingFileIsAnInputError() {
        #expect(throws: InputError.self) {
            try CertificationProfile.load(contentsOf: URL(fileURLWithPath: "/nonexistent/profile.yaml"))
        }
    }
}
