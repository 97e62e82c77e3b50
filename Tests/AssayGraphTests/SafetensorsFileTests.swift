import AssayCore
import Foundation
import Testing

@testable import AssayGraph

/// The safetensors reader: a round trip, and every way a truncated or hostile file must be refused
/// with an error naming the file and the field.
@Suite struct SafetensorsFileTests {
    static let weight = Tensor(dtype: .f32, shape: [2, 3], values: [1, -2, 0.5, .infinity, -0.0, 3])
    static let bias = Tensor(dtype: .bf16, shape: [3], values: [0.25, -1, 7])

    /// A file from a header object and data bytes, the header length as given or the true one.
    static func file(header: String, data: [UInt8], length: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        let size = length ?? UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: size >> (8 * UInt64($0))) } + json + data
    }

    func refusal(_ bytes: [UInt8]) -> String {
        do {
            _ = try SafetensorsFile(bytes: bytes, file: "w.safetensors")
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aWrittenFileReadsBackBitForBit() throws {
        let bytes = try SafetensorsFile.encode(["w": Self.weight, "b": Self.bias], metadata: ["format": "pt"])
        let file = try SafetensorsFile(bytes: bytes, file: "w.safetensors")
        #expect(file.tensors["w"] == Self.weight)
        #expect(file.tensors["b"] == Self.bias)
        #expect(file.metadata == ["format": "pt"])
    }

    @Test func anEmptyFileHasNoTensors() throws {
        #expect(try SafetensorsFile(bytes: Self.file(header: "{}", data: []), file: "e.safetensors").tensors.isEmpty)
    }

    @Test func truncatedAndHostileFilesAreRefusedWithTheirField() throws {
        let good = try SafetensorsFile.encode(["w": Self.weight])
        let w = #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#
        let data = [UInt8](repeating: 0, count: 24)
        let cases: [(String, [UInt8], String)] = [
            (
                "shorter than the length", Array(good.prefix(5)),
                "w.safetensors: 5 bytes: too short for the 8-byte header length"
            ),
            (
                "data cut short", Array(good.dropLast(4)),
                "w.safetensors: w.data_offsets: end 24 runs past the 20 data bytes (file truncated?)"
            ),
            (
                "header length past the end", Self.file(header: w, data: data, length: 4096),
                "w.safetensors: header: header length 4096 runs past the end of the file"
            ),
            (
                "a huge header length", Self.file(header: w, data: data, length: UInt64.max),
                "w.safetensors: header: header length 18446744073709551615 exceeds the limit"
            ),
            ("not JSON", Self.file(header: "{\"w\":", data: data), "w.safetensors: header: is not a JSON object"),
            (
                "unknown dtype",
                Self.file(header: #"{"w":{"dtype":"F8_E4M3","shape":[24],"data_offsets":[0,24]}}"#, data: data),
                "w.safetensors: w.dtype: 'F8_E4M3' is not supported"
            ),
            (
                "size mismatch",
                Self.file(header: #"{"w":{"dtype":"F32","shape":[2,4],"data_offsets":[0,24]}}"#, data: data),
                "w.safetensors: w.data_offsets: span of 24 bytes does not hold F32 [2, 4]"
            ),
            (
                "negative dim",
                Self.file(header: #"{"w":{"dtype":"F32","shape":[-2,3],"data_offsets":[0,24]}}"#, data: data),
                "w.safetensors: w.shape: must be a list of non-negative integers"
            ),
            (
                "boolean dim",
                Self.file(header: #"{"w":{"dtype":"F32","shape":[true,6],"data_offsets":[0,24]}}"#, data: data),
                "w.safetensors: w.shape: must be a list of non-negative integers"
            ),
            (
                "reversed offsets",
                Self.file(header: #"{"w":{"dtype":"F32","shape":[0],"data_offsets":[24,0]}}"#, data: data),
                "w.safetensors: w.data_offsets: must be [begin, end]"
            ),
            (
                "overlap",
                Self.file(
                    header:
                        #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#,
                    data: data
                ), "w.safetensors: b.data_offsets: overlaps the tensor before it"
            ),
            (
                "hole",
                Self.file(
                    header:
                        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}"#,
                    data: data
                ), "w.safetensors: b.data_offsets: leaves a gap of 8 bytes"
            ),
            (
                "trailing bytes", Self.file(header: w, data: data + [0, 0]),
                "w.safetensors: 2 data bytes after the last tensor belong to none"
            ),
            (
                "unknown key",
                Self.file(header: #"{"w":{"dtype":"F32","shape":[6],"data_offsets":[0,24],"offset":0}}"#, data: data),
                "w.safetensors: w.offset: unknown key"
            ),
            (
                "bad metadata", Self.file(header: #"{"__metadata__":{"n":1}}"#, data: []),
                "w.safetensors: __metadata__: must map strings to strings"
            ),
        ]
        for (what, bytes, message) in cases {
            let got = refusal(bytes)
            #expect(got.hasPrefix(message), "\(what): \(got)")
        }
    }
}
