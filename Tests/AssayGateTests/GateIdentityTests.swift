import AssayCore
import AssayGate
import AssayTestSupport
import Foundation
import Testing

/// The gate compares only like with like: target id, descriptor (waivers aside), backend name and
/// version, and host fingerprint must agree, and the report says truthfully when they do not.
@Suite("Gate identity")
struct GateIdentityTests {
    static let caseID = "smoke/add/shape4/f32"

    /// A record of the built-in target `id` run through `backend` on one and the same host.
    static func record(
        target id: String,
        backend: BackendIdentity,
        fingerprint: String = "same-host"
    ) throws -> RunRecord {
        let path = "Targets/\(id).yaml"
        let text = try String(contentsOf: Repository.root.appendingPathComponent(path), encoding: .utf8)
        var record = SyntheticRuns.record([SyntheticRuns.conformanceCase(caseID, .pass)], fingerprint: fingerprint)
        record.target = SourceSnapshot(
            path: path,
            text: text,
            value: try TargetDescriptor.parse(text: text, file: path)
        )
        record.backend = backend
        return record
    }

    static let native = BackendIdentity(
        name: "native-cpu",
        version: "0.1.0",
        transport: .builtin,
        devices: [],
        timer: "host_monotonic",
        capabilities: [:]
    )
    static let numpy = BackendIdentity(
        name: "numpy",
        version: "2.4.6",
        transport: .plugin,
        devices: [],
        timer: "host_monotonic",
        capabilities: [:]
    )

    @Test("local-cpu vs numpy-cpu on one host: refused, naming target, descriptor and backend, not the host")
    func localCPUAgainstNumpyCPUIsRefused() throws {
        let baseline = try Self.record(target: "local-cpu", backend: Self.native)
        let current = try Self.record(target: "numpy-cpu", backend: Self.numpy)
        do {
            _ = try Gate.compare(baseline: baseline, current: current)
            Issue.record("the gate compared local-cpu with numpy-cpu")
        } catch let error as GateError {
            guard case .differentTargets(let differences) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(
                differences.map(\.field) == [
                    "target id", "descriptor digest (waivers excluded)", "backend name", "backend version",
                ]
            )
            #expect(
                differences[0]
                    == Comparability.Difference(field: "target id", baseline: "local-cpu", current: "numpy-cpu")
            )
            #expect(error.description.contains("backend name: baseline native-cpu, current numpy"))
            #expect(error.description.contains("--allow-different-target"))
        }
        let allowed = try Gate.compare(
            baseline: baseline,
            current: current,
            options: GateOptions(allowDifferentTarget: true)
        )
        #expect(allowed.differentTargets, "gate.json must not say the targets are the same")
        #expect(allowed.identity.differences.count == 4)
        let json = try #require(try JSONSerialization.jsonObject(with: allowed.jsonData()) as? [String: Any])
        #expect(json["differentTargets"] as? Bool == true)
        let identity = try #require(json["identity"] as? [String: Any])
        #expect((identity["differences"] as? [[String: Any]])?.count == 4)
        #expect((identity["baseline"] as? [String: Any])?["targetID"] as? String == "local-cpu")
    }

    @Test("identical identities are comparable and reported as such")
    func sameRunIdentityIsComparable() throws {
        let baseline = try Self.record(target: "local-cpu", backend: Self.native)
        let current = try Self.record(target: "local-cpu", backend: Self.native)
        let report = try Gate.compare(baseline: baseline, current: current)
        #expect(!report.differentTargets && report.identity.isComparable && report.status == .pass)
    }

    @Test("a backend version change alone is named")
    func backendVersionAloneIsNamed() throws {
        var newer = Self.native
        newer.version = "0.2.0"
        let comparability = Comparability(
            baseline: try Self.record(target: "local-cpu", backend: Self.native),
            current: try Self.record(target: "local-cpu", backend: newer)
        )
        #expect(
            comparability.differences == [
                Comparability.Difference(field: "backend version", baseline: "0.1.0", current: "0.2.0")
            ]
        )
    }

    @Test("waivers and comments do not change the descriptor digest; any other field does")
    func descriptorDigestExcludesWaivers() throws {
        let plain = SyntheticRuns.targetYAML
        let waived =
            "# a comment\n" + plain + """

                waivers:
                  - pattern: "smoke/add/*"
                    category: known-bug
                    reference: BUG-1
                    reason: test
                    expires: 2099-01-01
                """
        let threads = plain.replacingOccurrences(of: "threads: 1", with: "threads: 2")
        func digest(_ text: String) throws -> String {
            RunIdentity.descriptorDigest(try TargetDescriptor.parse(text: text, file: "t.yaml"))
        }
        #expect(try !TargetDescriptor.parse(text: waived, file: "t.yaml").waivers.isEmpty)
        #expect(try digest(plain) == digest(waived))
        #expect(try digest(plain) != digest(threads))
        #expect(try digest(plain).count == 64)
        let baseline = SyntheticRuns.record([SyntheticRuns.conformanceCase(Self.caseID, .pass)])
        let current = SyntheticRuns.record([SyntheticRuns.conformanceCase(Self.caseID, .pass)], targetYAML: waived)
        #expect(try Gate.compare(baseline: baseline, current: current).identity.isComparable)
        let other = SyntheticRuns.record([SyntheticRuns.conformanceCase(Self.caseID, .pass)], targetYAML: threads)
        #expect(throws: GateError.self) { try Gate.compare(baseline: baseline, current: other) }
    }
}
