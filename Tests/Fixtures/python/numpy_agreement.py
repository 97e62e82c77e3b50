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
