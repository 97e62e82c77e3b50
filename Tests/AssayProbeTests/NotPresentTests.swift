import AssayCore
import Testing

@testable import AssayProbe

/// Missing files and absent tools are answers, not errors.
@Suite struct NotPresentTests {
    @Test func anEmptySystemProbesToUnknownsAndAbsentTools() {
        let facts = SystemProbe(source: EmptyProbeSource()).probe()
        #expect(facts.os == nil)
        #expect(facts.kernel == nil)
        #expect(facts.cpu == nil)
        #expect(facts.memory == nil)
        #expect(facts.numaNodes == nil)
        #expect(facts.pciDevices == nil)
        #expect(facts.kernelModules == nil)
        #expect(facts.deviceNodes == nil)
        #expect(facts.cgroupVersion == nil)
        #expect(facts.selinux == nil)
        #expect(facts.glibcVersion == nil)
        #expect(
            facts.container
                == SystemFacts.Container(
                    inContainer: false,
                    hints: [],
                    runtimes: SystemProbe.containerRuntimes.map { SystemFacts.Tool(name: $0, present: false) }
                )
        )
        #expect(facts.toolchain == SystemProbe.toolchainTools.map { SystemFacts.Tool(name: $0, present: false) })
        #expect(
            facts.acceleratorTools
                == AcceleratorToolSpec.all.map {
                    SystemFacts.AcceleratorTool(name: $0.name, present: false)
                }
        )
        #expect(facts.tool("gcc")?.status == "not present")
    }

    @Test func aFailingVendorToolIsPresentWithItsErrorKept() throws {
        let source = OverridingProbeSource(
            base: FixtureLoader.source("ubuntu-nvidia"),
            tools: [
                "nvidia-smi": CommandOutput(
                    exitCode: 9,
                    stdout: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                        + "Make sure that the latest NVIDIA driver is installed and running.\n\n"
                )
            ]
        )
        let facts = SystemProbe(source: source).probe()
        let tool = try #require(facts.acceleratorTool("nvidia-smi"))
        #expect(tool.present)
        #expect(tool.devices.isEmpty)
        #expect(tool.version == nil)
        #expect(tool.rawHead?.first?.hasPrefix("NVIDIA-SMI has failed") == true)
        // The rest of the probe is untouched.
        #expect(facts.cpu?.modelName == "Intel(R) Xeon(R) Platinum 8480+")
        #expect(facts.pciDevices?.count == 2)
    }

    @Test func aHungToolIsPresentAndMarkedTimedOut() throws {
        let source = OverridingProbeSource(
            base: EmptyProbeSource(),
            tools: [
                "npu-smi": CommandOutput(exitCode: -1, stdout: "", timedOut: true),
                "gcc": CommandOutput(exitCode: -1, stdout: "gcc (GCC) 12.1.0", timedOut: true),
            ]
        )
        let facts = SystemProbe(source: source).probe()
        #expect(
            facts.acceleratorTool("npu-smi")
                == SystemFacts.AcceleratorTool(
                    name: "npu-smi",
                    present: true,
                    rawHead: ["timed out"]
                )
        )
        #expect(facts.tool("gcc") == SystemFacts.Tool(name: "gcc", present: true, version: nil))
        #expect(facts.tool("gcc")?.status == "present")
    }

    @Test func malformedFilesDoNotStopOtherProbes() {
        let source = OverridingProbeSource(
            base: FixtureLoader.source("kylin-hygon"),
            files: [
                "/proc/cpuinfo": "\u{0}garbage without colons\n\n:::\n",
                "/proc/meminfo": "MemTotal: lots kB\n",
                "/sys/devices/system/node/node0/cpulist": "7-0,x",
                "/proc/sys/kernel/tainted": "not a number",
                "/etc/os-release": "=\n\"unterminated\n",
            ]
        )
        let facts = SystemProbe(source: source).probe()
        #expect(facts.os == nil)
        #expect(facts.cpu?.modelName == nil)
        #expect(facts.cpu?.logicalCores == 8)  // from /sys/devices/system/cpu/online
        #expect(facts.memory?.totalKiB == nil)
        #expect(facts.memory?.hugePageSizeKiB == nil)
        #expect(facts.numaNodes?.first?.cpuCount == nil)
        #expect(facts.kernel?.tainted == nil)
        #expect(facts.kernel?.release == "4.19.90-52.22.v2207.ky10.x86_64")
        #expect(facts.pciDevices?.count == 3)
        #expect(facts.glibcVersion == "2.28")
    }

    @Test func fixtureSourceRefusesToLeaveItsTree() {
        let source = FixtureLoader.source("ubuntu-nvidia")
        #expect(source.readFile("/../../../../etc/passwd") == nil)
        #expect(source.listDirectory("/proc/../..") == nil)
        #expect(source.fileExists("/etc/os-release"))
        #expect(!source.fileExists("/etc/shadow"))
        #expect(source.readLink("/sys/bus/pci/devices/0000:18:00.0/driver")?.hasSuffix("/drivers/nvidia") == true)
    }

    @Test func extraCommandsOverrideTheFixtureFolder() {
        let source = FixtureLoader.source("ubuntu-nvidia", extraCommands: ["python3": "Python 3.12.1\n"])
        #expect(SystemProbe(source: source).probe().tool("python3")?.version == "3.12.1")
    }

    @Test func fixtureCommandsMatchWholeArgvFirst() {
        let source = FixtureProbeSource(
            root: FixtureLoader.url("ubuntu-nvidia").appendingPathComponent("root"),
            commands: ["uname -r": "6.8.0\n", "uname": "x86_64\n"]
        )
        #expect(source.run(["uname", "-r"])?.stdout == "6.8.0\n")
        #expect(source.run(["uname", "-m"])?.stdout == "x86_64\n")
        #expect(source.run(["nvidia-smi"]) == nil)
    }
}
