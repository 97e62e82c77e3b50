import AssayBuiltins
import AssayTestSupport
import Foundation
import Testing

/// Sources/AssayBuiltins/BuiltinFiles.swift is generated from the repository's YAML; these
/// fail when it is stale (fix: python3 Scripts/generate-builtins.py).
@Suite("Built-in data")
struct BuiltinDataTests {
    @Test("every built-in file is byte-for-byte the repository's file")
    func builtinsMatchTheRepository() throws {
        #expect(!BuiltinFiles.all.isEmpty)
        for builtin in BuiltinFiles.all {
            let url = Repository.root.appendingPathComponent(builtin.path)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text == builtin.text, "stale built-in \(builtin.path): run python3 Scripts/generate-builtins.py")
        }
    }

    @Test("every shipped suite, profile and model, and the default target, is built in")
    func everySuiteAndProfileIsBuiltIn() throws {
        let builtin = Set(BuiltinFiles.all.map(\.path))
        for folder in ["Suites", "Profiles", "Models"] {
            let names = try FileManager.default.contentsOfDirectory(
                atPath: Repository.root.appendingPathComponent(folder).path
            )
            for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                #expect(
                    builtin.contains("\(folder)/\(name)"),
                    "\(folder)/\(name) is not built in: run python3 Scripts/generate-builtins.py"
                )
            }
        }
        #expect(builtin.contains("Targets/local-cpu.yaml"))
    }

    @Test("the generator's --check agrees")
    func generatorCheckPasses() throws {
        let result = try Subprocess.run([
            "python3", Repository.root.appendingPathComponent("Scripts/generate-builtins.py").path, "--check",
        ])
        #expect(result.status == 0, "\(result.output)")
    }
}
