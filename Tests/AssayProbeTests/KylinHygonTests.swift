import AssayCore
import Testing

@testable import AssayProbe

/// Kylin V10 SP3 on Hygon C86 (x86_64), probed inside a Docker container on cgroup v1:
/// no `uname`, no `ldd`, kernel config only through `/proc/config.gz`.
@Suite struct KylinHygonTests {
    let facts = FixtureLoader.facts("kylin-hygon")

    @Test func operatingSystem() {
        #expect(
            facts.os
                == SystemFacts.OperatingSystem(
                    id: "kylin",
                    versionID: "V10",
                    version: "V10 (Lance)",
                    prettyName: "Kylin Linux Advanced Server V10 (Lance)",
                    idLike: nil
                )
        )
    }

    @Test func kernelConfigComesFromProcConfigGz() throws {
        let kernel = try #require(facts.kernel)
        #expect(kernel.release == "4.19.90-52.22.v2207.ky10.x86_64")
        #expect(kernel.configSource == "/proc/config.gz")
        #expect(
            kernel.config == [
                "CONFIG_HUGETLBFS": "y", "CONFIG_TRANSPARENT_HUGEPAGE": "y", "CONFIG_NUMA": "y",
                "CONFIG_VFIO": "m", "CONFIG_VFIO_PCI": "m", "CONFIG_IOMMU_SUPPORT": "y",
            ]
        )
        #expect(kernel.tainted == 0)
        #expect(kernel.taintFlags == [])
    }

    @Test func cpuFromX86CPUInfoWithoutUname() throws {
        let cpu = try #require(facts.cpu)
        #expect(cpu.architecture == "x86_64")
        #expect(cpu.vendor == "Hygon")
        #expect(cpu.vendorID == "HygonGenuine")
        #expect(cpu.modelName == "Hygon C86 7285 32-core Processor")
        #expect(cpu.part == nil)
        #expect(cpu.logicalCores == 8)
        #expect(cpu.physicalCores == 4)
        #expect(cpu.sockets == 1)
        #expect(cpu.features == ["avx2"])
        #expect(cpu.currentMHz == 2000)
        #expect(cpu.maxMHz == nil)
    }

    @Test func memoryAndOneNUMANode() {
        #expect(
            facts.memory
                == SystemFacts.Memory(
                    totalKiB: 32_630_124,
                    availableKiB: 27_744_256,
                    hugePagesTotal: 0,
                    hugePagesFree: 0,
                    hugePageSizeKiB: 2048,
                    transparentHugePages: "always"
                )
        )
        #expect(facts.numaNodes == [SystemFacts.NUMANode(id: 0, cpuList: "0-7", cpuCount: 8, memTotalKiB: 32_630_124)])
    }

    @Test func pciDecodesClassesAndSkipsHygonBridges() {
        #expect(
            facts.pciDevices == [
                SystemFacts.PCIDevice(
                    address: "0000:02:00.0",
                    vendorID: "1a03",
                    deviceID: "2000",
                    vendorName: "ASPEED",
                    deviceName: "ASPEED Graphics Family",
                    classCode: "030000",
                    className: "VGA compatible controller",
                    driver: "ast",
                    numaNode: 0
                ),
                SystemFacts.PCIDevice(
                    address: "0000:03:00.0",
                    vendorID: "8086",
                    deviceID: "1521",
                    vendorName: "Intel",
                    classCode: "020000",
                    className: "Ethernet controller",
                    driver: "igb",
                    currentLinkSpeed: "5.0 GT/s PCIe",
                    currentLinkWidth: 4,
                    maxLinkSpeed: "5.0 GT/s PCIe",
                    maxLinkWidth: 4,
                    numaNode: 0
                ),
                SystemFacts.PCIDevice(
                    address: "0000:04:00.0",
                    vendorID: "144d",
                    deviceID: "a80a",
                    vendorName: "Samsung",
                    classCode: "010802",
                    className: "Non-Volatile memory controller (NVMe)",
                    driver: "nvme",
                    currentLinkSpeed: "16.0 GT/s PCIe",
                    currentLinkWidth: 4,
                    maxLinkSpeed: "16.0 GT/s PCIe",
                    maxLinkWidth: 4,
                    numaNode: 0
                ),
            ]
        )
    }

    @Test func modulesAndNoAcceleratorNodes() {
        #expect(
            facts.kernelModules == [
                "ast", "br_netfilter", "drm", "drm_kms_helper", "igb", "nvme", "nvme_core", "overlay",
            ]
        )
        #expect(facts.deviceNodes == [])
    }

    @Test func containerCgroupV1AndSELinuxFromGetenforce() {
        #expect(facts.cgroupVersion == 1)
        #expect(facts.selinux == "disabled")
        #expect(facts.container?.inContainer == true)
        #expect(facts.container?.hints == ["/.dockerenv", "/proc/1/cgroup: docker"])
        #expect(facts.container?.runtimes.allSatisfy { !$0.present } == true)
    }

    @Test func glibcFromGetconf() {
        #expect(facts.glibcVersion == "2.28")
        #expect(facts.tool("python3")?.version == "3.7.9")
        #expect(facts.tool("gcc")?.version == "7.3.0")
        #expect(facts.tool("clang") == SystemFacts.Tool(name: "clang", present: false))
    }

    @Test func noAcceleratorTools() {
        #expect(facts.acceleratorTools?.count == AcceleratorToolSpec.all.count)
        #expect(facts.acceleratorTools?.allSatisfy { !$0.present && $0.devices.isEmpty && $0.rawHead == nil } == true)
    }
}
