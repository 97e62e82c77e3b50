import AssayCore
import AssayTestSupport
import Testing

@testable import AssayProbe

/// System checks compare fixture systems with expectations and report observed against expected.
@Suite struct SystemCheckTests {
    func results(
        _ fixture: String,
        _ expectations: SystemExpectations,
        declared: DeclaredCapabilities = .init(),
        hostMemory: Bool = false,
        devices: [BackendIdentity.Device] = []
    ) -> [String: SystemCheckResult] {
        let source = FixtureLoader.source(fixture)
        let context = SystemCheckContext(
            facts: SystemProbe(source: source).probe(),
            source: source,
            expectations: expectations,
            declared: declared,
            hostMemoryDeclared: hostMemory,
            backendDevices: devices
        )
        return Dictionary(uniqueKeysWithValues: SystemCheck.all.map { ($0.name, $0.run(context)) })
    }

    @Test func aMatchingNvidiaServerPassesEveryCheck() {
        let expectations = SystemExpectations(
            osIDs: ["ubuntu"],
            osVersion: "22.04",
            minKernel: "5.15",
            arch: "x86_64",
            modules: ["nvidia", "nvidia_uvm"],
            deviceNodes: ["/dev/nvidia0"],
            cpuFlags: ["avx2"],
            accelerators: 1,
            minMemoryGiB: 128,
            hugepages: 1024,
            cgroup: "v2",
            minGlibc: "2.35"
        )
        let h100 = BackendIdentity.Device(
            index: 0,
            name: "NVIDIA H100 80GB HBM3",
            kind: "gpu",
            memoryBytes: 85_520_809_984
        )
        let all = results(
            "ubuntu-nvidia",
            expectations,
            declared: DeclaredCapabilities(memoryGiB: 80, devices: 1),
            devices: [h100]
        )
        // versions_match has its own tests (VersionsMatchTests): nothing is declared for it here.
        for (name, result) in all where name != "versions_match" {
            #expect(result.outcome == .pass, "\(name): \(result.expected) vs \(result.observed)")
        }
        #expect(all["accelerators"]?.observed.contains("NVIDIA") == true)
    }

    @Test func aMissingModuleFailsAndNamesIt() throws {
        let result = try #require(
            results("ubuntu-nvidia", SystemExpectations(modules: ["nvidia", "amdgpu"]))["kernel_modules"]
        )
        #expect(result.outcome == .fail)
        #expect(result.observed == "missing: amdgpu")
        #expect(result.message?.contains("expected nvidia, amdgpu") == true)
    }

    @Test func moreMemoryThanThereIsFails() throws {
        let result = try #require(results("kylin-hygon", SystemExpectations(minMemoryGiB: 4096))["memory"])
        #expect(result.outcome == .fail)
        #expect(result.expected == "≥ 4096.0 GiB")
        #expect(result.observed.hasSuffix("GiB"))
    }

    @Test func declaredHostMemoryThatProbesSmallerIsAFinding() throws {
        let result = try #require(
            results(
                "kylin-hygon",
                SystemExpectations(),
                declared: DeclaredCapabilities(memoryGiB: 4096),
                hostMemory: true
            )["memory"]
        )
        #expect(result.outcome == .fail)
        #expect(result.expected == "declared 4096.0 GiB")
    }

    @Test func anotherOSFails() throws {
        let all = results("openeuler-kunpeng", SystemExpectations(osIDs: ["kylin"], arch: "x86_64", cgroup: "v2"))
        #expect(all["os_id"]?.outcome == .fail && all["os_id"]?.observed == "openEuler")
        #expect(all["arch"]?.outcome == .fail && all["arch"]?.observed == "aarch64")
        #expect(all["cgroup"]?.outcome == .fail && all["cgroup"]?.observed == "v1")
    }

    @Test func undeclaredChecksAreObservedNotPassed() throws {
        let all = results("openeuler-kunpeng", SystemExpectations())
        let result = try #require(all["kernel"])
        #expect(result.outcome == .observed && result.expected == "(not declared)")
        #expect(!result.observed.isEmpty && result.observed != "unknown")
        // Nothing declared at all: not one check may claim a pass.
        #expect(
            all.values.filter { $0.outcome == .pass }.isEmpty,
            "\(all.filter { $0.value.outcome == .pass }.keys.sorted())"
        )
        #expect(all.values.allSatisfy { $0.outcome == .observed })
    }

    /// The Hygon/Kylin run that showed "10 pass" where 6 checked nothing: with the shipped
    /// descriptor, the undeclared checks are `observed` and counted apart from the passes.
    @Test func theHygonKylinDescriptorCountsObservedApartFromPasses() throws {
        let url = Repository.root.appendingPathComponent("Targets/hygon-c86-kylin.yaml")
        let descriptor = try TargetDescriptor.load(contentsOf: url).0
        let source = FixtureLoader.source("kylin-hygon")
        let context = SystemCheckContext(
            facts: SystemProbe(source: source).probe(),
            source: source,
            expectations: try #require(descriptor.expect),
            declared: descriptor.capabilities,
            hostMemoryDeclared: true,
            backendDevices: [BackendIdentity.Device(index: 0, name: "Hygon C86 7285", kind: "cpu")],
            declaredVersions: descriptor.versionRules,
            backend: BackendIdentity(
                name: "native-cpu",
                version: "0.1.0",
                transport: .builtin,
                devices: [],
                timer: "",
                capabilities: [:]
            ),
            harnessVersion: "0.1.0"
        )
        var byOutcome: [Outcome: [String]] = [:]
        for check in SystemCheck.all { byOutcome[check.run(context).outcome, default: []].append(check.name) }
        #expect(
            byOutcome[.observed]?.sorted() == [
                "accelerators", "backend_devices", "cgroup", "device_nodes", "hugepages", "kernel_modules",
            ]
        )
        #expect(
            byOutcome[.pass]?.sorted() == [
                "arch", "cpu_flags", "glibc", "kernel", "os_id", "os_version", "versions_match",
            ]
        )
        // The container in the fixture has 31 GiB against the declared 256 and the expected 128.
        #expect(byOutcome[.fail] == ["memory"])
    }

    @Test func accelerationDeviceMemoryBelowDeclaredFails() throws {
        let small = BackendIdentity.Device(index: 0, name: "GPU", memoryBytes: 40 * 1_073_741_824)
        let result = try #require(
            results(
                "ubuntu-nvidia",
                SystemExpectations(),
                declared: DeclaredCapabilities(memoryGiB: 80, devices: 1),
                devices: [small]
            )["backend_devices"]
        )
        #expect(result.outcome == .fail)
    }

    @Test func versionsCompareNumerically() {
        #expect(VersionOrder.atLeast("5.10.0-60.18.0.50.oe2203.aarch64", "5.10"))
        #expect(VersionOrder.atLeast("6.18.44-fc", "4.18"))
        #expect(!VersionOrder.atLeast("4.9.0", "4.18"))
        #expect(VersionOrder.atLeast("2.35", "2.35"))
        #expect(!VersionOrder.atLeast("unknown", "1"))
    }
}
