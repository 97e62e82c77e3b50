import AssayCore
import Testing

@testable import AssayProbe

/// `versions_match`: every declared version against what the backend reports and the probes see.
@Suite struct VersionsMatchTests {
    let backend = BackendIdentity(
        name: "numpy-cpu",
        version: "0.1.0",
        transport: .plugin,
        devices: [.init(index: 0, name: "GPU", kind: "gpu", driver: "535.161.08", runtime: "cuda 12.2")],
        timer: "host_monotonic",
        capabilities: [:],
        runtime: ["numpy": "2.4.6", "python": "3.11.9", "torch_npu": "2.1.0.post3"]
    )

    func check(_ descriptorVersions: String) throws -> SystemCheckResult {
        let descriptor = try TargetDescriptor.parse(
            text: "id: t\nkind: cpu\nbackend: {builtin: cpu}\nversions:\n" + descriptorVersions,
            file: "t.yaml"
        )
        let source = FixtureLoader.source("kylin-hygon")
        let context = SystemCheckContext(
            facts: SystemProbe(source: source).probe(),
            source: source,
            expectations: SystemExpectations(),
            declared: DeclaredCapabilities(),
            hostMemoryDeclared: true,
            backendDevices: backend.devices,
            declaredVersions: descriptor.versionRules,
            backend: backend,
            harnessVersion: "0.1.0"
        )
        return try #require(SystemCheck.named("versions_match")).run(context)
    }

    @Test func anOldNumpyDeclaredAgainstTheBackendsFailsAndSaysWhy() throws {
        let result = try check("  numpy: {version: \"1.26\", match: prefix}\n")
        #expect(result.outcome == .fail)
        #expect(result.message == "numpy: declared prefix 1.26, observed 2.4.6 (backend numpy-cpu runtime)")
        #expect(result.expected == "numpy prefix 1.26")
    }

    @Test func prefixExactAndRangeRulesThatHoldPass() throws {
        let result = try check(
            """
              numpy: {version: "2.4", match: prefix}
              harness: "0.1.0"
              driver: {version: ">=535,<560", match: range}
              framework: {version: ">=2.1,<3", match: range, from: torch_npu}
              os: Kylin Linux Advanced Server V10 (Lance)
              kernel: {version: "4.19", match: prefix}
            """ + "\n"
        )
        #expect(result.outcome == .pass, "\(result.message ?? "")")
        #expect(result.observed.contains("framework (from torch_npu) 2.1.0.post3"))
        #expect(result.observed.contains("driver 535.161.08"))
    }

    @Test func aVersionNothingReportsFailsAndListsWhatIsReported() throws {
        let result = try check("  sdk: CANN 8.0\n")
        #expect(result.outcome == .fail)
        #expect(
            result.message?.hasPrefix(
                "sdk: declared exact CANN 8.0, but neither the backend nor the probes report 'sdk'"
            ) == true
        )
        #expect(result.message?.contains("numpy") == true && result.message?.contains("glibc") == true)
    }

    @Test func withNothingDeclaredTheVersionsAreObserved() throws {
        let descriptor = try TargetDescriptor.parse(text: "id: t\nkind: cpu\nbackend: {builtin: cpu}\n", file: "t.yaml")
        #expect(descriptor.versionRules.isEmpty)
        let source = FixtureLoader.source("kylin-hygon")
        let context = SystemCheckContext(
            facts: SystemProbe(source: source).probe(),
            source: source,
            expectations: SystemExpectations(),
            declared: DeclaredCapabilities(),
            hostMemoryDeclared: true,
            backendDevices: [],
            backend: backend
        )
        let result = try #require(SystemCheck.named("versions_match")).run(context)
        #expect(result.outcome == .observed)
        #expect(result.observed.contains("numpy 2.4.6") && result.observed.contains("glibc 2.28"))
    }

    @Test func theBackendWinsOverAProbeForTheSameKey() {
        let facts = SystemFacts(toolchain: [SystemFacts.Tool(name: "python", present: true, version: "3.7.9")])
        let observed = ObservedVersions(facts: facts, backend: backend, harnessVersion: nil)
        #expect(observed["python"]?.version == "3.11.9")
        #expect(observed["python"]?.source == "backend numpy-cpu runtime")
    }
}
