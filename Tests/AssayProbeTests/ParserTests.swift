import AssayCore
import Testing

@testable import AssayProbe

@Suite struct ParserTests {
    @Test func osReleaseQuotingFollowsOsRelease5() {
        let fields = KeyValueText.shellAssignments(
            """
            # comment
            NAME="Some \\"Quoted\\" OS"
            ID=plain
            VERSION='1.0 (single)'
            EMPTY=
            BROKEN
            """
        )
        #expect(fields == ["NAME": "Some \"Quoted\" OS", "ID": "plain", "VERSION": "1.0 (single)", "EMPTY": ""])
    }

    @Test func colonRecordsSplitOnBlankLinesAndLowerCaseKeys() {
        let records = KeyValueText.colonRecords(
            "processor\t: 0\nModel Name\t\t: X\n\nprocessor : 1\nCPU architecture: 8\n"
        )
        #expect(records == [["processor": "0", "model name": "X"], ["processor": "1", "cpu architecture": "8"]])
    }

    @Test func meminfoDropsNodePrefixAndUnits() {
        #expect(
            KeyValueText.meminfo("Node 1 MemTotal:  42 kB\nHugePages_Total:   3\nBad: x\n")
                == ["MemTotal": 42, "HugePages_Total": 3]
        )
    }

    @Test func cpuLists() {
        #expect(CPUList.parse("0-3,8,10-11") == [0, 1, 2, 3, 8, 10, 11])
        #expect(CPUList.parse("") == [])
        #expect(CPUList.parse("3-1") == nil)
        #expect(CPUList.parse("a") == nil)
    }

    @Test(arguments: [
        ("gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0\nCopyright", "11.4.0"),
        ("Ubuntu clang version 14.0.0-1ubuntu1.1\nTarget: x86_64", "14.0.0"),
        ("ldd (Ubuntu GLIBC 2.35-0ubuntu3.7) 2.35", "2.35"),
        ("Python 3.10.12", "3.10.12"),
        ("Docker version 24.0.7, build afdd53b", "24.0.7"),
        ("containerd github.com/containerd/containerd v1.7.2 0cae528dd6cb", "1.7.2"),
        ("podman version 4.9.3", "4.9.3"),
        ("\n\nglibc 2.28", "2.28"),
    ])
    func versions(text: String, expected: String) {
        #expect(VersionText.firstLineVersion(text) == expected)
    }

    @Test func noVersionInText() {
        #expect(VersionText.firstLineVersion("usage: tool [options]") == nil)
        #expect(VersionText.firstLineVersion("") == nil)
        #expect(
            VersionText.labelled("Driver Version", in: "| Driver Version: 535.161.08   CUDA Version: 12.2 |")
                == "535.161.08"
        )
    }

    @Test func taintDecodingKeepsUnknownBits() {
        let flags = KernelTaint.decode(1 << 9 | 1 << 40)
        #expect(flags.map(\.letter) == ["W", "?"])
        #expect(flags.last?.bit == 40)
        #expect(KernelTaint.decode(0).isEmpty)
    }

    @Test func pciClassesAndAcceleratorRules() {
        #expect(PCIIDs.className("030200") == "3D controller")
        #expect(PCIIDs.className("010802") == "Non-Volatile memory controller (NVMe)")
        #expect(PCIIDs.className("010801") == "Non-Volatile memory controller")
        #expect(PCIIDs.className("0c0330") == "Serial bus controller")
        #expect(PCIIDs.className("zz") == nil)
        // Data-centre GPUs and NPUs count; a BMC's VGA and accelerator vendors' bridges do not.
        #expect(PCIIDs.isAccelerator(vendorID: "10de", classCode: "030200"))
        #expect(PCIIDs.isAccelerator(vendorID: "19e5", classCode: "120000"))
        #expect(PCIIDs.isAccelerator(vendorID: "1d94", classCode: "038000"))
        #expect(PCIIDs.isAccelerator(vendorID: "1ed5", classCode: "030000"))
        #expect(PCIIDs.isAccelerator(vendorID: "cabc", classCode: "ff0000"))
        #expect(!PCIIDs.isAccelerator(vendorID: "1a03", classCode: "030000"))
        #expect(!PCIIDs.isAccelerator(vendorID: "19e5", classCode: "020000"))
        #expect(!PCIIDs.isOfInterest(vendorID: "1d94", classCode: "060400"))
        #expect(!PCIIDs.isOfInterest(vendorID: "19e5", classCode: "0c0330"))
        #expect(PCIIDs.isOfInterest(vendorID: "cabc", classCode: "000000"))
    }

    @Test func nvidiaSMIWithSeveralGPUsAndMissingValues() {
        let devices = NvidiaSMI.parse(
            """
            NVIDIA A100-SXM4-80GB, 81920, 550.54.15, 00000000:07:00.0
            NVIDIA A100-SXM4-80GB, [N/A], 550.54.15, 00000000:0F:00.0
            garbage line
            """
        )
        #expect(
            devices == [
                SystemFacts.AcceleratorDevice(
                    index: 0,
                    name: "NVIDIA A100-SXM4-80GB",
                    memoryMiB: 81920,
                    driverVersion: "550.54.15",
                    pciBusID: "00000000:07:00.0"
                ),
                SystemFacts.AcceleratorDevice(
                    index: 1,
                    name: "NVIDIA A100-SXM4-80GB",
                    memoryMiB: nil,
                    driverVersion: "550.54.15",
                    pciBusID: "00000000:0F:00.0"
                ),
            ]
        )
    }

    @Test func loongArchCPUInfo() throws {
        let cpuinfo = """
            system type\t\t: generic-loongson-machine

            processor\t\t: 0
            package\t\t\t: 0
            core\t\t\t: 0
            CPU Family\t\t: Loongson-64bit
            Model Name\t\t: Loongson-3A5000
            CPU MHz\t\t\t: 2500.00
            ISA\t\t\t: loongarch32r loongarch32s loongarch64
            Features\t\t: cpucfg lam ual fpu lsx lasx crc32 complex crypto lvz

            """
        let source = OverridingProbeSource(base: EmptyProbeSource(), files: ["/proc/cpuinfo": cpuinfo])
        let cpu = try #require(SystemProbe(source: source).probe().cpu)
        #expect(cpu.architecture == "loongarch64")
        #expect(cpu.vendor == "Loongson")
        #expect(cpu.modelName == "Loongson-3A5000")
        #expect(cpu.logicalCores == 1)
        #expect(cpu.features == ["lsx", "lasx"])
        #expect(cpu.currentMHz == 2500)
    }

    @Test func phytiumImplementer() throws {
        let cpuinfo = """
            processor\t: 0
            Features\t: fp asimd evtstrm crc32
            CPU implementer\t: 0x70
            CPU architecture: 8
            CPU part\t: 0x663

            """
        let source = OverridingProbeSource(base: EmptyProbeSource(), files: ["/proc/cpuinfo": cpuinfo])
        let cpu = try #require(SystemProbe(source: source).probe().cpu)
        #expect(cpu.architecture == "aarch64")
        #expect(cpu.vendor == "Phytium")
        #expect(cpu.modelName == "FTC663")
        #expect(cpu.part == "0x663")
        #expect(cpu.features == ["neon"])
    }

    @Test func zhaoxinReportsAsCentaurOrShanghai() {
        #expect(CPUIdentity.x86Vendor(vendorID: "  Shanghai  ", modelName: "ZHAOXIN KaiXian KX-U6780A") == "Zhaoxin")
        #expect(CPUIdentity.x86Vendor(vendorID: "CentaurHauls", modelName: "ZHAOXIN KaiXian ZX-C+") == "Zhaoxin")
        #expect(CPUIdentity.x86Vendor(vendorID: "CentaurHauls", modelName: "VIA Nano") == "Centaur")
    }

    @Test func canonicalJSONEscapesAndOrder() {
        let value = CanonicalJSON.object([
            "b": .string("tab\tquote\"slash\\nul\u{0}é"), "a": .array([.int(-1), .bool(true)]), "z": nil,
        ])
        #expect(value.text == #"{"a":[-1,true],"b":"tab\tquote\"slash\\nul\u0000é"}"#)
    }

    @Test func yamlScalarsQuoteWhatYAMLWouldMisread() {
        #expect(YAMLScalar.string("ubuntu") == "ubuntu")
        #expect(YAMLScalar.string("/dev/nvidia0") == "/dev/nvidia0")
        #expect(YAMLScalar.string("22.04") == "\"22.04\"")
        #expect(YAMLScalar.string("yes") == "\"yes\"")
        #expect(YAMLScalar.string("Off") == "\"Off\"")
        #expect(YAMLScalar.string("a: b") == "\"a: b\"")
        #expect(YAMLScalar.string("x # y") == "\"x # y\"")
        #expect(YAMLScalar.string("") == "\"\"")
        #expect(YAMLScalar.string("say \"hi\"\n") == #""say \"hi\"\n""#)
        #expect(YAMLScalar.number(79.647) == "79.6")
        #expect(YAMLScalar.number(80.0) == "80")
    }

    @Test func nvidiaSMIIsAskedTheDocumentedQuery() {
        #expect(
            AcceleratorToolSpec.all.first?.argv == [
                "nvidia-smi", "--query-gpu=name,memory.total,driver_version,pci.bus_id",
                "--format=csv,noheader,nounits",
            ]
        )
        #expect(
            AcceleratorToolSpec.all.map(\.name)
                == ["nvidia-smi", "npu-smi", "cnmon", "xpu-smi", "mthreads-gmi", "hy-smi", "rocm-smi"]
        )
    }

    @Test func bracketedSysfsChoice() {
        #expect(SystemProbe.bracketedChoice("always [madvise] never") == "madvise")
        #expect(SystemProbe.bracketedChoice("no brackets") == nil)
    }
}
