import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayProbe

@Suite struct ProbeYAMLTests {
    @Test func ubuntuNvidiaDescriptor() {
        #expect(
            ProbeYAML.render(FixtureLoader.facts("ubuntu-nvidia")) == """
                # Target descriptor drafted by `assay targets probe` from this machine's probes.
                # Review every value: declared capabilities are checked against probes on each run.
                id: nvidia-h100-80gb-hbm3-ubuntu-22-04
                title: NVIDIA H100 80GB HBM3 on Ubuntu 22.04.4 LTS
                kind: accelerator
                vendor: NVIDIA
                model: NVIDIA H100 80GB HBM3
                versions:
                  driver: "535.161.08"
                  gcc: "11.4.0"
                  glibc: "2.35"
                  kernel: "5.15.0-105-generic"
                  nvidia-smi: "535.161.08"
                  os: Ubuntu 22.04.4 LTS
                  python3: "3.10.12"
                backend:
                  command: [python3, Backends/python/torch_backend.py, "--device", cuda]
                  device: cuda
                  timeouts: {handshake_s: 180, request_s: 600}
                capabilities:
                  memory_gib: 79.6
                  devices: 1
                  # host_link_gbs: the host link per direction, e.g. 64 for PCIe Gen5 x16.
                expect:
                  os_id: ubuntu
                  os_version: "22.04"
                  min_kernel: "5.15.0"
                  modules:
                    - drm
                    - nvidia
                    - nvidia_drm
                    - nvidia_modeset
                    - nvidia_uvm
                  device_nodes:
                    - /dev/dri/card0
                    - /dev/dri/renderD128
                    - /dev/nvidia-caps
                    - /dev/nvidia-uvm
                    - /dev/nvidia-uvm-tools
                    - /dev/nvidia0
                    - /dev/nvidiactl
                  cgroup: v2
                  min_memory_gib: 235
                  hugepages: 1024  # pages of 2048 KiB
                  min_device_memory_gib: 75
                  # min_host_device_gbs: the host↔device copy bandwidth to expect, e.g. 40 on PCIe Gen5 x16.

                """
        )
    }

    @Test func kunpengGuessesTheAscendFromPCI() {
        let lines = Set(ProbeYAML.render(FixtureLoader.facts("openeuler-kunpeng")).lines)
        for expected in [
            "id: huawei-ascend-910b-openeuler-22-03",
            "title: \"Huawei Ascend 910B on openEuler 22.03 (LTS-SP3)\"",
            "kind: accelerator", "vendor: Huawei", "model: Ascend 910B",
            "  driver: \"23.0.3\"",
            "  # memory_gib: unknown from probes; fill in the device memory.",
            "  devices: 1",
            "  os_id: openEuler", "  os_version: \"22.03\"", "  min_kernel: \"5.10.0\"",
            "    - drv_davinci_intf_host", "    - drv_devmng_host", "    - drv_pcie_host",
            "    - /dev/davinci0", "  cgroup: v1", "  min_memory_gib: 124",
            "backend:", "  command: [python3, Backends/python/torch_backend.py, \"--device\", npu]", "  device: npu",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
        #expect(!lines.contains("    - drv_pcie_hdc_host"))
        #expect(!lines.contains("  hugepages:"))
    }

    @Test func kylinWithoutAcceleratorsIsACPUTarget() {
        let lines = Set(ProbeYAML.render(FixtureLoader.facts("kylin-hygon")).lines)
        for expected in [
            "id: hygon-c86-7285-32-core-processor-kylin-v10", "kind: cpu", "vendor: Hygon",
            "model: Hygon C86 7285 32-core Processor", "  memory_gib: 31.1", "  devices: 1",
            "  os_version: V10", "  cgroup: v1", "    - drm", "  glibc: \"2.28\"", "backend:", "  builtin: cpu",
        ] {
            #expect(lines.contains(expected), "missing line: \(expected)")
        }
        #expect(!lines.contains("  device_nodes:"))
        #expect(!lines.contains { $0.hasPrefix("  driver:") })
        #expect(!lines.contains { $0.contains("min_device_memory_gib") || $0.contains("host_link_gbs") })
    }

    /// What `assay targets probe` prints passes `assay targets validate` (the same parser), and
    /// reads back as the values it drafted, for every fixture, an empty probe, and every backend.
    @Test(arguments: FixtureLoader.names + ["(empty)"])
    func theDraftValidatesAsADescriptor(fixture: String) throws {
        let facts =
            fixture == "(empty)" ? SystemProbe(source: EmptyProbeSource()).probe() : FixtureLoader.facts(fixture)
        let guess = TargetGuess(facts: facts)
        let backends: [BackendSpec?] =
            [nil] + BackendDraft.names.map { BackendDraft.named($0) } + [
                BackendDraft.named("torch", device: "npu:1"),
                BackendSpec(
                    command: ["ssh", "gpu host", "python3", "-u", "x.py"],
                    env: ["ASCEND_RT_VISIBLE_DEVICES": "0,1", "yes": "no"],
                    cwd: "Backends/python",
                    device: "npu",
                    handshakeTimeoutSeconds: 0.5,
                    requestTimeoutSeconds: 30,
                    maxRestarts: 0
                ),
                BackendSpec(builtin: "cpu", threads: 4),
            ]
        for spec in backends {
            let descriptor = try TargetDescriptor.parse(
                text: ProbeYAML.render(facts, backend: spec),
                file: "probe.yaml"
            )
            #expect(descriptor.backend == spec ?? BackendDraft.guess(guess))
            #expect(descriptor.id == guess.id && descriptor.kind.rawValue == guess.kind)
            #expect(descriptor.capabilities.devices == guess.devices)
            #expect(descriptor.expect?.hugepages == facts.memory?.hugePagesTotal.flatMap { $0 > 0 ? $0 : nil })
        }
    }

    @Test func anEmptyProbeStillRendersValidYAML() {
        let text = ProbeYAML.render(SystemProbe(source: EmptyProbeSource()).probe())
        #expect(text.lines.contains("id: unknown-target"))
        #expect(text.lines.contains("title: Unknown machine"))
        #expect(text.lines.contains("kind: cpu"))
    }

    /// PyYAML reads what we wrote back to the same values (skipped where PyYAML is absent).
    @Test(.enabled(if: Python.canImport("yaml")), arguments: FixtureLoader.names)
    func parsesBackWithPyYAML(fixture: String) throws {
        let facts = FixtureLoader.facts(fixture)
        let parsed = try #require(PyYAML.load(ProbeYAML.render(facts)))
        let guess = TargetGuess(facts: facts)
        #expect(parsed["id"] as? String == guess.id)
        #expect(parsed["title"] as? String == guess.title)
        #expect(parsed["kind"] as? String == guess.kind)
        let versions = try #require(parsed["versions"] as? [String: Any])
        #expect(versions["kernel"] as? String == facts.kernel?.release)
        #expect(versions["glibc"] as? String == facts.glibcVersion)
        let capabilities = try #require(parsed["capabilities"] as? [String: Any])
        #expect(capabilities["devices"] as? Int == guess.devices)
        let expect = try #require(parsed["expect"] as? [String: Any])
        #expect(expect["os_id"] as? String == facts.os?.id)
        #expect(expect["os_version"] as? String == facts.os?.versionID)
        #expect(expect["cgroup"] as? String == facts.cgroupVersion.map { "v\($0)" })
        #expect((expect["device_nodes"] as? [String] ?? []) == facts.deviceNodes ?? [])
        #expect(expect["min_memory_gib"] as? Int == facts.memory?.totalGiB.map { Int($0.rounded(.down)) })
    }

    @Test(.enabled(if: Python.canImport("yaml")))
    func awkwardStringsSurviveARoundTrip() throws {
        var facts = FixtureLoader.facts("ubuntu-nvidia")
        facts.os?.versionID = "yes"
        facts.os?.prettyName = "Weird: \"OS\" # with\ttabs\nand newline, é"
        facts.acceleratorTools?[0].devices[0].name = "- [GPU] {x}: 'y' & *z | >"
        let parsed = try #require(PyYAML.load(ProbeYAML.render(facts)))
        #expect(parsed["model"] as? String == "- [GPU] {x}: 'y' & *z | >")
        #expect((parsed["title"] as? String)?.hasSuffix("on Weird: \"OS\" # with\ttabs\nand newline, é") == true)
        #expect((parsed["expect"] as? [String: Any])?["os_version"] as? String == "yes")
    }
}

/// Parses YAML with Python's PyYAML (`yaml.safe_load`), through the live source.
enum PyYAML {
    static let script = "import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.argv[1])))"

    static func load(_ text: String) -> [String: Any]? {
        guard let result = LiveProbeSource(timeout: 30).run(["python3", "-c", script, text]), result.succeeded,
            let data = result.stdout.data(using: .utf8)
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
