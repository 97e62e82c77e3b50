import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps

/// The float64 references agree with numpy on the same inputs. Runs where python3 has numpy
/// (CI installs it); skipped with a note elsewhere.
@Suite struct NumpyAgreementTests {
    /// numpy formulas per op, each reading `x` (the list of inputs) and `attrs`.
    static let script = Python.script(named: "numpy_agreement.py")

    static let cases: [(String, AttrMap, AttrMap, DType)] = [
        ("matmul", ["b": .int(2), "m": .int(9), "n": .int(7), "k": .int(13)], ["transpose_a": .bool(true)], .f32),
        ("matmul", ["m": .int(17), "n": .int(5), "k": .int(33)], ["transpose_b": .bool(true)], .bf16),
        ("linear", ["m": .int(5), "n": .int(7), "k": .int(11)], [:], .f16),
        (
            "conv2d",
            ["n": .int(2), "c": .int(4), "h": .int(9), "w": .int(8), "f": .int(6), "kh": .int(3), "kw": .int(2)],
            [
                "stride": .ints([2, 1]), "padding": .ints([1, 2]), "dilation": .ints([1, 2]), "groups": .int(2),
                "bias": .bool(false),
            ], .f32
        ),
        (
            "scaled_dot_product_attention", ["b": .int(1), "h": .int(2), "s": .int(5), "t": .int(7), "d": .int(4)],
            ["causal": .bool(true)], .f32
        ),
        (
            "scaled_dot_product_attention", ["b": .int(1), "h": .int(1), "s": .int(6), "d": .int(8)],
            ["scale": .double(0.3)], .f64
        ),
        ("softmax", ["shape": .ints([3, 4, 5])], ["axis": .int(1)], .f32),
        ("log_softmax", ["shape": .ints([4, 9])], [:], .f32),
        ("layer_norm", ["shape": .ints([3, 16])], [:], .f32),
        ("rms_norm", ["shape": .ints([3, 16])], [:], .bf16),
        ("gelu", ["shape": .ints([50])], ["approximate": .string("none")], .f32),
        ("gelu", ["shape": .ints([50])], ["approximate": .string("tanh")], .f32),
        ("silu", ["shape": .ints([50])], [:], .f16),
        ("relu", ["shape": .ints([50])], [:], .f32),
        ("add", ["a": .ints([4, 1, 3]), "b": .ints([5, 3])], [:], .f32),
        ("mul", ["a": .ints([2, 3]), "b": .ints([3])], [:], .f32),
        ("reduce_sum", ["shape": .ints([3, 4, 5])], ["axes": .ints([0, 2]), "keepdim": .bool(true)], .f32),
        ("reduce_mean", ["shape": .ints([3, 4, 5])], ["axes": .ints([1])], .f32),
        ("embedding", ["vocab": .int(20), "dim": .int(6), "tokens": .int(9)], [:], .f32),
        ("rotary_embedding", ["s": .int(5), "h": .int(2), "d": .int(8)], ["interleaved": .bool(true)], .f32),
        ("rotary_embedding", ["s": .int(5), "h": .int(2), "d": .int(8)], [:], .f32),
        ("transpose", ["shape": .ints([2, 3, 4])], ["perm": .ints([1, 2, 0])], .f32),
        ("copy", ["shape": .ints([7])], [:], .f32),
        ("matmul_int8", ["m": .int(5), "n": .int(6), "k": .int(7)], [:], .int8),
    ]

    @Test(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not installed"), arguments: 0..<cases.count)
    func referenceAgreesWithNumpy(index: Int) throws {
        let (name, params, attrs, dtype) = Self.cases[index]
        let catalogue = OpCatalogue.standard
        let problem = try catalogue.problem(op: name, params: params, attrs: attrs, dtype: dtype)
        let op = try catalogue.op(named: name)
        let inputs = InputGenerator.inputs(
            for: problem,
            values: .random,
            seed: 7,
            caseID: "numpy/\(name)/\(index)",
            specials: .none
        )
        let reference = op.reference(problem, inputs: inputs.map(RefTensor.init))
        let job: [String: Any] = [
            "op": name,
            "attrs": problem.attrs.mapValues(\.jsonValue),
            "inputs": inputs.map { ["shape": $0.shape.dims, "data": $0.values()] },
        ]
        let python = try Python.run(
            Self.script,
            input: try JSONSerialization.data(withJSONObject: job),
            standardError: .discarded
        )
        try #require(python.status == 0, "python3 exited with status \(python.status)")
        let numpy = try #require(try JSONSerialization.jsonObject(with: python.data) as? [String: Any])
        #expect(numpy["shape"] as? [Int] == reference.shape, "\(name) shape")
        let values = try #require(numpy["data"] as? [Double])
        #expect(values.count == reference.data.count)
        for (ours, theirs) in zip(reference.data, values) {
            #expect(abs(ours - theirs) <= 1e-9 * Swift.max(1, abs(theirs)), "\(name): \(ours) vs numpy \(theirs)")
        }
    }
}

extension AttrValue {
    /// The value as JSONSerialization accepts it.
    var jsonValue: Any {
        switch self {
        case .int(let v): return v
        case .double(let v): return v
        case .bool(let v): return v
        case .string(let v): return v
        case .ints(let v): return v
        }
    }
}
