import AssayCore
import Testing
@testable import AssayProbe

/// System checks compare fixture systems with expectations and report observed against expected.
@Suite struct SystemCheckTests {
    func results(_ fixture: String, _ expectations: SystemExpectations, declared: DeclaredCapabilities = .init(),
                 hostMemory: Bool = false, devices: [BackendIdentity.Device] = []) -> [String: SystemCheckResult] {
        let source = FixtureLoader.source(fixture)
        let context = SystemCheckContext(facts: SystemProbe(source: source).probe(), source: source, expectations: expectations,
                                         declared: declared, hostMemoryDeclared: hostMemory, backendDevices: devices)
        return Dictionary(uniqueKeysWithValues: SystemCheck.all.map { ($0.name, $0.run(context)) })
    }

    @Test func aMatchingNvidiaServerPassesEveryCheck() {
        let expectations = SystemExpectations(osIDs: ["ubuntu"], osVersion: "22.04", minKernel: "5.15", arch: "x86_64",
                                              modules: ["nvidia", "nvidia_uvm"], deviceNodes: ["/dev/nvidia0"], cpuFlags: ["avx2"],
                                              accelerators: 1, minMemoryGiB: 128, hugepages: 1024, cgroup: "v2", minGlibc: "2.35")
        let h100 = BackendIdentity.Device(index: 0, name: "NVIDIA H100 80GB HBM3", kind: "gpu", memoryBytes: 85_520_809_984)
        let all = results("ubuntu-nvidia", expectations, declared: DeclaredCapabilities(memoryGiB: 80, devices: 1), devices: [h100])
        for (name, result) in all { #expect(result.outcome == .pass, "\(name): \(result.expected) vs \(result.observed)") }
        #expect(all["accelerators"]?.observed.contains("NVIDIA") == true)
    }

    @Test func aMissingModuleFailsAndNamesIt() throws {
        let result = try #require(results("ubuntu-nvidia", SystemExpectations(modules: ["nvidia", "amdgpu"]))["kernel_modules"])
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
        let result = try #require(results("kylin-hygon", SystemExpectations(), declared: DeclaredCapabilities(memoryGiB: 4096), hostMemory: true)["memory"])
        #expect(result.outcome == .fail)
        #expect(result.expected == "declared 4096.0 GiB")
    }

    @Test func anotherOSFails() throws {
        let all = results("openeuler-kunpeng", SystemExpectations(osIDs: ["kylin"], arch: "x86_64", cgroup: "v2"))
        #expect(all["os_id"]?.outcome == .fail && all["os_id"]?.observed == "openEuler")
        #expect(all["arch"]?.outcome == .fail && all["arch"]?.observed == "aarch64")
        #expect(all["cgroup"]?.outcome == .fail && all["cgroup"]?.observed == "v1")
    }

    @Test func undeclaredChecksPassAndRecordTheProbe() throws {
        let result = try #require(results("openeuler-kunpeng", SystemExpectations())["kernel"])
        #expect(result.outcome == .pass && result.expected == "(not declared)")
        #expect(!result.observed.isEmpty && result.observed != "unknown")
    }

    @Test func accelerationDeviceMemoryBelowDeclaredFails() throws {
        let small = BackendIdentity.Device(index: 0, name: "GPU", memoryBytes: 40 * 1_073_741_824)
        let result = try #require(results("ubuntu-nvidia", SystemExpectations(), declared: DeclaredCapabilities(memoryGiB: 80, devices: 1), devices: [small])["backend_devices"])
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
