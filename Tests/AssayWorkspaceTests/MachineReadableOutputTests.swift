import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// The built `assay`'s outputs for scripts (issue 22): every `--json` parses and says what the
/// text says, `targets describe` shows the handshake, `plugin check --target` resolves a
/// target's plugin, `run --quiet` names the cases that did not pass.
@Suite("Machine-readable output", .serialized)
struct MachineReadableOutputTests {
    static func assay(
        _ arguments: [String],
        in directory: URL,
        stderr: Subprocess.ErrorOutput = .discarded
    ) throws -> Subprocess.Result {
        let binary = try #require(Repository.assayExecutable, "assay is not built")
        return try Subprocess.run(["-u", "ASSAY_HOME", binary.path] + arguments, in: directory, standardError: stderr)
    }

    /// A conformance suite `tiny` (seed 7) with the given YAML case list.
    static func tinySuite(_ cases: String) -> String {
        "id: tiny\ntitle: tiny\nkind: conformance\nseed: 7\ncases:\n" + cases + "\n"
    }

    static func jsonArray(_ data: Data) throws -> [[String: Any]] {
        try #require(
            try JSONSerialization.jsonObject(with: data) as? [[String: Any]],
            "not a JSON array: \(String(decoding: data, as: UTF8.self))"
        )
    }

    @Test("targets list --json and suites list --json parse and agree with the text listing")
    func listingsParse() throws {
        let root = Repository.root
        let targets = try Self.jsonArray(try Self.assay(["targets", "list", "--json"], in: root).data)
        let summaries = targets.compactMap { $0["summary"] as? [String: Any] }
        let local = try #require(targets.first { ($0["summary"] as? [String: Any])?["id"] as? String == "local-cpu" })
        #expect(
            local["valid"] as? Bool == true && local["origin"] as? String == "workspace"
                && local["name"] as? String == "local-cpu"
        )
        #expect((local["summary"] as? [String: Any])?["backend"] as? String == "builtin:cpu")
        #expect(
            summaries.contains { $0["id"] as? String == "numpy-cpu" }
                && summaries.count == targets.filter { $0["valid"] as? Bool == true }.count
        )
        let text = try Self.assay(["targets", "list"], in: root).output
        #expect(text.split(separator: "\n").count == targets.count)

        let suites = try Self.jsonArray(try Self.assay(["suites", "list", "--json"], in: root).data)
        let smoke = try #require(
            suites.compactMap { $0["summary"] as? [String: Any] }.first { $0["id"] as? String == "smoke" }
        )
        let shown = try Self.assay(["suites", "show", "smoke"], in: root).output.split(separator: "\n").count - 1
        let kinds = try #require(smoke["kinds"] as? [String: Int])
        #expect(
            smoke["cases"] as? Int == shown && kinds.values.reduce(0, +) == shown && (kinds["conformance"] ?? 0) > 0
        )
    }

    @Test("targets describe local-cpu --json: the native backend's op × dtype support from its handshake")
    func describeNative() throws {
        let result = try Self.assay(["targets", "describe", "local-cpu", "--json"], in: Repository.root)
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: result.data) as? [String: Any])
        #expect(json["target"] as? String == "local-cpu")
        let backend = try #require(json["backend"] as? [String: Any])
        #expect(backend["name"] as? String == "native-cpu" && backend["transport"] as? String == "builtin")
        let capabilities = try #require(backend["capabilities"] as? [String: [String]])
        #expect(capabilities["matmul"]?.contains("f32") == true && capabilities.count > 10)
        let text = try Self.assay(["targets", "describe", "local-cpu"], in: Repository.root).output
        #expect(text.contains("backend: native-cpu") && text.contains("op × dtype pairs claimed"))
        let missing = try Self.assay(["targets", "describe", "no-such-target"], in: Repository.root)
        #expect(missing.status == 2)
    }

    @Test(
        "targets describe and plugin check --target start numpy-cpu's plugin as run would",
        .enabled(if: Python.canImport("numpy"))
    )
    func describeAndCheckPlugin() throws {
        let described = try Self.assay(["targets", "describe", "numpy-cpu", "--json"], in: Repository.root)
        #expect(described.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: described.data) as? [String: Any])
        let backend = try #require(json["backend"] as? [String: Any])
        #expect(backend["transport"] as? String == "plugin")
        #expect((backend["capabilities"] as? [String: [String]])?["softmax"]?.contains("bf16") == true)

        let checked = try Self.assay(
            ["plugin", "check", "--target", "numpy-cpu"],
            in: Repository.root,
            stderr: .merged
        )
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.contains("checks passed") && !checked.output.contains("FAIL"), "\(checked.output)")
        let native = try Self.assay(["plugin", "check", "--target", "local-cpu"], in: Repository.root, stderr: .merged)
        #expect(native.status == 2 && native.output.contains("built-in backend"), "\(native.output)")
        let both = try Self.assay(
            ["plugin", "check", "--target", "numpy-cpu", "--", "python3", "x.py"],
            in: Repository.root,
            stderr: .merged
        )
        #expect(both.status == 2)
    }

    @Test(
        "run --quiet names every case that did not pass, failures first; report.json rows carry op, dtype, shape, attrs",
        .enabled(if: Python.canImport("numpy"))
    )
    func quietNamesFailures() throws {
        let workspace = try TemporaryDirectory.make(prefix: "assay-quiet")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let manager = FileManager.default
        for folder in ["Targets", "Suites"] {
            try manager.createDirectory(at: workspace.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        // The SDK's minimal backend (relu f32/bf16, add f32) with relu off by one.
        let python = Repository.root.appendingPathComponent("Backends/python")
        try """
        import sys
        sys.path[:0] = [\(String(reflecting: python.path)), \(String(reflecting: python.appendingPathComponent("examples").path))]
        import numpy as np
        from minimal_backend import MinimalBackend
        from assay_backend import from_float, run, to_float

        class OffByOne(MinimalBackend):
            name = "off-by-one"
            def execute(self, op, dtype, attrs, inputs):
                if op == "relu":
                    return from_float(np.maximum(to_float(inputs[0], np.float64), 0.0) + 1.0, dtype)
                return MinimalBackend.execute(self, op, dtype, attrs, inputs)

        run(OffByOne)
        """.write(to: workspace.appendingPathComponent("off_by_one.py"), atomically: true, encoding: .utf8)
        try """
        id: off-by-one
        title: relu off by one
        kind: cpu
        backend:
          command: [python3, off_by_one.py]
        """.write(to: workspace.appendingPathComponent("Targets/off-by-one.yaml"), atomically: true, encoding: .utf8)
        try Self.tinySuite(
            """
              - op: relu
                dtypes: [f32, f16]
                shapes: [{shape: [16]}]
              - op: add
                dtypes: [f32]
                shapes: [{a: [4, 4], b: [4, 4]}]
            """
        ).write(to: workspace.appendingPathComponent("Suites/tiny.yaml"), atomically: true, encoding: .utf8)

        let result = try Self.assay(
            ["run", "--target", "off-by-one", "--suite", "tiny", "--quiet"],
            in: workspace,
            stderr: .merged
        )
        #expect(result.status == 1, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init)
        let named = lines.filter { $0.hasPrefix("fail ") || $0.hasPrefix("unsupported ") }
        #expect(
            named == ["fail         tiny/relu/shape16/f32", "unsupported  tiny/relu/shape16/f16"],
            "\(result.output)"
        )
        #expect(!lines.contains { $0.contains("tiny/add/") }, "a passing case was named")

        let report = try #require(
            manager.contents(atPath: workspace.appendingPathComponent("Reports/off-by-one/latest/report.json").path)
        )
        let json = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        let relu = try #require(rows.first { $0["id"] as? String == "tiny/relu/shape16/f32" })
        #expect(
            relu["op"] as? String == "relu" && relu["dtype"] as? String == "f32"
                && relu["shape"] as? String == "shape16"
        )
        #expect(relu["outcome"] as? String == "fail" && relu["attrs"] is [String: Any] && relu["maxAbsError"] != nil)
    }

    @Test(
        "keygen refuses a secret key git would not ignore, unless --force; allows an ignored path",
        .enabled(if: Subprocess.locate("git") != nil)
    )
    func keygenGuardsSecretKeys() throws {
        let repository = try TemporaryDirectory.make(prefix: "assay-keygen")
        defer { try? FileManager.default.removeItem(at: repository) }
        #expect(try Subprocess.run(["git", "init", "-q", repository.path]).status == 0)
        let refused = try Self.assay(["keygen", "--out", "keys/lab"], in: repository, stderr: .merged)
        #expect(refused.status == 2 && refused.output.contains("git does not ignore it"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: repository.appendingPathComponent("keys/lab.key").path))
        try FileManager.default.createDirectory(
            at: repository.appendingPathComponent("keys"),
            withIntermediateDirectories: true
        )
        try "keys/\n".write(to: repository.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
        let allowed = try Self.assay(["keygen", "--out", "keys/lab"], in: repository, stderr: .merged)
        #expect(allowed.status == 0, "\(allowed.output)")
        let forced = try Self.assay(["keygen", "--out", "lab", "--force"], in: repository, stderr: .merged)
        #expect(
            forced.status == 0
                && FileManager.default.fileExists(atPath: repository.appendingPathComponent("lab.key").path),
            "\(forced.output)"
        )
    }
}
