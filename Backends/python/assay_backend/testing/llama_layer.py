"""A LLaMA decoder layer (RMSNorm, RoPE, GQA by head repeat, causal attention, SwiGLU MLP,
residuals) as an Assay graph: catalogue ops in the JSON `load_graph` carries (docs/PROTOCOL.md,
"Feature graph"), at real configurations or a toy one. The SDK's graph tests and
Benchmarks/models use it."""
import numpy as np

# Real configurations (the config.json of each model on the Hugging Face hub).
CONFIGS = {
    # TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T: LLaMA-2 architecture with GQA
    "tinyllama-1.1b": dict(hidden=2048, heads=32, kv_heads=4, ffn=5632, eps=1e-5, theta=10000.0),
    # meta-llama/Meta-Llama-3-8B
    "llama-3-8b": dict(hidden=4096, heads=32, kv_heads=8, ffn=14336, eps=1e-5, theta=500000.0),
}
TOY = dict(hidden=16, heads=4, kv_heads=2, ffn=24, eps=1e-6, theta=10000.0)  # for the tests
WEIGHTS = ("n1", "wq", "wk", "wv", "wo", "n2", "wg", "wu", "wd")


def weight_shapes(c):
    d, dh = c["hidden"], c["hidden"] // c["heads"]
    return {"n1": [d], "wq": [c["heads"] * dh, d], "wk": [c["kv_heads"] * dh, d], "wv": [c["kv_heads"] * dh, d],
            "wo": [d, c["heads"] * dh], "n2": [d], "wg": [c["ffn"], d], "wu": [c["ffn"], d], "wd": [d, c["ffn"]]}


def weights(c, seed=0):
    """Normal(0, 0.02) matrices (LLaMA's initializer range), ones for the norm gains, f32."""
    rng = np.random.default_rng(seed)
    out = []
    for name, shape in weight_shapes(c).items():
        out.append(np.ones(shape, np.float32) if name in ("n1", "n2")
                   else (rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)))
    return out


def graph(c, seq, dtype="f32"):
    """The layer on `seq` tokens (batch 1) as catalogue ops; inputs x [seq, hidden] and the RoPE
    tables cos, sin [seq, head_dim/2] (the catalogue's rotary_embedding pairs the two halves)."""
    d, h, kv = c["hidden"], c["heads"], c["kv_heads"]
    dh = d // h
    t = lambda name, shape: {"name": name, "dtype": dtype, "shape": shape}
    n = lambda name, op, inputs, **attrs: {"name": name, "op": op, "dtype": dtype, "inputs": inputs, "attrs": attrs}
    return {
        "id": "llama-layer-prefill-s%d" % seq,
        "inputs": [t("x", [seq, d]), t("cos", [seq, dh // 2]), t("sin", [seq, dh // 2])],
        "weights": [t(name, shape) for name, shape in weight_shapes(c).items()],
        "nodes": [
            n("h", "rms_norm", ["x", "n1"], eps=c["eps"]),
            n("q", "linear", ["h", "wq"], bias=False),
            n("k", "linear", ["h", "wk"], bias=False),
            n("v", "linear", ["h", "wv"], bias=False),
            n("q3", "reshape", ["q"], to=[seq, h, dh]),
            n("k3", "reshape", ["k"], to=[seq, kv, dh]),
            n("v3", "reshape", ["v"], to=[seq, kv, dh]),
            n("qr", "rotary_embedding", ["q3", "cos", "sin"]),
            n("kr", "rotary_embedding", ["k3", "cos", "sin"]),
            n("qt", "transpose", ["qr"], perm=[1, 0, 2]),
            n("kt", "transpose", ["kr"], perm=[1, 0, 2]),
            n("vt", "transpose", ["v3"], perm=[1, 0, 2]),
            n("q4", "reshape", ["qt"], to=[1, h, seq, dh]),
            n("k4", "reshape", ["kt"], to=[1, kv, seq, dh]),
            n("v4", "reshape", ["vt"], to=[1, kv, seq, dh]),
            n("kg", "repeat_interleave", ["k4"], repeats=h // kv, axis=1),
            n("vg", "repeat_interleave", ["v4"], repeats=h // kv, axis=1),
            n("a", "scaled_dot_product_attention", ["q4", "kg", "vg"], causal=True),
            n("a3", "reshape", ["a"], to=[h, seq, dh]),
            n("at", "transpose", ["a3"], perm=[1, 0, 2]),
            n("a2", "reshape", ["at"], to=[seq, h * dh]),
            n("o", "linear", ["a2", "wo"], bias=False),
            n("x2", "add", ["x", "o"]),
            n("h2", "rms_norm", ["x2", "n2"], eps=c["eps"]),
            n("g", "linear", ["h2", "wg"], bias=False),
            n("u", "linear", ["h2", "wu"], bias=False),
            n("sg", "silu", ["g"]),
            n("m", "mul", ["sg", "u"]),
            n("dn", "linear", ["m", "wd"], bias=False),
            n("y", "add", ["x2", "dn"]),
        ],
        "outputs": ["y"],
    }


def rope_tables(c, seq):
    """cos and sin [seq, head_dim/2] of the layer's RoPE (theta from the config), float64."""
    dh = c["hidden"] // c["heads"]
    inv = c["theta"] ** (-np.arange(0, dh, 2) / dh)
    angles = np.arange(seq)[:, None] * inv[None, :]
    return np.cos(angles), np.sin(angles)
