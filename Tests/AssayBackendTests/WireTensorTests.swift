import AssayCore
import Testing

@testable import AssayBackend

/// Reply descriptors are checked against the cap before a byte is allocated.
struct WireTensorTests {
    let cap = PluginConfiguration.defaultMaxPayloadBytes

    func violation(_ tensors: [WireTensor], payload: Int) -> String? {
        do {
            _ = try WireTensor.validate(tensors, payloadBytes: payload, cap: cap, field: "outputs")
            return nil
        } catch PluginIOError.violation(let reason) { return reason } catch { return "\(error)" }
    }

    @Test func consistentDescriptorsGiveTheirLayout() throws {
        let layout = try WireTensor.validate(
            [WireTensor(dtype: "bf16", shape: [2, 3], nbytes: 12), WireTensor(dtype: "int8", shape: [], nbytes: 1)],
            payloadBytes: 13,
            cap: cap,
            field: "outputs"
        )
        #expect(layout.map(\.0) == [.bf16, .int8] && layout.map(\.2) == [12, 1])
    }

    @Test func aTerabytePayloadIsRefusedBeforeAllocation() {
        #expect(
            violation([WireTensor(dtype: "f32", shape: [1 << 38], nbytes: 1 << 40)], payload: 1 << 40)?.contains(
                "the largest reply this request allows"
            ) == true
        )
    }

    @Test func inconsistentDescriptorsAreViolations() {
        #expect(
            violation([WireTensor(dtype: "f128", shape: [2], nbytes: 32)], payload: 32)?.contains("unknown dtype")
                == true
        )
        #expect(
            violation([WireTensor(dtype: "f32", shape: [-1, 4], nbytes: 16)], payload: 16)?.contains("negative dim")
                == true
        )
        #expect(
            violation([WireTensor(dtype: "f32", shape: [2], nbytes: 9)], payload: 9)?.contains("nbytes 9 != product")
                == true
        )
        #expect(
            violation([WireTensor(dtype: "f32", shape: [2], nbytes: nil)], payload: 8)?.contains("nbytes missing")
                == true
        )
        #expect(
            violation([WireTensor(dtype: "f32", shape: [2], nbytes: 8)], payload: 12)?.contains(
                "sum of nbytes 8 != payload_bytes 12"
            ) == true
        )
        #expect(
            violation([WireTensor(dtype: "f64", shape: [Int.max / 2, 4], nbytes: 8)], payload: 8)?.contains(
                "exceeds the payload cap"
            ) == true
        )
    }
}
