import AssayCore
import Testing

@testable import AssayProbe

@Suite struct EnvironmentFingerprintTests {
    /// The canonical text and digest are part of the documented scheme: a change here
    /// breaks every stored fingerprint, so it must come with a new scheme name.
    /// (Expected values computed independently: Python `json.dumps(sort_keys=True,
    /// separators=(",", ":"))` and `hashlib.sha256`.)
    @Test func canonicalFormIsPinned() {
        let fingerprint = EnvironmentFingerprint(facts: FixtureLoader.facts("ubuntu-nvidia"))
        #expect(
            fingerprint.canonicalJSON == """
                {"accelerators":[{"driver":"535.161.08","memoryMiB":81559,"name":"NVIDIA H100 80GB HBM3",\
                "source":"nvidia-smi"},{"driver":"nvidia","name":"10de:2330","source":"pci"}],\
                "cpu":{"architecture":"x86_64","logicalCores":8,"model":"Intel(R) Xeon(R) Platinum 8480+",\
                "vendor":"GenuineIntel"},"kernel":{"release":"5.15.0-105-generic"},\
                "os":{"id":"ubuntu","version":"22.04.4 LTS (Jammy Jellyfish)","versionID":"22.04"},\
                "scheme":"assay-env-v1"}
                """
        )
        #expect(fingerprint.digest == "cdd6294599f958fba98a2c2e4e8981beb5d82b5accdc7b6488577f38889cdc59")
    }

    @Test(arguments: FixtureLoader.names)
    func stableAcrossProbes(fixture: String) {
        let first = EnvironmentFingerprint(facts: FixtureLoader.facts(fixture))
        let second = EnvironmentFingerprint(facts: FixtureLoader.facts(fixture))
        #expect(first == second)
        #expect(first.digest.count == 64)
        #expect(first.digest.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func fixturesHaveDistinctFingerprints() {
        let digests = Set(FixtureLoader.names.map { EnvironmentFingerprint(facts: FixtureLoader.facts($0)).digest })
        #expect(digests.count == FixtureLoader.names.count)
    }

    @Test func volatileFieldsAreExcluded() {
        let facts = FixtureLoader.facts("ubuntu-nvidia")
        var changed = facts
        changed.hostname = "another-node"
        changed.memory?.availableKiB = 1
        changed.memory?.hugePagesFree = 0
        changed.cpu?.currentMHz = 800
        changed.kernel?.tainted = 0
        changed.kernel?.taintFlags = []
        changed.pciDevices?[0].address = "0000:9a:00.0"
        changed.kernelModules = ["nvidia"]
        changed.toolchain = []
        #expect(EnvironmentFingerprint(facts: changed).digest == EnvironmentFingerprint(facts: facts).digest)
    }

    @Test func identityFieldsChangeTheDigest() {
        let facts = FixtureLoader.facts("ubuntu-nvidia")
        let base = EnvironmentFingerprint(facts: facts).digest
        var kernel = facts
        kernel.kernel?.release = "5.15.0-106-generic"
        var driver = facts
        driver.acceleratorTools?[0].devices[0].driverVersion = "550.54.15"
        var os = facts
        os.os?.version = "22.04.5 LTS (Jammy Jellyfish)"
        var cores = facts
        cores.cpu?.logicalCores = 16
        for changed in [kernel, driver, os, cores] {
            #expect(EnvironmentFingerprint(facts: changed).digest != base)
        }
    }

    @Test func backendHandshakeDevicesAreIncluded() {
        let facts = FixtureLoader.facts("openeuler-kunpeng")
        let plain = EnvironmentFingerprint(facts: facts)
        let device = EnvironmentFingerprint.BackendDevice(
            name: "Ascend910B3",
            driver: "23.0.3",
            runtime: "CANN 8.0.RC1"
        )
        let withBackend = EnvironmentFingerprint(facts: facts, backendDevices: [device])
        #expect(withBackend.digest != plain.digest)
        #expect(
            withBackend.components.accelerators.contains(
                EnvironmentFingerprint.Accelerator(
                    source: "backend",
                    name: "Ascend910B3",
                    driver: "23.0.3",
                    runtime: "CANN 8.0.RC1"
                )
            )
        )
        let newer = EnvironmentFingerprint(
            facts: facts,
            backendDevices: [
                EnvironmentFingerprint.BackendDevice(name: "Ascend910B3", driver: "23.0.3", runtime: "CANN 8.0.0")
            ]
        )
        #expect(newer.digest != withBackend.digest)
    }

    @Test func armModelIsTheRawPartNotATableName() {
        let components = EnvironmentFingerprint(facts: FixtureLoader.facts("openeuler-kunpeng")).components
        #expect(components.cpuVendor == "0x48")
        #expect(components.cpuModel == "0xd01")
        #expect(
            components.accelerators == [
                EnvironmentFingerprint.Accelerator(source: "npu-smi", name: "npu-smi", driver: "23.0.3"),
                EnvironmentFingerprint.Accelerator(source: "pci", name: "19e5:d802", driver: "devdrv_device_driver"),
            ]
        )
    }

    @Test func acceleratorOrderDoesNotMatter() {
        let a = EnvironmentFingerprint.Accelerator(source: "backend", name: "GPU A", driver: "1")
        let b = EnvironmentFingerprint.Accelerator(source: "backend", name: "GPU B", driver: "1")
        let one = EnvironmentFingerprint(components: .init(osID: "x", accelerators: [a, b]))
        let two = EnvironmentFingerprint(components: .init(osID: "x", accelerators: [b, a]))
        #expect(one.digest == two.digest)
    }

    @Test func rowsShowEveryComponentAndTheDigest() {
        let fingerprint = EnvironmentFingerprint(facts: FixtureLoader.facts("ubuntu-nvidia"))
        let rows = Dictionary(uniqueKeysWithValues: fingerprint.rows.map { ($0.component, $0.value) })
        #expect(rows["os.id"] == "ubuntu")
        #expect(rows["cpu.logicalCores"] == "8")
        #expect(rows["accelerators[0]"] == "nvidia-smi: NVIDIA H100 80GB HBM3, 81559 MiB, driver 535.161.08")
        #expect(rows["accelerators[1]"] == "pci: 10de:2330, driver nvidia")
        #expect(rows["digest"] == fingerprint.digest)
        #expect(fingerprint.componentMap["cpu.model"] == "Intel(R) Xeon(R) Platinum 8480+")
        #expect(fingerprint.componentMap["digest"] == nil)
        #expect(fingerprint.componentMap.count == fingerprint.rows.count - 1)
    }

    @Test func unknownFactsStillFingerprint() {
        let fingerprint = EnvironmentFingerprint(facts: SystemProbe(source: EmptyProbeSource()).probe())
        #expect(
            fingerprint.canonicalJSON
                == #"{"accelerators":[],"cpu":{},"kernel":{},"os":{},"scheme":"assay-env-v1"}"#
        )
        #expect(fingerprint.componentMap == ["scheme": "assay-env-v1"])
        #expect(fingerprint.rows.first { $0.component == "os.id" }?.value == "unknown")
    }
}
