import AssayCore
import Foundation
import Testing

@testable import AssayProbe

/// Ubuntu 22.04 on a Sapphire Rapids Xeon with an NVIDIA H100 SXM, cgroup v2, huge pages.
@Suite struct UbuntuNvidiaTests {
    let facts = FixtureLoader.facts("ubuntu-nvidia")

    @Test func operatingSystem() {
        #expect(facts.hostname == "gpu-h100-07")
        #expect(
            facts.os
                == SystemFacts.OperatingSystem(
                    id: "ubuntu",
                    versionID: "22.04",
                    version: "22.04.4 LTS (Jammy Jellyfish)",
                    prettyName: "Ubuntu 22.04.4 LTS",
                    idLike: ["debian"]
                )
        )
    }

    @Test func kernel() throws {
        let kernel = try #require(facts.kernel)
        #expect(kernel.release == "5.15.0-105-generic")
        #expect(kernel.version == "#115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024")
        #expect(kernel.configSource == "/boot/config-5.15.0-105-generic")
        #expect(kernel.config?["CONFIG_PCI_P2PDMA"] == "y")
        #expect(kernel.config?.count == SystemProbe.kernelConfigKeys.count)
        #expect(kernel.tainted == 4097)
        #expect(
            kernel.taintFlags == [
                SystemFacts.TaintFlag(bit: 0, letter: "P", name: "proprietary module loaded"),
                SystemFacts.TaintFlag(bit: 12, letter: "O", name: "out-of-tree module loaded"),
            ]
        )
    }

    @Test func cpu() throws {
        let cpu = try #require(facts.cpu)
        #expect(cpu.architecture == "x86_64")
        #expect(cpu.vendor == "Intel")
        #expect(cpu.vendorID == "GenuineIntel")
        #expect(cpu.modelName == "Intel(R) Xeon(R) Platinum 8480+")
        #expect(cpu.logicalCores == 8)
        #expect(cpu.physicalCores == 4)
        #expect(cpu.sockets == 1)
        #expect(cpu.features == ["avx2", "avx512f", "avx512_bf16", "avx512_fp16", "amx"])
        #expect(cpu.flags?.contains("amx_tile") == true)
        #expect(cpu.currentMHz == 2000)
        #expect(cpu.maxMHz == 3800)
    }

    @Test func memoryWithHugePages() {
        #expect(
            facts.memory
                == SystemFacts.Memory(
                    totalKiB: 246_603_272,
                    availableKiB: 236_945_408,
                    hugePagesTotal: 1024,
                    hugePagesFree: 1000,
                    hugePageSizeKiB: 2048,
                    transparentHugePages: "madvise"
                )
        )
        #expect(facts.numaNodes == [SystemFacts.NUMANode(id: 0, cpuList: "0-7", cpuCount: 8, memTotalKiB: 246_603_272)])
    }

    @Test func pciFindsTheH100AtGen5x16() {
        #expect(
            facts.pciDevices == [
                SystemFacts.PCIDevice(
                    address: "0000:18:00.0",
                    vendorID: "10de",
                    deviceID: "2330",
                    vendorName: "NVIDIA",
                    deviceName: "H100 SXM5 80GB",
                    classCode: "030200",
                    className: "3D controller",
                    driver: "nvidia",
                    currentLinkSpeed: "32.0 GT/s PCIe",
                    currentLinkWidth: 16,
                    maxLinkSpeed: "32.0 GT/s PCIe",
                    maxLinkWidth: 16,
                    numaNode: 0
                ),
                SystemFacts.PCIDevice(
                    address: "0000:29:00.0",
                    vendorID: "15b3",
                    deviceID: "1021",
                    vendorName: "Mellanox",
                    classCode: "020700",
                    className: "Infiniband controller",
                    driver: "mlx5_core",
                    currentLinkSpeed: "32.0 GT/s PCIe",
                    currentLinkWidth: 16,
                    maxLinkSpeed: "32.0 GT/s PCIe",
                    maxLinkWidth: 16,
                    numaNode: 0
                ),
            ]
        )
    }

    @Test func modulesAndDeviceNodes() {
        #expect(
            facts.kernelModules == [
                "drm", "drm_kms_helper", "ib_core", "mlx5_core", "mlx5_ib", "nvidia", "nvidia_drm",
                "nvidia_modeset", "nvidia_uvm",
            ]
        )
        #expect(
            facts.deviceNodes == [
                "/dev/dri/card0", "/dev/dri/renderD128", "/dev/nvidia-caps", "/dev/nvidia-uvm",
                "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidiactl",
            ]
        )
    }

    @Test func platform() {
        #expect(facts.cgroupVersion == 2)
        #expect(facts.selinux == nil)
        #expect(
            facts.container
                == SystemFacts.Container(
                    inContainer: false,
                    hints: [],
                    runtimes: [
                        SystemFacts.Tool(name: "docker", present: true, version: "24.0.7"),
                        SystemFacts.Tool(name: "podman", present: false),
                        SystemFacts.Tool(name: "containerd", present: true, version: "1.6.28"),
                        SystemFacts.Tool(name: "isula", present: false),
                    ]
                )
        )
    }

    @Test func toolchain() {
        #expect(facts.glibcVersion == "2.35")
        #expect(
            facts.toolchain == [
                SystemFacts.Tool(name: "python3", present: true, version: "3.10.12"),
                SystemFacts.Tool(name: "gcc", present: true, version: "11.4.0"),
                SystemFacts.Tool(name: "clang", present: false),
            ]
        )
    }

    @Test func nvidiaSMIParsedFully() {
        #expect(
            facts.acceleratorTool("nvidia-smi")
                == SystemFacts.AcceleratorTool(
                    name: "nvidia-smi",
                    present: true,
                    version: "535.161.08",
                    devices: [
                        SystemFacts.AcceleratorDevice(
                            index: 0,
                            name: "NVIDIA H100 80GB HBM3",
                            memoryMiB: 81559,
                            driverVersion: "535.161.08",
                            pciBusID: "00000000:18:00.0"
                        )
                    ]
                )
        )
        #expect(facts.acceleratorTool("npu-smi")?.present == false)
    }

    @Test func factsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(facts)
        #expect(try JSONDecoder().decode(SystemFacts.self, from: data) == facts)
    }
}
