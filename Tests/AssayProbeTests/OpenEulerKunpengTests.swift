import AssayCore
import Testing

@testable import AssayProbe

/// openEuler 22.03 LTS SP3 on Kunpeng 920 (aarch64) with an Ascend 910B, bare metal.
@Suite struct OpenEulerKunpengTests {
    let facts = FixtureLoader.facts("openeuler-kunpeng")

    @Test func operatingSystem() {
        #expect(facts.hostname == "kp-npu-01")
        #expect(
            facts.os
                == SystemFacts.OperatingSystem(
                    id: "openEuler",
                    versionID: "22.03",
                    version: "22.03 (LTS-SP3)",
                    prettyName: "openEuler 22.03 (LTS-SP3)",
                    idLike: nil
                )
        )
    }

    @Test func kernel() throws {
        let kernel = try #require(facts.kernel)
        #expect(kernel.release == "5.10.0-182.0.0.95.oe2203sp3.aarch64")
        #expect(kernel.version == "#1 SMP Wed Dec 27 10:26:34 CST 2023")
        #expect(kernel.configSource == "/boot/config-5.10.0-182.0.0.95.oe2203sp3.aarch64")
        #expect(
            kernel.config == [
                "CONFIG_HUGETLBFS": "y", "CONFIG_TRANSPARENT_HUGEPAGE": "y", "CONFIG_NUMA": "y",
                "CONFIG_VFIO": "m", "CONFIG_VFIO_PCI": "m", "CONFIG_IOMMU_SUPPORT": "y", "CONFIG_PCI_P2PDMA": "n",
            ]
        )
        #expect(kernel.tainted == 12289)
        #expect(kernel.taintFlags?.map(\.letter) == ["P", "O", "E"])
    }

    @Test func cpuFromArmCPUInfo() throws {
        let cpu = try #require(facts.cpu)
        #expect(cpu.architecture == "aarch64")
        #expect(cpu.vendor == "HiSilicon")
        #expect(cpu.vendorID == "0x48")
        #expect(cpu.modelName == "Kunpeng 920")
        #expect(cpu.part == "0xd01")
        #expect(cpu.logicalCores == 8)
        #expect(cpu.physicalCores == 8)
        #expect(cpu.sockets == 1)
        #expect(cpu.features == ["neon"])
        #expect(cpu.flags?.count == 19)
        #expect(cpu.flags?.contains("asimddp") == true)
        #expect(cpu.currentMHz == nil)
        #expect(cpu.maxMHz == 2600)
    }

    @Test func memoryAndNUMA() {
        #expect(
            facts.memory
                == SystemFacts.Memory(
                    totalKiB: 130_791_232,
                    availableKiB: 121_634_560,
                    hugePagesTotal: 0,
                    hugePagesFree: 0,
                    hugePageSizeKiB: 2048,
                    transparentHugePages: "always"
                )
        )
        #expect(
            facts.numaNodes == [
                SystemFacts.NUMANode(id: 0, cpuList: "0-3", cpuCount: 4, memTotalKiB: 65_395_616),
                SystemFacts.NUMANode(id: 1, cpuList: "4-7", cpuCount: 4, memTotalKiB: 65_395_616),
            ]
        )
    }

    @Test func pciKeepsTheNPUAndNICButNotTheRootPort() {
        #expect(
            facts.pciDevices == [
                SystemFacts.PCIDevice(
                    address: "0000:01:00.0",
                    vendorID: "19e5",
                    deviceID: "1822",
                    vendorName: "Huawei",
                    classCode: "020000",
                    className: "Ethernet controller",
                    driver: "hinic",
                    currentLinkSpeed: "8.0 GT/s PCIe",
                    currentLinkWidth: 16,
                    maxLinkSpeed: "8.0 GT/s PCIe",
                    maxLinkWidth: 16,
                    numaNode: 0
                ),
                SystemFacts.PCIDevice(
                    address: "0000:c1:00.0",
                    vendorID: "19e5",
                    deviceID: "d802",
                    vendorName: "Huawei",
                    deviceName: "Ascend 910B",
                    classCode: "120000",
                    className: "Processing accelerators",
                    driver: "devdrv_device_driver",
                    currentLinkSpeed: "16.0 GT/s PCIe",
                    currentLinkWidth: 16,
                    maxLinkSpeed: "16.0 GT/s PCIe",
                    maxLinkWidth: 16,
                    numaNode: 1
                ),
            ]
        )
    }

    @Test func modulesAndDeviceNodes() {
        #expect(
            facts.kernelModules == [
                "ascend_xsmem", "drv_davinci_intf_host", "drv_devmm_host", "drv_devmng_host",
                "drv_pcie_hdc_host", "drv_pcie_host", "hinic", "ip_tables",
            ]
        )
        #expect(facts.deviceNodes == ["/dev/davinci0", "/dev/davinci_manager", "/dev/devmm_svm", "/dev/hisi_hdc"])
    }

    @Test func platform() {
        #expect(facts.cgroupVersion == 1)
        #expect(facts.selinux == "enforcing")
        #expect(
            facts.container
                == SystemFacts.Container(
                    inContainer: false,
                    hints: [],
                    runtimes: [
                        SystemFacts.Tool(name: "docker", present: false),
                        SystemFacts.Tool(name: "podman", present: false),
                        SystemFacts.Tool(name: "containerd", present: false),
                        SystemFacts.Tool(name: "isula", present: true, version: "2.1.5"),
                    ]
                )
        )
    }

    @Test func toolchain() {
        #expect(facts.glibcVersion == "2.34")
        #expect(
            facts.toolchain == [
                SystemFacts.Tool(name: "python3", present: true, version: "3.9.9"),
                SystemFacts.Tool(name: "gcc", present: true, version: "10.3.1"),
                SystemFacts.Tool(name: "clang", present: false),
            ]
        )
    }

    @Test func npuSMIIsPresentWithItsFirstLinesKept() throws {
        let npu = try #require(facts.acceleratorTool("npu-smi"))
        #expect(npu.present)
        #expect(npu.version == "23.0.3")
        #expect(npu.devices.isEmpty)
        #expect(npu.rawHead?.count == AcceleratorToolSpec.rawHeadLines)
        #expect(npu.rawHead?[1].hasPrefix("| npu-smi 23.0.3") == true)
        #expect(npu.rawHead?[6].contains("910B3") == true)
        for name in ["nvidia-smi", "cnmon", "xpu-smi", "mthreads-gmi", "hy-smi", "rocm-smi"] {
            #expect(facts.acceleratorTool(name) == SystemFacts.AcceleratorTool(name: name, present: false))
        }
    }
}
