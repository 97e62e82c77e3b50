import AssayTestSupport
import Foundation
import Testing
@testable import AssayCore
@testable import AssayOps

/// The float64 references agree with numpy on the same inputs. Runs where python3 has numpy
/// (CI installs it); skipped with a note elsewhere.
@Suite struct NumpyAgreementTests {
    /// numpy formulas per op, each reading `x` (the list of inputs) and `attrs`.
    static let script = #"""
    import json, sys, math
    import numpy as np
    job = json.load(sys.stdin)
    op, a = job["op"], job["attrs"]
    x = [np.array(t["data"], dtype=np.float64).reshape(t["shape"]) for t in job["inputs"]]
    def softmax(v, axis):
        e = np.exp(v - v.max(axis=axis, keepdims=True)); return e / e.sum(axis=axis, keepdims=True)
    if op == "matmul":
        A = np.swapaxes(x[0], -1, -2) if a.get("transpose_a") else x[0]
        B = np.swapaxes(x[1], -1, -2) if a.get("transpose_b") else x[1]
        y = A @ B
    elif op == "linear": y = x[0] @ x[1].T + (x[2] if len(x) > 2 else 0)
    elif op == "conv2d":
        (sh, sw), (ph, pw), (dh, dw), g = a["stride"], a["padding"], a["dilation"], a["groups"]
        inp = np.pad(x[0], ((0,0),(0,0),(ph,ph),(pw,pw))); w = x[1]
        n, c, h, ww = inp.shape; f, cg, kh, kw = w.shape
        oh = (h - dh*(kh-1) - 1)//sh + 1; ow = (ww - dw*(kw-1) - 1)//sw + 1
        y = np.zeros((n, f, oh, ow))
        for fi in range(f):
            gi = fi // (f // g)
            for ky in range(kh):
                for kx in range(kw):
                    patch = inp[:, gi*cg:(gi+1)*cg, ky*dh: ky*dh + sh*(oh-1)+1: sh, kx*dw: kx*dw + sw*(ow-1)+1: sw]
                    y[:, fi] += np.einsum("nchw,c->nhw", patch, w[fi, :, ky, kx])
    elif op == "scaled_dot_product_attention":
        q, k, v = x; d = q.shape[-1]; scale = a.get("scale", 1/math.sqrt(d))
        s = q @ np.swapaxes(k, -1, -2) * scale
        if a.get("causal"): s = np.where(np.tril(np.ones(s.shape[-2:], dtype=bool)), s, -np.inf)
        y = softmax(s, -1) @ v
    elif op == "softmax": y = softmax(x[0], a["axis"])
    elif op == "log_softmax": y = np.log(softmax(x[0], a["axis"]))
    elif op == "layer_norm":
        m = x[0].mean(-1, keepdims=True); var = x[0].var(-1, keepdims=True)
        y = (x[0]-m)/np.sqrt(var + a["eps"])*x[1] + x[2]
    elif op == "rms_norm": y = x[0]/np.sqrt((x[0]**2).mean(-1, keepdims=True) + a["eps"])*x[1]
    elif op == "gelu":
        if a["approximate"] == "tanh": y = 0.5*x[0]*(1+np.tanh(math.sqrt(2/math.pi)*(x[0]+0.044715*x[0]**3)))
        else: y = 0.5*x[0]*(1+np.vectorize(math.erf)(x[0]/math.sqrt(2)))
    elif op == "silu": y = x[0]/(1+np.exp(-x[0]))
    elif op == "relu": y = np.maximum(x[0], 0)
    elif op == "add": y = x[0] + x[1]
    elif op == "mul": y = x[0] * x[1]
    elif op == "reduce_sum": y = x[0].sum(axis=tuple(a["axes"]), keepdims=a["keepdim"])
    elif op == "reduce_mean": y = x[0].mean(axis=tuple(a["axes"]), keepdims=a["keepdim"])
    elif op == "embedding": y = x[1][x[0].astype(np.int64)]
    elif op == "rotary_embedding":
        xx, c, s = x; d = xx.shape[-1]; c = c[:, None, :]; s = s[:, None, :]
        if a["interleaved"]: x1, x2 = xx[..., 0::2], xx[..., 1::2]
        else: x1, x2 = xx[..., :d//2], xx[..., d//2:]
        o1, o2 = x1*c - x2*s, x2*c + x1*s
        y = np.empty_like(xx)
        if a["interleaved"]: y[..., 0::2], y[..., 1::2] = o1, o2
        else: y[..., :d//2], y[..., d//2:] = o1, o2
    elif op == "transpose": y = np.transpose(x[0], a.get("perm"))
    elif op == "copy": y = x[0].copy()
    elif op == "matmul_int8": y = x[0] @ x[1]
    json.dump({"shape": list(np.shape(y)), "data": np.asarray(y, dtype=np.float64).ravel().tolist()}, sys.stdout)
    """#

    static let cases: [(String, AttrMap, AttrMap, DType)] = [
        ("matmul", ["b": .int(2), "m": .int(9), "n": .int(7), "k": .int(13)], ["transpose_a": .bool(true)], .f32),
        ("matmul", ["m": .int(17), "n": .int(5), "k": .int(33)], ["transpose_b": .bool(true)], .bf16),
        ("linear", ["m": .int(5), "n": .int(7), "k": .int(11)], [:], .f16),
        ("conv2d", ["n": .int(2), "c": .int(4), "h": .int(9), "w": .int(8), "f": .int(6), "kh": .int(3), "kw": .int(2)],
         ["stride": .ints([2, 1]), "padding": .ints([1, 2]), "dilation": .ints([1, 2]), "groups": .int(2), "bias": .bool(false)], .f32),
        ("scaled_dot_product_attention", ["b": .int(1), "h": .int(2), "s": .int(5), "t": .int(7), "d": .int(4)], ["causal": .bool(true)], .f32),
        ("scaled_dot_product_attention", ["b": .int(1), "h": .int(1), "s": .int(6), "d": .int(8)], ["scale": .double(0.3)], .f64),
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
        let inputs = InputGenerator.inputs(for: problem, values: .random, seed: 7, caseID: "numpy/\(name)/\(index)", specials: .none)
        let reference = op.reference(problem, inputs: inputs.map(RefTensor.init))
        let job: [String: Any] = [
            "op": name,
            "attrs": problem.attrs.mapValues(\.jsonValue),
            "inputs": inputs.map { ["shape": $0.shape.dims, "data": $0.values()] },
        ]
        let python = try Python.run(Self.script, input: try JSONSerialization.data(withJSONObject: job), standardError: .discarded)
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
