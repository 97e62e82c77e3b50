import AssayBackend
import AssayPlanning
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// The fake device plugin needs the Python SDK, and so numpy.
private let sdk: ConditionTrait = .enabled(if: Python.canImport("numpy"), "python3 with numpy is not available")

/// The system checks that go through the backend: `host_device_bandwidth` and `device_memory`
/// against a fake device plugin written with the Python SDK, which times real memcpys.
@Suite struct DeviceCheckTests {
    /// A "device" that is a bytearray: `transfer` times real copies between two buffers,
    /// `memory` answers 8 GiB total, 6 GiB free. Modes: `ok`; `pageable` (pinned copies
    /// unsupported); `unsupported` (the SDK's defaults: no device); `host` (a cpu device);
    /// `crash` and `hang` in `transfer`.
    static let plugin = Python.script(named: "fake_device_plugin.py")

    /// Runs one device check on the fake plugin in `mode`, copying 4 MiB five times per route.
    func check(
        _ name: String,
        mode: String,
        _ expectations: SystemExpectations = SystemExpectations(),
        targetHasDevice: Bool = true
    ) throws -> SystemCheckOutcome {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let backend = try fixture.backend(script: Self.plugin, arguments: [mode])
        defer { backend.shutdown() }
        let context = DeviceCheckContext(
            backend: backend,
            identity: try backend.describe(),
            expectations: expectations,
            declared: DeclaredCapabilities(hostLinkGBs: 64),
            targetHasDevice: targetHasDevice,
            transferBytes: 4 << 20,
            transferSamples: 5
        )
        return try #require(DeviceCheck.named(name)).run(context)
    }

    /// Planning knows the device checks by name only (`CheckRegistry`); execution's list must be that list.
    @Test func theDeviceChecksAreTheRegistrysDeviceChecks() {
        #expect(DeviceCheck.names == CheckRegistry.deviceChecks)
        #expect(CheckRegistry.deviceChecks.allSatisfy { CheckRegistry.kind(of: $0) == .device })
        #expect(CheckRegistry.kind(of: "no_such_check") == nil)
    }

    @Test(sdk) func meetingTheExpectationsPasses() throws {
        let bandwidth = try check("host_device_bandwidth", mode: "ok", SystemExpectations(minHostDeviceGBs: 0.01))
        #expect(bandwidth.outcome == .pass, "\(bandwidth.message ?? "")")
        let observation = try #require(bandwidth.observation)
        #expect(observation.expected == "≥ 0.01 GB/s each way (the faster of pinned and pageable)")
        #expect(observation.observed.hasPrefix("h2d: pinned "))
        #expect(observation.observed.contains("median of 5 copies of 4 MiB; declared link 64 GB/s"))
        let figures = try #require(observation.figures)
        #expect(figures["bytes"] == Double(4 << 20) && figures["samples"] == 5)
        for route in ["h2d_pinned", "h2d_pageable", "d2h_pinned", "d2h_pageable"] {
            #expect((figures["\(route)_gbs"] ?? 0) > 0.01, "\(route)")
        }

        let memory = try check("device_memory", mode: "ok", SystemExpectations(minDeviceMemoryGiB: 7.5))
        #expect(memory.outcome == .pass)
        #expect(memory.observation?.expected == "≥ 7.5 GiB total")
        #expect(memory.observation?.observed == "8.0 GiB total, 6.0 GiB free on fake accelerator")
        #expect(memory.observation?.figures == ["total_bytes": 8 * 1_073_741_824, "free_bytes": 6 * 1_073_741_824])
    }

    @Test(sdk) func anExpectationTooHighFailsWithObservedAndExpected() throws {
        let bandwidth = try check("host_device_bandwidth", mode: "ok", SystemExpectations(minHostDeviceGBs: 1e6))
        #expect(bandwidth.outcome == .fail)
        #expect(
            bandwidth.message?.hasPrefix(
                "expected ≥ 1e+06 GB/s each way (the faster of pinned and pageable), observed h2d: pinned "
            ) == true,
            "\(bandwidth.message ?? "")"
        )

