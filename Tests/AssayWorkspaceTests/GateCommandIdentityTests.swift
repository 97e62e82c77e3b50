import AssayTestSupport
import Foundation
import Testing

/// `assay gate` on real runs of local-cpu and numpy-cpu on this one host: the fingerprints agree,
/// yet the runs are not comparable, and the gate says why (issue 22).
@Suite("Gate command identity", .serialized, .enabled(if: Python.canImport("numpy")))
struct GateCommandIdentityTests {
    @Test(
        "gate refuses local-cpu vs numpy-cpu with exit 2 naming each difference; --allow-different-target reports them"
    )
    func refusesUnlikeRuns() throws {
        let binary = try #require(Repository.assayExecutable, "assay is not built")
        let scratch = try TemporaryDirectory.make(prefix: "assay-gate-identity")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let suite = scratch.appendingPathComponent("tiny.yaml")
        try MachineReadableOutputTests.tinySuite(
            """
              - op: add
                dtypes: [f32]
                shapes: [{a: [8, 8], b: [8, 8]}]
            """
        ).write(to: suite, atomically: true, encoding: .utf8)
        func assay(_ arguments: [String]) throws -> Subprocess.Result {
            try Subprocess.run(["-u", "ASSAY_HOME", binary.path] + arguments, in: Repository.root)
        }
        let reports = scratch.appendingPathComponent("Reports").path
        for target in ["local-cpu", "numpy-cpu"] {
            let run = try assay([
                "run", "--target", target, "--suite", suite.path, "--out", reports, "--quiet", "--no-reports",
            ])
            #expect(run.status == 0, "\(run.output)")
        }
        let baseline = "\(reports)/local-cpu/latest"
        let current = "\(reports)/numpy-cpu/latest"
        let refused = try assay(["gate", "--baseline", baseline, "--current", current])
        #expect(refused.status == 2, "\(refused.output)")
        for field in [
            "target id: baseline local-cpu, current numpy-cpu", "descriptor digest (waivers excluded)",
            "backend name: baseline native-cpu",
            "backend version",
        ] {
            #expect(refused.output.contains(field), "\(field) not named in: \(refused.output)")
        }
        #expect(!refused.output.contains("host fingerprint"), "the same host was named as a difference")

        let out = scratch.appendingPathComponent("gate")
        let allowed = try assay([
            "gate", "--baseline", baseline, "--current", current, "--allow-different-target", "--out", out.path,
        ])
        #expect(allowed.status == 0, "\(allowed.output)")
        let data = try #require(FileManager.default.contents(atPath: out.appendingPathComponent("gate.json").path))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["differentTargets"] as? Bool == true)
        let differences = try #require((json["identity"] as? [String: Any])?["differences"] as? [[String: Any]])
        #expect(differences.compactMap { $0["field"] as? String }.contains("backend name"))
        let markdown = try String(contentsOf: out.appendingPathComponent("gate.md"), encoding: .utf8)
        #expect(markdown.contains("Runs not comparable"))
    }
}
