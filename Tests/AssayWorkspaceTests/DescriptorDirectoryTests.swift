import AssayCore
import AssayWorkspace
import Foundation
import Testing

@Suite("${DESCRIPTOR_DIR} of a located descriptor")
struct DescriptorDirectoryTests {
    @Test("a file's folder; a built-in's is <root>/Targets, where assay init writes it")
    func folderOfTheFile() {
        let file = LocatedResource(
            kind: .target,
            name: "x",
            origin: .path,
            url: URL(fileURLWithPath: "/lab/vendor/../vendor/x.yaml"),
            displayName: "x.yaml",
            text: ""
        )
        #expect(file.descriptorVariables(root: URL(fileURLWithPath: "/ws")).descriptorDirectory == "/lab/vendor")
        let builtin = LocatedResource(
            kind: .target,
            name: "numpy-cpu",
            origin: .builtin,
            url: nil,
            displayName: "builtin:Targets/numpy-cpu.yaml",
            text: ""
        )
        let variables = builtin.descriptorVariables(root: URL(fileURLWithPath: "/ws"), environment: ["A": "b"])
        #expect(variables.descriptorDirectory == "/ws/Targets" && variables.environment == ["A": "b"])
    }
}
