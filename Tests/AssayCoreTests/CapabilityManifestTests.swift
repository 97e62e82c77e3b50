import Foundation
import Testing

@testable import AssayCore

/// The backend's op × dtype claims: typed questions, the claims recorded verbatim.
@Suite struct CapabilityManifestTests {
    @Test func answersInTypesAndKeepsUnknownDTypes() throws {
        let manifest: CapabilityManifest = ["matmul": ["bf16", "fp8_e4m3", "f32"], "relu": []]
        #expect(manifest.contains(op: "matmul", dtype: .bf16) && manifest.contains(op: "matmul", dtype: .f32))
        #expect(!manifest.contains(op: "matmul", dtype: .f16) && !manifest.contains(op: "relu", dtype: .f32))
        #expect(manifest.claimCount == 3 && manifest.ops == ["matmul", "relu"])
        // run.json holds the claims exactly as the backend listed them.
        let json = String(decoding: try RecordCoding.encoder().encode(manifest), as: UTF8.self)
        let plain = String(decoding: try RecordCoding.encoder().encode(manifest.claims), as: UTF8.self)
        #expect(json == plain && json.contains("fp8_e4m3"))
        #expect(try JSONDecoder().decode(CapabilityManifest.self, from: Data(json.utf8)).claims == manifest.claims)
    }

    @Test func equalityIsAsSets() {
        let a: CapabilityManifest = ["add": ["f32", "f16"]]
        let b: CapabilityManifest = ["add": ["f16", "f32"]]
        #expect(a == b)
        #expect(a != ["add": ["f32"]] && a != ["add": ["f32", "f16"], "mul": ["f32"]])
    }

    @Test func theTimerKindComesFromTheName() throws {
        #expect(BackendTimer.hostMonotonic.kind == .host && BackendTimer(rawValue: "cuda_event").kind == .device)
        #expect(
            String(decoding: try JSONEncoder().encode(BackendTimer(rawValue: "cuda_event")), as: UTF8.self)
                == #""cuda_event""#
        )
        #expect(try JSONDecoder().decode(DeviceKind.self, from: Data(#""npu""#.utf8)) == DeviceKind(rawValue: "npu"))
    }
}
