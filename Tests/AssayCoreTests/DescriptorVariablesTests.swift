import Foundation
import Testing

@testable import AssayCore

@Suite("Descriptor variables, options and argv")
struct DescriptorVariablesTests {
    static let descriptor = """
        id: vendor-x
        kind: accelerator
        backend:
          command: ["${DESCRIPTOR_DIR}/bin/plugin", --sdk, "${env:VENDOR_SDK}"]
          fallback_command: [python3, "${DESCRIPTOR_DIR}/plugin.py"]
          cwd: "${env:VENDOR_SDK}/work"
          env: {LD_LIBRARY_PATH: "${env:VENDOR_SDK}/lib:${DESCRIPTOR_DIR}", PRICE: "$5 and $${literal}"}
          device: npu:0
          options: {precision: high, streams: 4, graph: true}
        """
    static let variables = DescriptorVariables(
        descriptorDirectory: "/lab/vendor",
        environment: ["VENDOR_SDK": "/opt/sdk"]
    )

    private func failure(_ text: String, _ variables: DescriptorVariables? = Self.variables) -> InputError? {
        do {
            _ = try TargetDescriptor.parse(text: text, file: "Targets/x.yaml", variables: variables)
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test("DESCRIPTOR_DIR and env:NAME expand in command, fallback_command, cwd and env")
    func expandsEveryField() throws {
        let spec = try TargetDescriptor.parse(text: Self.descriptor, file: "Targets/x.yaml", variables: Self.variables)
            .backend
        #expect(spec.command == ["/lab/vendor/bin/plugin", "--sdk", "/opt/sdk"])
        #expect(spec.fallbackCommand == ["python3", "/lab/vendor/plugin.py"])
        #expect(spec.cwd == "/opt/sdk/work")
        #expect(spec.env["LD_LIBRARY_PATH"] == "/opt/sdk/lib:/lab/vendor")
        // A '$' without '{' is kept; '$${' is a literal '${'.
        #expect(spec.env["PRICE"] == "$5 and ${literal}")
    }

    @Test("expansion comes before resolution: the expanded program is found and made absolute")
    func expandedBeforeResolution() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-vars-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("bin"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        let program = folder.appendingPathComponent("bin/plugin")
        try "#!/bin/sh\n".write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let text = "id: v\nkind: cpu\nbackend:\n  command: [\"${DESCRIPTOR_DIR}/bin/plugin\"]\n"
        let spec = try TargetDescriptor.parse(
            text: text,
            file: "t.yaml",
            variables: DescriptorVariables(descriptorDirectory: folder.path, environment: [:])
        ).backend
        let resolved = spec.resolved(root: URL(fileURLWithPath: "/elsewhere"), environment: ["PATH": "/nonexistent"])
        #expect(resolved.command == [program.path])
    }

    @Test("an undefined environment variable is an error naming file, line and field")
    func undefinedVariable() throws {
        let error = try #require(
            failure(Self.descriptor, DescriptorVariables(descriptorDirectory: "/lab", environment: [:]))
        )
        #expect(error.file == "Targets/x.yaml")
        #expect(error.line == 4)
        #expect(error.field == "backend.command[2]")
        #expect(error.message.contains("VENDOR_SDK is not set"))
    }

    @Test("an unknown or malformed variable is an error even when nothing is expanded")
    func badReferences() throws {
        let unknown = try #require(
            failure(
                Self.descriptor.replacingOccurrences(
                    of: "cwd: \"${env:VENDOR_SDK}/work\"",
                    with: "cwd: \"${HOME}/work\""
                ),
                nil
            )
        )
        #expect(unknown.line == 6 && unknown.field == "backend.cwd")
        #expect(unknown.message.contains("unknown variable '${HOME}'"))
        let open = try #require(
            failure(
                Self.descriptor.replacingOccurrences(
                    of: "\"${env:VENDOR_SDK}/work\"",
                    with: "\"${env:VENDOR_SDK/work\""
                ),
                nil
            )
        )
        #expect(open.field == "backend.cwd" && open.message.contains("unterminated"))
        let badName = try #require(
            failure(Self.descriptor.replacingOccurrences(of: "PRICE: \"$5", with: "PRICE: \"${env:1X}"), nil)
        )
        #expect(badName.field == "backend.env.PRICE" && badName.message.contains("environment variable name"))
    }

    @Test("unexpanded (listing, resume), the text stays as written")
    func unexpandedKeepsText() throws {
        let spec = try TargetDescriptor.parse(text: Self.descriptor, file: "Targets/x.yaml").backend
        #expect(spec.command == ["${DESCRIPTOR_DIR}/bin/plugin", "--sdk", "${env:VENDOR_SDK}"])
        #expect(spec.env["PRICE"] == "$5 and $${literal}")
    }

    @Test("options are read as strings; device stays backend.device")
    func options() throws {
        let spec = try TargetDescriptor.parse(text: Self.descriptor, file: "Targets/x.yaml", variables: Self.variables)
            .backend
        #expect(spec.options == ["precision": "high", "streams": "4", "graph": "true"])
        #expect(spec.device == "npu:0")
        let nested = try #require(failure(Self.descriptor.replacingOccurrences(of: "streams: 4", with: "streams: [4]")))
        #expect(nested.field == "backend.options.streams" && nested.message.contains("single value"))
        let device = try #require(failure(Self.descriptor.replacingOccurrences(of: "streams: 4", with: "device: cuda")))
        #expect(device.field == "backend.options.device" && device.message.contains("backend.device"))
        let builtin = try #require(failure("id: c\nkind: cpu\nbackend:\n  builtin: cpu\n  options: {a: 1}\n"))
        #expect(builtin.line == 5 && builtin.message.contains("builtin backend takes none"))
        #expect(
            try TargetDescriptor.parse(text: "id: c\nkind: cpu\nbackend: {builtin: cpu}\n", file: "t").backend.options
                == nil
        )
    }

    @Test("a command given as a string is an error naming its line")
    func commandString() throws {
        let error = try #require(failure("id: v\nkind: cpu\nbackend:\n  device: cpu\n  command: python3 plugin.py\n"))
        #expect(error.line == 5 && error.field == "backend.command")
        #expect(error.message.contains("must be a list (argv)"))
        let fallback = try #require(
            failure("id: v\nkind: cpu\nbackend:\n  command: [a]\n  fallback_command: python3 plugin.py\n")
        )
        #expect(fallback.line == 5 && fallback.field == "backend.fallback_command")
        let empty = try #require(failure("id: v\nkind: cpu\nbackend:\n  command: []\n"))
        #expect(empty.field == "backend.command" && empty.message.contains("non-empty argv"))
    }
}