        let memory = try check("device_memory", mode: "ok", SystemExpectations(minDeviceMemoryGiB: 80))
        #expect(memory.outcome == .fail)
        #expect(memory.message == "expected ≥ 80 GiB total, observed 8.0 GiB total, 6.0 GiB free on fake accelerator")
    }

    @Test(sdk) func pinnedCopiesTheBackendCannotDoAreNotedAndPageableOnesCount() throws {
        let result = try check("host_device_bandwidth", mode: "pageable", SystemExpectations(minHostDeviceGBs: 0.01))
        #expect(result.outcome == .pass)
        let observed = try #require(result.observation?.observed)
        #expect(observed.hasPrefix("h2d: pinned unsupported, pageable "))
        #expect(observed.contains("(unsupported: transfer h2d 4194304 bytes: no page-locked host memory here)"))
        #expect(
            result.observation?.figures?["h2d_pinned_gbs"] == nil
                && result.observation?.figures?["d2h_pageable_gbs"] != nil
        )
    }

    /// On a target without a device (cpu, server, os) a backend answering unsupported means
    /// there is nothing to check: not applicable, with the reason, left out of profile ratios.
    @Test(sdk) func aBackendThatAnswersUnsupportedOnATargetWithoutADeviceIsNotApplicable() throws {
        let bandwidth = try check(
            "host_device_bandwidth",
            mode: "unsupported",
            SystemExpectations(minHostDeviceGBs: 40),
            targetHasDevice: false
        )
        #expect(bandwidth.outcome == .unsupported)
        #expect(
            bandwidth.message == "not applicable: the target has no device; backend fake-device answered unsupported: "
                + "transfer h2d 4194304 bytes: fake-device has no device to transfer to"
        )
        #expect(bandwidth.observation?.expected == "≥ 40 GB/s each way (the faster of pinned and pageable)")
        #expect(bandwidth.observation?.observed == bandwidth.message)
        #expect(bandwidth.observation?.notApplicable?.hasPrefix("the target has no device;") == true)

        let memory = try check("device_memory", mode: "unsupported", targetHasDevice: false)
        #expect(memory.outcome == .unsupported)
        #expect(
            memory.message
                == "not applicable: the target has no device; backend fake-device answered unsupported: memory: no device memory"
        )
        #expect(memory.observation?.expected == "(not declared)")
    }

    /// An accelerator whose backend cannot reach its device is a plain `unsupported`: it counts.
    @Test(sdk) func aBackendThatAnswersUnsupportedOnAnAcceleratorCounts() throws {
        let memory = try check("device_memory", mode: "unsupported")
        #expect(memory.outcome == .unsupported)
        #expect(memory.message == "backend fake-device answered unsupported: memory: no device memory")
        #expect(memory.observation?.notApplicable == nil)
    }

    @Test(sdk) func aHostDeviceHasNoDeviceMemory() throws {
        let memory = try check("device_memory", mode: "host", SystemExpectations(minDeviceMemoryGiB: 1))
        #expect(memory.outcome == .unsupported)
        #expect(
            memory.message?.hasPrefix("not applicable: backend fake-device serves the host CPU (device kind cpu)")
                == true
        )
    }

    @Test func theNativeBackendHasNoDevice() throws {
        let backend = NativeCPUBackend(threads: 1)
        let context = DeviceCheckContext(
            backend: backend,
            identity: try backend.describe(),
            expectations: SystemExpectations(),
            declared: DeclaredCapabilities()
        )
        for check in DeviceCheck.all {
            let result = check.run(context)
            #expect(result.outcome == .unsupported)
            #expect(
                result.message
                    == "not applicable: backend native-cpu runs on the host: there is no device apart from it"
            )
            #expect(
                result.observation?.notApplicable
                    == "backend native-cpu runs on the host: there is no device apart from it"
            )
        }
    }

    @Test func theSystemSuiteRunsTheDeviceChecksAndAnUnknownCheckListsThem() throws {
        let url = Repository.root.appendingPathComponent("Suites/system.yaml")
        let suite = try Suite.load(contentsOf: url, validator: SuiteValidator()).0
        // The burn-in (a minute or more of GEMM) is the server suite's, not the quick system suite's.
        #expect(Set(DeviceCheck.names).subtracting(["sustained_load"]).isSubset(of: suite.entries.compactMap(\.check)))
        let server = try Suite.load(
            contentsOf: Repository.root.appendingPathComponent("Suites/server.yaml"),
            validator: SuiteValidator()
        ).0
        #expect(Set(DeviceCheck.names).isSubset(of: server.entries.compactMap(\.check)))
        let error = try #require(throws: InputError.self) {
            try Suite.parse(
                text: "id: s\nkind: system\ncases:\n  - check: device_bandwidth\n",
                file: "s.yaml",
                validator: SuiteValidator()
            )
        }
        #expect(error.line == 4 && error.message.contains("unknown system check 'device_bandwidth'"))
        #expect(error.message.contains("host_device_bandwidth, device_memory"))
    }

    /// A whole run: the check whose plugin dies gets that outcome with the plugin's stderr, the
    /// plugin is restarted for the next check, and run.json is complete.
    @Test(
        sdk,
        arguments: [
            ("crash", Outcome.crash, "exited with status 7", "fake device lost"),
            ("hang", Outcome.timeout, "within 2 s", "fake device stuck"),
        ]
    )
    func aPluginThatDiesDuringATransferIsRecordedAndTheRunCarriesOn(
        mode: String,
        outcome: Outcome,
        reason: String,
        stderr: String
    ) throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let script = try fixture.write(Self.plugin, to: "fake_device.py")
        let (record, journalLines) = try fixture.run(
            target: """
                id: fake-device
                kind: accelerator
                backend:
                  command: [python3, "\(script.path)", \(mode), "\(Repository.root.path)"]
                  timeouts: {handshake_s: 60, request_s: 2}
                  max_restarts: 2
                expect:
                  min_host_device_gbs: 1
                  min_device_memory_gib: 4
                """,
            suite: """
                id: device
                kind: system
                cases:
                  - check: host_device_bandwidth
                  - check: device_memory
                """
        )
        #expect(record.cases.map(\.outcome) == [outcome, .pass])
        let failed = try #require(record.cases.first)
        #expect(failed.message?.contains(reason) == true, "\(failed.message ?? "")")
        #expect(failed.stderrTail?.contains(stderr) == true)
        #expect(record.cases.last?.system?.figures?["total_bytes"] == 8.0 * 1_073_741_824)
        #expect(journalLines == 2)
    }
}
