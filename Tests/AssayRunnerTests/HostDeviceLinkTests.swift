import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// `host_device_bandwidth` per device: every rank of a multi-rank target measured in turn, each
/// with the NUMA node its device is attached to (the kernel's for a PCI address, else the
/// plugin's, else unknown with the reason).
@Suite struct HostDeviceLinkTests {
    static let sdk: ConditionTrait = .enabled(if: Python.canImport("numpy"), "python3 with numpy is not available")

    @Test func theNUMANodeIsTheKernelsForAPCIDeviceElseThePluginsElseUnknownWithTheReason() {
        let sysfs = [
            "/sys/bus/pci/devices/0000:3b:00.0/numa_node": "1\n", "/sys/bus/pci/devices/0000:5e:00.0/numa_node": "-1\n",
        ]
        func numa(_ device: BackendIdentity.Device?) -> (Int?, String) {
            HostDeviceLinks.numa(of: device, readFile: { sysfs[$0] })
        }
        var gpu = BackendIdentity.Device(index: 0, name: "gpu")
        gpu.pciBusID = "0000:3b:00.0"
        gpu.numaNode = 7  // the kernel's word wins over the plugin's
        #expect(numa(gpu) == (1, "/sys/bus/pci/devices/0000:3b:00.0/numa_node"))
        gpu.pciBusID = "0000:5e:00.0"
        #expect(
            numa(gpu) == (
                nil,
                "unknown: /sys/bus/pci/devices/0000:5e:00.0/numa_node is -1 (the platform reports no NUMA affinity)"
            )
        )
        gpu.pciBusID = "0000:99:00.0"
        #expect(numa(gpu) == (nil, "unknown: /sys/bus/pci/devices/0000:99:00.0/numa_node unreadable"))
        var cpu = BackendIdentity.Device(index: 0, name: "cpu", kind: "cpu")
        cpu.numaNode = 1
        #expect(numa(cpu) == (1, "plugin"))
        cpu.numaNode = nil
        cpu.numaReason = "this process may run on CPUs of nodes 0, 1"
        #expect(numa(cpu) == (nil, "unknown: this process may run on CPUs of nodes 0, 1"))
        #expect(
            numa(BackendIdentity.Device(index: 0, name: "x")) == (
                nil, "unknown: the plugin reports neither numa_node nor pci_bus_id"
            )
        )
        #expect(numa(nil).0 == nil)
    }

    func group(_ ranks: [PluginBackend]) throws -> RankGroup {
        try RankGroup(ranks: ranks, spec: RankSpec(count: ranks.count))
    }

    func check(_ group: RankGroup, minimum: Double, targetHasDevice: Bool = true) throws -> SystemCheckOutcome {
        let context = DeviceCheckContext(
            backend: group,
            identity: try group.describe(),
            expectations: SystemExpectations(minHostDeviceGBs: minimum),
            declared: DeclaredCapabilities(),
            targetHasDevice: targetHasDevice,
            transferBytes: 1 << 20,
            transferSamples: 3
        )
        return try #require(DeviceCheck.named("host_device_bandwidth")).run(context)
    }

    @Test(sdk) func everyRanksDeviceIsMeasuredAndTheSlowestSetsTheFigures() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let ranks = try (0..<2).map { _ in try fixture.backend(script: DeviceCheckTests.plugin, arguments: ["ok"]) }
        let group = try group(ranks)
        defer { group.shutdown() }
        let result = try check(group, minimum: 0.001)
        #expect(result.outcome == .pass, "\(result.message ?? "")")
        let devices = try #require(result.observation?.devices)
        #expect(
            devices.map(\.rank) == [0, 1]
                && devices.allSatisfy { ($0.h2dGBs ?? 0) > 0 && ($0.d2hGBs ?? 0) > 0 && $0.note == nil }
        )
        #expect(
            devices.allSatisfy {
                $0.numaNode == nil && $0.numa == "unknown: the plugin reports neither numa_node nor pci_bus_id"
            }
        )
        let figures = try #require(result.observation?.figures)
        #expect(figures["devices"] == 2)
        // The figure is the slowest device's, each route.
        #expect(figures["h2d_pinned_gbs"]! <= devices.map { $0.h2dGBs! }.max()!)
        #expect(result.observation?.observed.hasPrefix("2 devices, one at a time; rank 0 (NUMA unknown): h2d ") == true)

        let tooHigh = try check(group, minimum: 1e6)
        #expect(tooHigh.outcome == .fail && tooHigh.observation?.devices?.count == 2)
    }

    /// Host CPU ranks have no device apart from the host: not applicable, and each rank's
    /// NUMA node (that of the CPUs it runs on) is still recorded.
    @Test(sdk) func cpuRanksAreNotApplicableAndStillListTheirNUMANode() throws {
        let script = Repository.root.appendingPathComponent("Backends/python/numpy_backend.py").path
        let ranks = (0..<2).map { _ in
            PluginBackend(
                configuration: PluginConfiguration(
                    command: ["python3", script],
                    handshakeTimeoutSeconds: 60,
                    requestTimeoutSeconds: 30,
                    maxRestarts: 1
                )
            )
        }
        let group = try group(ranks)
        defer { group.shutdown() }
        let result = try check(group, minimum: 1, targetHasDevice: false)
        #expect(result.outcome == .unsupported && result.observation?.notApplicable != nil)
        let devices = try #require(result.observation?.devices)
        #expect(devices.count == 2 && devices.allSatisfy { $0.h2dGBs == nil && $0.note != nil })
        if FileManager.default.fileExists(atPath: "/sys/devices/system/node/node0") {
            #expect(devices.allSatisfy { $0.numaNode != nil && $0.numa == "plugin" }, "\(devices)")
        }
    }
}
