import AssayCore
import AssayOps
import Foundation

/// Parsing and validation: every error names file:line and the field (docs/FORMATS.md, "Graphs").
extension Graph {
    /// Parses, validates and, when weights come from a `.safetensors` file, checks that file
    /// holds each of them with the declared dtype and shape.
    /// `dims` and `dtype` override the file's `dims:` and `dtype:` (a suite's sizes and dtypes).
    public static func load(
        contentsOf url: URL,
        displayName: String? = nil,
        catalogue: OpCatalogue = .standard,
        dims: [String: Int] = [:],
        dtype: DType? = nil
    ) throws -> Graph {
        let (root, _) = try YAMLValue.load(contentsOf: url, displayName: displayName)
        let graph = try parse(root, catalogue: catalogue, dims: dims, dtype: dtype)
        if let weightsFile = graph.weightsFile {
            let location = url.deletingLastPathComponent().appendingPathComponent(weightsFile)
            try graph.check(try SafetensorsFile.load(contentsOf: location, displayName: weightsFile))
        }
        return graph
    }

    public static func parse(
        text: String,
        file: String,
        catalogue: OpCatalogue = .standard,
        dims: [String: Int] = [:],
        dtype: DType? = nil
    ) throws -> Graph {
        try parse(try YAMLValue.load(text: text, file: file), catalogue: catalogue, dims: dims, dtype: dtype)
    }

    /// Each `file` weight present in `weights` with its declared dtype and shape.
    public func check(_ weights: SafetensorsFile) throws {
        for weight in fileWeights {
            let name = weight.spec.name
            guard let tensor = weights.tensors[name] else {
                throw InputError(
                    file: file,
                    line: weight.line,
                    field: "weights.\(name)",
                    message:
                        "not in \(weightsFile ?? "the weights file") (it holds \(weights.tensors.keys.sorted().prefix(8).joined(separator: ", ")))"
                )
            }
            guard tensor.dtype == weight.spec.dtype, tensor.shape == weight.spec.shape else {
                throw InputError(
                    file: file,
                    line: weight.line,
                    field: "weights.\(name)",
                    message:
                        "\(weightsFile ?? "the weights file") holds it as \(tensor.dtype.rawValue) \(tensor.shape.dims), declared \(weight.spec.dtype.rawValue) \(weight.spec.shape.dims)"
                )
            }
        }
    }

    var fileWeights: [Weight] { weights.filter { $0.initialisation == .file } }

