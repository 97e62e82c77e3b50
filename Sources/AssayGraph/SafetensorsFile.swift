import AssayCore
import Foundation

/// A `.safetensors` file read and validated whole: an 8-byte little-endian header length, a JSON
/// header mapping tensor names to dtype, shape and `data_offsets` (relative to the data after the
/// header), then the raw little-endian data. Every tensor must lie inside the data, match its
/// dtype × shape in size, and not overlap another; errors name the file and the tensor's field.
public struct SafetensorsFile: Sendable {
    /// The largest header accepted (the reference implementation's limit): a hostile length
    /// must not make the reader allocate or parse gigabytes.
    public static let maximumHeaderBytes = 100_000_000

    public let tensors: [String: Tensor]
    /// The header's optional `__metadata__` (string to string).
    public let metadata: [String: String]

    /// The format's dtype names and the ones Assay holds.
    static let dtypes: [String: DType] = [
        "F64": .f64, "F32": .f32, "F16": .f16, "BF16": .bf16, "I32": .int32, "I8": .int8, "BOOL": .bool,
    ]

    public static func load(contentsOf url: URL, displayName: String? = nil) throws -> SafetensorsFile {
        let name = displayName ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw InputError(file: name, message: "cannot read the file")
        }
        return try SafetensorsFile(bytes: [UInt8](data), file: name)
    }

    public init(bytes: [UInt8], file: String) throws {
        func fail(_ field: String?, _ message: String) -> InputError {
            InputError(file: file, field: field, message: message)
        }
        guard bytes.count >= 8 else { throw fail(nil, "\(bytes.count) bytes: too short for the 8-byte header length") }
        let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
        guard length <= UInt64(Self.maximumHeaderBytes) else {
            throw fail("header", "header length \(length) exceeds the limit of \(Self.maximumHeaderBytes) bytes")
        }
        guard Int(length) <= bytes.count - 8 else {
            throw fail(
                "header",
                "header length \(length) runs past the end of the file (\(bytes.count - 8) bytes follow)"
            )
        }
        let headerEnd = 8 + Int(length)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
            let header = object as? [String: Any]
        else {
            throw fail("header", "is not a JSON object")
        }
        let dataBytes = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var spans: [(name: String, range: Range<Int>)] = []
        var tensors: [String: Tensor] = [:]
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any], entries.values.allSatisfy({ $0 is String }) else {
                    throw fail("__metadata__", "must map strings to strings")
                }
                metadata = entries.mapValues { $0 as! String }
                continue
            }
            guard let entry = value as? [String: Any] else {
                throw fail(name, "must be an object with dtype, shape and data_offsets")
            }
            if let unknown = entry.keys.sorted().first(where: { !["dtype", "shape", "data_offsets"].contains($0) }) {
                throw fail("\(name).\(unknown)", "unknown key (allowed: data_offsets, dtype, shape)")
            }
            guard let dtypeName = entry["dtype"] as? String else {
                throw fail("\(name).dtype", "missing or not a string")
            }
            guard let dtype = Self.dtypes[dtypeName] else {
                throw fail(
                    "\(name).dtype",
                    "'\(dtypeName)' is not supported (supported: \(Self.dtypes.keys.sorted().joined(separator: ", ")))"
                )
            }
            guard let shape = Self.integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("\(name).shape", "must be a list of non-negative integers")
            }
            guard let offsets = Self.integers(entry["data_offsets"]), offsets.count == 2, offsets[0] >= 0,
                offsets[0] <= offsets[1]
            else {
                throw fail("\(name).data_offsets", "must be [begin, end] with 0 ≤ begin ≤ end")
            }
            guard offsets[1] <= dataBytes else {
                throw fail(
                    "\(name).data_offsets",
                    "end \(offsets[1]) runs past the \(dataBytes) data bytes (file truncated?)"
                )
            }
            guard let elements = Shape(shape).checkedElementCount,
                case let (size, overflow) = elements.multipliedReportingOverflow(by: dtype.byteWidth),
                !overflow, size == offsets[1] - offsets[0]
            else {
                throw fail(
                    "\(name).data_offsets",
                    "span of \(offsets[1] - offsets[0]) bytes does not hold \(dtypeName) \(shape)"
                )
            }
            spans.append((name, offsets[0]..<offsets[1]))
            tensors[name] = try Tensor(
                dtype: dtype,
                shape: Shape(shape),
                bytes: Array(bytes[(headerEnd + offsets[0])..<(headerEnd + offsets[1])])
            )
        }
        // Tensors must tile the data: no overlap, no hole (the format's own rule).
        var next = 0
        for span in spans.sorted(by: {
            ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound)
        }) {
            guard span.range.lowerBound == next else {
                throw fail(
                    "\(span.name).data_offsets",
                    span.range.lowerBound < next
                        ? "overlaps the tensor before it"
                        : "leaves a gap of \(span.range.lowerBound - next) bytes before it"
                )
            }
            next = span.range.upperBound
        }
        guard next == dataBytes else {
            throw fail(nil, "\(dataBytes - next) data bytes after the last tensor belong to none")
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// JSON integers (not fractions, not booleans).
    static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var out: [Int] = []
        for item in list {
            // A JSON boolean is an NSNumber too (objCType "c"); it is not a dim.
            guard let number = item as? NSNumber, String(cString: number.objCType) != "c",
                number.doubleValue == number.doubleValue.rounded(),
                abs(number.doubleValue) < 9.0e15
            else { return nil }
            out.append(number.intValue)
        }
        return out
    }

    /// The bytes of a file holding `tensors` (sorted by name, packed in that order): what a test or
    /// tool writes, and what `init(bytes:file:)` reads back.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = metadata.isEmpty ? [:] : ["__metadata__": metadata]
        var data: [UInt8] = []
        let names = Self.dtypes.reduce(into: [DType: String]()) { $0[$1.value] = $1.key }
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            header[name] = [
                "dtype": names[tensor.dtype]!, "shape": tensor.shape.dims,
                "data_offsets": [data.count, data.count + tensor.bytes.count],
            ]
            data += tensor.bytes
        }
        let json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let length = UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + data
    }
}
