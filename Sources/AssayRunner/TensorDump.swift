import AssayCore
import AssayOps
import Foundation

/// `--dump-tensors DIR`: each failing conformance case's inputs, float64 reference and the
/// backend's output as .npy files, listed in `DIR/index.jsonl` (one JSON object per case).
struct TensorDump {
    let directory: URL

    /// A case id as a file-name stem: `/` and anything outside [A-Za-z0-9._=,-] become `_`.
    static func stem(_ caseID: String) -> String {
        String(
            caseID.unicodeScalars.map { scalar -> Character in
                let allowed = CharacterSet.alphanumerics.contains(scalar) || "._=,-".unicodeScalars.contains(scalar)
                return scalar.isASCII && allowed ? Character(scalar) : "_"
            }
        )
    }

    struct Entry: Codable {
        var id: String
        var op: String
        var dtype: String
        /// Input name → file, in the op's input order.
        var inputs: [[String]]
        var expected: String
        var actual: String
        var note: String?
    }

    func write(caseID: String, problem: OpProblem, inputs: [Tensor], expected: RefTensor, actual: Tensor) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = Self.stem(caseID)
        var entry = Entry(
            id: caseID,
            op: problem.op,
            dtype: problem.dtype.rawValue,
            inputs: [],
            expected: "\(stem).expected.npy",
            actual: "\(stem).actual.npy",
            note: problem.dtype == .bf16
                ? "bf16 tensors are stored as float32 (exact); the reference is float64" : "the reference is float64"
        )
        for (index, (spec, tensor)) in zip(problem.inputs, inputs).enumerated() {
            let file = "\(stem).input\(index).\(spec.name).npy"
            try NumpyArray.encode(tensor).write(to: directory.appendingPathComponent(file))
            entry.inputs.append([spec.name, file])
        }
        try NumpyArray.encode(float64: expected.data, shape: expected.shape).write(
            to: directory.appendingPathComponent(entry.expected)
        )
        try NumpyArray.encode(actual).write(to: directory.appendingPathComponent(entry.actual))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(entry)
        line.append(0x0A)
        let index = directory.appendingPathComponent("index.jsonl")
        if let handle = try? FileHandle(forWritingTo: index) {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
        } else {
            try line.write(to: index)
        }
    }
}