    static func parse(
        _ root: YAMLValue,
        catalogue: OpCatalogue,
        dims overrides: [String: Int] = [:],
        dtype override: DType? = nil
    ) throws -> Graph {
        let top = try root.mapping(allowed: [
            "id", "title", "source", "dtype", "seed", "weights_file", "dims", "inputs", "weights", "nodes", "outputs",
        ])
        let id = try top.required("id").identifier()
        let dtype = try override ?? top["dtype"].map(Self.dtype) ?? .f32
        var dims: [String: Int] = [:]
        for (name, value) in try top["dims"]?.freeMapping() ?? [] { dims[name] = try value.positiveInt() }
        for (name, size) in overrides {
            guard dims[name] != nil else {
                throw InputError(
                    file: root.file,
                    line: top["dims"]?.line ?? root.line,
                    field: "dims",
                    message: "has no dim '\(name)' to set (it has \(dims.keys.sorted().joined(separator: ", ")))"
                )
            }
            dims[name] = size
        }
        let sizes = DimSizes(dims: dims)
        let seed = UInt64(try top["seed"]?.nonNegativeInt() ?? 0)
        var tensors: [String: TensorSpec] = [:]
        func declare(_ spec: TensorSpec, at value: YAMLValue) throws {
            guard !spec.name.isEmpty else { throw value.error("a tensor name must not be empty") }
            guard tensors[spec.name] == nil else { throw value.error("tensor '\(spec.name)' is already defined") }
            tensors[spec.name] = spec
        }
        func tensor(_ value: YAMLValue, name: String, extra: Set<String>) throws -> (TensorSpec, YAMLMapping) {
            let entry = try value.mapping(allowed: Set(["shape", "dtype"]).union(extra))
            let shapeValue = try entry.required("shape")
            let shape = try sizes.ints(shapeValue)
            guard shape.allSatisfy({ $0 >= 0 }) else { throw shapeValue.error("dims must be ≥ 0, found \(shape)") }
            let spec = TensorSpec(name: name, dtype: try entry["dtype"].map(Self.dtype) ?? dtype, shape: Shape(shape))
            guard spec.checkedByteCount != nil else {
                throw shapeValue.error("\(shape) is too large: its byte count overflows")
            }
            return (spec, entry)
        }

        var inputs: [TensorSpec] = []
        var inputValues: [String: GraphInputValues] = [:]
        for (name, value) in try top.required("inputs").freeMapping() {
            let (spec, entry) = try tensor(value, name: name, extra: ["values", "std", "high", "theta", "offset"])
            inputValues[name] = try GraphInputValues.parse(entry, spec: spec, sizes: sizes)
            try declare(spec, at: value)
            inputs.append(spec)
        }
        var weights: [Weight] = []
        for (name, value) in try top["weights"]?.freeMapping() ?? [] {
            var (spec, entry) = try tensor(value, name: name, extra: ["init", "std"])
            spec.role = .parameter
            let initialisation: Initialisation
            switch try entry["init"]?.string() ?? "normal" {
            case "normal": initialisation = .normal(std: try entry["std"]?.nonNegativeDouble() ?? 0.02)
            case "ones": initialisation = .ones
            case "zeros": initialisation = .zeros
            case "file": initialisation = .file
            case let other: throw entry["init"]!.error("unknown init '\(other)' (normal, ones, zeros, file)")
            }
            if let std = entry["std"], initialisation != .normal(std: try std.nonNegativeDouble()) {
                throw std.error("std applies to init normal only")
            }
            guard spec.dtype.isFloatingPoint || initialisation == .file || initialisation == .zeros else {
                throw value.error("a \(spec.dtype.rawValue) weight can only be zeros or come from the weights file")
            }
            try declare(spec, at: value)
            weights.append(Weight(spec: spec, initialisation: initialisation, line: value.line))
        }
        let weightsFile = try top["weights_file"]?.string()
        if weightsFile == nil, let first = weights.first(where: { $0.initialisation == .file }) {
            throw InputError(
                file: root.file,
                line: first.line,
                field: "weights.\(first.spec.name).init",
                message: "init file needs a weights_file (.safetensors) at the top of the graph"
            )
        }

        var nodes: [Node] = []
        for value in try top.required("nodes").sequence() {
            let entry = try value.mapping(allowed: ["name", "op", "inputs", "attrs", "dtype"])
            let name = try entry.required("name").string()
            let opValue = try entry.required("op")
            let op: any Operator
            do { op = try catalogue.op(named: try opValue.string()) } catch let error as OpError {
                throw opValue.error(error.message)
            }
            let inputsValue = try entry.required("inputs")
            let names = try inputsValue.sequence().map { item -> (String, YAMLValue) in (try item.string(), item) }
            let specs = try names.map { name, item -> TensorSpec in
                guard let spec = tensors[name] else {
                    throw item.error("unknown tensor '\(name)' (not an input, weight or earlier node)")
                }
                return spec
            }
            let attrs = try entry["attrs"].map(sizes.attrs) ?? [:]
            // The case dtype: given, else the first float input's (a cast's source), else the graph's.
            let caseDType =
                try entry["dtype"].map(Self.dtype) ?? specs.first(where: { $0.dtype.isFloatingPoint })?.dtype ?? dtype
            guard
                let params = GraphShapes.params(
                    op: op.name,
                    shapes: specs.map(\.shape.dims),
                    attrs: op.attrDefaults.merging(attrs) { $1 }
                )
            else {
                throw inputsValue.error(
                    "\(op.name) cannot read its params (\(op.paramNames.joined(separator: ", "))) from inputs of shapes \(specs.map { $0.shape.dims })"
                )
            }
            let problem: OpProblem
            do {
                problem = try catalogue.problem(op: op.name, params: params, attrs: attrs, dtype: caseDType)
            } catch let error as OpError {
                throw
                    (error.field == "attrs"
                    ? entry["attrs"] ?? value : error.field == "dtypes" ? entry["dtype"] ?? inputsValue : inputsValue)
                    .error(error.message)
            }
            guard problem.inputs.count == specs.count else {
                throw inputsValue.error(
                    "\(op.name) takes \(problem.inputs.count) inputs (\(problem.inputs.map(\.name).joined(separator: ", "))), got \(specs.count)"
                )
            }
            for ((spec, expected), (inputName, item)) in zip(zip(specs, problem.inputs), names)
            where spec.dtype != expected.dtype || spec.shape != expected.shape {
                throw item.error(
                    "'\(inputName)' is \(spec.dtype.rawValue) \(spec.shape.dims); \(op.name)'s \(expected.name) must be \(expected.dtype.rawValue) \(expected.shape.dims)"
                )
            }
            try declare(
                TensorSpec(name: name, dtype: problem.output.dtype, shape: problem.output.shape),
                at: entry.required("name")
            )
            nodes.append(Node(name: name, inputs: names.map(\.0), problem: problem, line: value.line))
        }
        let outputsValue = try top.required("outputs")
        let outputs = try outputsValue.sequence().map { item -> String in
            let name = try item.string()
            guard tensors[name] != nil else { throw item.error("unknown tensor '\(name)'") }
            return name
        }
        guard !outputs.isEmpty else { throw outputsValue.error("a graph needs at least one output") }
        return Graph(
            id: id,
            file: root.file,
            dtype: dtype,
            seed: seed,
            dims: dims,
            inputs: inputs,
            inputValues: inputValues,
            weights: weights,
            nodes: nodes,
            outputs: outputs,
            weightsFile: weightsFile,
            tensors: tensors
        )
    }

    static func dtype(_ value: YAMLValue) throws -> DType {
        let name = try value.string()
        guard let dtype = DType(rawValue: name) else {
            throw value.error("unknown dtype '\(name)' (\(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return dtype
    }
}
