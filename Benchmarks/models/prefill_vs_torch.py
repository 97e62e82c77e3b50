"""Decoder-layer prefill tokens/s through Assay itself (the `assay` binary running a model
performance case, `measure: performance`, on the torch-cpu plugin; the figure read from its
run.json) beside the same layer written directly in torch eager in this process, and the native
backend's tokens/s (the same case through `assay` on local-cpu), in one run (issue 17: the
harness should add no overhead, goal within 3%).

    python3 Benchmarks/models/prefill_vs_torch.py [--config tinyllama-1.1b] [--seq 128,512]
        [--threads N] [--rounds 6] [--time-cap 20] [--assay .build/release/assay]

The layer (batch 1, f32) is written as an Assay graph file from `llama_layer.graph`; each round
runs, per sequence length, `assay run` on torch-cpu and the direct torch layer (in that order in
odd rounds, the other way in even ones), then `assay run` on local-cpu, so load and drift on a
shared machine hit all sides alike. Same conditions on the two torch sides: each is a fresh
process (the plugin that `assay run` starts; this script started again as `--direct-worker`, so
a process's memory placement, which moves a layer's time by up to 20% here, is drawn anew on
both sides), with the same thread count (OMP_NUM_THREADS; the plugin reports its count in its
hello), glibc's malloc thresholds pinned as the SDK pins them, one warm-up, then the k and the
number of samples the harness's sampler chose in that round (from run.json), each sample k
back-to-back runs on time.perf_counter_ns with Python's garbage collector off (the SDK's
`time_host`, which the plugin's `benchmark_graph` uses too); tokens/s = seq / median time per
run; the verdict is the median of the per-round ratios, printed beside the same ratio taken at
the samples' 10% quantile (this machine's noise is slowdowns lasting seconds, which move a
median by up to 25% and a low quantile by a few percent). Weights: seeded normal (std 0.02) on
both sides, values differ (Assay's SplitMix64, numpy's generator); f32 dense work does not
depend on them. Before timing, the plugin's `run_graph` output is checked against the direct
layer on the same input and real RoPE tables (a direct client, as the harness does not expose a
layer's output). Exits 0 with a note when torch is not importable."""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Backends", "python"))  # the SDK and torch_backend.py

import numpy as np  # noqa: E402

from assay_backend import allocator, encode_tensors  # noqa: E402
from assay_backend.testing import llama_layer  # noqa: E402
from assay_backend.testing.client import Client  # noqa: E402
from assay_backend.timing import collector_paused, time_host  # noqa: E402

try:
    import torch
except ImportError:
    print("torch not importable: decoder-layer prefill vs torch eager skipped")
    sys.exit(0)


def torch_layer(c, tensors):
    """The layer written directly in torch eager (no Assay code): a function (x, cos, sin) -> y
    with x [seq, hidden] and cos, sin [seq, head_dim] (the halves' table repeated), as Hugging
    Face's LlamaDecoderLayer writes it: rotate_half RoPE, repeat_kv, SDPA, SwiGLU."""
    F = torch.nn.functional
    n1, wq, wk, wv, wo, n2, wg, wu, wd = tensors
    d, h, kv = c["hidden"], c["heads"], c["kv_heads"]
    dh, eps = d // h, c["eps"]

    def rotate_half(t):
        return torch.cat((-t[..., dh // 2:], t[..., :dh // 2]), dim=-1)

    def layer(x, cos, sin):
        s = x.shape[0]
        hs = F.rms_norm(x, (d,), n1, eps)
        q = F.linear(hs, wq).view(s, h, dh).transpose(0, 1)
        k = F.linear(hs, wk).view(s, kv, dh).transpose(0, 1)
        v = F.linear(hs, wv).view(s, kv, dh).transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(h // kv, dim=0)
        v = v.repeat_interleave(h // kv, dim=0)
        a = F.scaled_dot_product_attention(q.unsqueeze(0), k.unsqueeze(0), v.unsqueeze(0), is_causal=True)
        x = x + F.linear(a[0].transpose(0, 1).reshape(s, d), wo)
        hs = F.rms_norm(x, (d,), n2, eps)
        return x + F.linear(F.silu(F.linear(hs, wg)) * F.linear(hs, wu), wd)
    return layer


def plugin(threads):
    env = {"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    client = Client([os.path.join(ROOT, "Backends", "python", "torch_backend.py"), "--device", "cpu"], env=env,
                    hello=False)
    client.send({"type": "hello", "protocol": 1, "minor": 1, "features": ["graph"], "harness": "prefill-bench",
                 "options": {}})
    hello = client.recv()[0]
    if "graph" not in hello.get("features", []):
        sys.exit("the torch plugin did not agree to feature graph: %s" % hello)
    return client, hello


def request(client, header, field=None, arrays=()):
    descs, bufs, total = encode_tensors(list(arrays))
    header = dict(header, id=client.next_id, payload_bytes=total)
    if field:
        header[field] = descs
    client.next_id += 1
    client.send_raw(json.dumps(header).encode() + b"\n" + b"".join(bytes(b) for b in bufs))
    reply, outputs = client.recv()
    if reply.get("type") == "error":
        sys.exit("plugin error on %s: %s" % (header["type"], reply))
    return reply, outputs


#: The low quantile compared beside the median. This machine's noise is slowdowns that come and
#: go over seconds (blocks of 40 runs in one process: medians 76.5-97.5 ms, minima 74.3-78.1
#: ms); a low quantile of the same samples on both sides is what that noise hardly moves.
LOW_QUANTILE = 0.1


def tokens_per_s(seq, samples_ns, q=None):
    """seq / the median (or the q quantile) of per-run times in ns."""
    at = statistics.median(samples_ns) if q is None else sorted(samples_ns)[int(q * (len(samples_ns) - 1))]
    return seq / at * 1e9


def dispatch_s():
    """What the plugin's graph executor costs per layer run beyond the ops: the toy layer (the
    same 30 nodes on tiny tensors, where the ops cost next to nothing) through the torch
    backend's executor in this process, and the same toy layer written directly; best of many
    repetitions, which load on the machine hardly moves. Returns (executor s, direct s)."""
    from assay_backend.graph import Graph
    from torch_backend import TorchBackend
    toy, seq = llama_layer.TOY, 6
    backend = TorchBackend({})
    backend.configure({"device": "cpu"})
    graph = Graph(llama_layer.graph(toy, seq))
    weights = llama_layer.weights(toy)
    held = {name: backend.graph_tensor(w, keep=True) for (name, _), w in zip(graph.weights, weights)}
    runner, _ = backend.graph_runner(graph, held)
    cos, sin = llama_layer.rope_tables(toy, seq)
    x = np.random.default_rng(0).random((seq, toy["hidden"]), dtype=np.float32)
    inputs = [backend.graph_tensor(a.astype(np.float32)) for a in (x, cos, sin)]
    direct = torch_layer(toy, [torch.from_numpy(w.copy()) for w in weights])
    tables = [torch.from_numpy(np.concatenate([t, t], -1).astype(np.float32)) for t in (cos, sin)]

    def best(fn, k=50, repeats=40):
        with torch.no_grad(), collector_paused():
            fn()
            return min(time_host(fn, k) for _ in range(repeats)) / k / 1e9
    return best(lambda: runner(inputs, ())), best(lambda: direct(torch.from_numpy(x), *tables))


def graph_yaml(c, seq, config):
    """The layer as an Assay graph file (docs/FORMATS.md, "Graphs"): `llama_layer.graph`'s nodes,
    weights seeded normal with std 0.02 (norm gains ones), RoPE tables generated by the harness."""
    g = llama_layer.graph(c, seq)
    lines = ["id: %s-layer-s%d" % (config, seq), "title: %s decoder layer, prefill of %d tokens" % (config, seq),
             "source: Backends/python/assay_backend/testing/llama_layer.py (%s)" % config, "dtype: f32", "seed: 1",
             "dims: {seq: %d}" % seq,  # the tokens of a prefill run; the shapes below are literal
             "inputs:", "  x: {shape: %s}" % g["inputs"][0]["shape"]]
    for name in ("cos", "sin"):
        lines.append("  %s: {shape: %s, values: rope_%s, theta: %r}" % (name, [seq, c["hidden"] // c["heads"] // 2],
                                                                      name, float(c["theta"])))
    lines.append("weights:")
    for w in g["weights"]:
        lines.append("  %s: {shape: %s%s}" % (w["name"], w["shape"], ", init: ones" if len(w["shape"]) == 1 else ""))
    lines.append("nodes:")
    for node in g["nodes"]:
        lines.append("  - %s" % json.dumps({"name": node["name"], "op": node["op"], "inputs": node["inputs"],
                                             "attrs": node["attrs"]}))
    lines.append("outputs: %s" % json.dumps(g["outputs"]))
    return "\n".join(lines) + "\n"


def assay_case(binary, folder, target, suite, env):
    """Runs the model performance suite through `assay run`; the case's figures from run.json:
    (tokens/s, k, samples, execution, the samples in ns per run)."""
    out = os.path.join(folder, "Reports")
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([binary, "run", "--target", target, "--suite", suite, "--out", out, "--no-ceilings",
                           "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    runs = glob.glob(os.path.join(out, "*", "*", "run.json"))
    if not runs:
        sys.exit("assay run on %s left no run.json: %s" % (target, done.stderr[-2000:]))
    case = json.load(open(runs[0]))["cases"][0]
    figures = case.get("modelPerformance") or {}
    if case["outcome"] != "pass" or not figures.get("tokensPerSecond"):
        print("  %s on %s: %s: %s (round left out)" % (case["id"], target, case["outcome"], case.get("message")))
        return None
    record = case["performance"]
    return figures["tokensPerSecond"], record["k"], record["n"], figures["execution"], record["samples"]


def direct_worker(args):
    """The direct side of one round in its own process: the layer in torch eager, one warm-up,
    `--samples` samples of `--k` runs; prints them as JSON, ns per run."""
    allocator.pin_thresholds()
    torch.set_num_threads(args.threads)
    c, seq = llama_layer.CONFIGS[args.config], int(args.seq)
    # weights in torch's own allocator, as the plugin keeps them (graph_tensor(..., keep=True) clones)
    layer = torch_layer(c, [torch.from_numpy(w).clone() for w in llama_layer.weights(c)])
    cos, sin = llama_layer.rope_tables(c, seq)
    tables = [torch.from_numpy(np.concatenate([t, t], -1).astype(np.float32)) for t in (cos, sin)]
    gen = torch.Generator().manual_seed(seq)  # uniform in [-1, 1) and real RoPE tables
    xs = [torch.rand((seq, c["hidden"]), generator=gen) * 2 - 1] + tables
    fn = lambda: layer(*xs)
    with torch.no_grad():
        fn()  # untimed warm-up
        with collector_paused():
            elapsed = [time_host(fn, args.k) for _ in range(args.samples)]
    print(json.dumps({"samples_ns": [e / args.k for e in elapsed]}))


def direct_case(seq, k, samples, args, env):
    """The direct layer's samples (ns per run), timed in a fresh `--direct-worker` process."""
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--direct-worker", "--config", args.config,
                           "--seq", str(seq), "--threads", str(args.threads), "--k", str(k), "--samples",
                           str(samples)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("the direct worker failed at seq %d: %s" % (seq, done.stderr[-2000:]))
    return json.loads(done.stdout.strip().splitlines()[-1])["samples_ns"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", default="tinyllama-1.1b", choices=sorted(llama_layer.CONFIGS))
    p.add_argument("--seq", default="128,512")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--rounds", type=int, default=6)
    p.add_argument("--time-cap", type=float, default=20.0)
    p.add_argument("--assay", default=None, help="the assay binary (default: .build/release/assay, else debug)")
    p.add_argument("--direct-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--k", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--samples", type=int, default=1, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.direct_worker:
        return direct_worker(args)
    allocator.pin_thresholds()  # the direct side's malloc as the plugin's (assay_backend/allocator.py)
    binary = args.assay or next((b for b in (os.path.join(ROOT, ".build", kind, "assay") for kind in
                                             ("release", "debug")) if os.path.exists(b)), None)
    if not binary:
        sys.exit("no assay binary: swift build -c release (or pass --assay)")
    c = llama_layer.CONFIGS[args.config]
    seqs = [int(s) for s in args.seq.split(",")]
    torch.set_num_threads(args.threads)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    folder = tempfile.mkdtemp(prefix="assay-prefill-")
    weights = llama_layer.weights(c)
    client, hello = plugin(args.threads)
    load = os.getloadavg()
    print("decoder layer prefill, %s (hidden %d, %d/%d heads, ffn %d), f32, batch 1, %d threads, torch %s"
          % (args.config, c["hidden"], c["heads"], c["kv_heads"], c["ffn"], args.threads, torch.__version__))
    print("assay: %s; plugin: %s %s, executor threads %s; machine: %d cores, load average %.2f %.2f %.2f at start"
          % (os.path.relpath(binary, ROOT), hello["backend"]["name"], hello["runtime"].get("torch"),
             hello["runtime"].get("threads"), os.cpu_count(), *load))
    direct_weights = [torch.from_numpy(w.copy()) for w in weights]
    layer = torch_layer(c, direct_weights)
    rows = []
    for seq in seqs:
        # the same layer? the plugin's run_graph of this graph against the direct layer on one input
        loaded, _ = request(client, {"type": "load_graph", "graph": llama_layer.graph(c, seq)}, "weights", weights)
        rng = np.random.default_rng(seq)
        x = (rng.random((seq, c["hidden"]), dtype=np.float32) * 2 - 1).astype(np.float32)
        cos, sin = llama_layer.rope_tables(c, seq)
        (_, (y_assay,)) = request(client, {"type": "run_graph", "handle": loaded["handle"]}, "inputs",
                                  [x, cos.astype(np.float32), sin.astype(np.float32)])
        request(client, {"type": "unload", "handle": loaded["handle"]})
        cos_full = torch.from_numpy(np.concatenate([cos, cos], -1).astype(np.float32))
        sin_full = torch.from_numpy(np.concatenate([sin, sin], -1).astype(np.float32))
        with torch.no_grad():
            y_direct = layer(torch.from_numpy(x), cos_full, sin_full).numpy()
        err = float(np.abs(y_assay - y_direct).max() / np.abs(y_direct).max())
        if err > 1e-4:
            sys.exit("seq %d: the plugin's layer differs from the direct one (max rel err %.2e)" % (seq, err))
        graph_path = os.path.join(folder, "layer-s%d.yaml" % seq)
        with open(graph_path, "w") as f:
            f.write(graph_yaml(c, seq, args.config))
        suite = os.path.join(folder, "prefill-s%d.yaml" % seq)
        with open(suite, "w") as f:
            f.write("id: prefill-vs-torch\nkind: model\nseed: 1\nperformance: {time_cap_s: %r, rounds: 1}\ncases:\n"
                    "  - {graph: %s, measure: performance, phase: prefill, dtypes: [f32]}\n"
                    % (args.time_cap, graph_path))
        per_round, last_plan = [], None
        for r in range(args.rounds):
            # the sampler's k and count are known only after an Assay round: the last round's
            direct_first = r % 2 == 1 and last_plan is not None
            if direct_first:
                direct_samples = direct_case(seq, *last_plan, args, env)
            plugin_case = assay_case(binary, folder, "torch-cpu", suite, env)
            if plugin_case is None:
                continue
            assay_tps, k, n, execution, assay_samples = plugin_case
            last_plan = (k, n)
            if not direct_first:
                direct_samples = direct_case(seq, k, n, args, env)
            direct_tps = tokens_per_s(seq, direct_samples)
            low = tokens_per_s(seq, assay_samples, LOW_QUANTILE) / tokens_per_s(seq, direct_samples, LOW_QUANTILE)
            native_case = assay_case(binary, folder, "local-cpu", suite, env)
            native_tps = native_case[0] if native_case else float("nan")
            per_round.append((assay_tps, direct_tps, native_tps, low))
            print("  seq %5d round %d (%s first): assay torch-cpu (%s, k %d, %d samples) %9.1f tok/s  direct %9.1f"
                  " tok/s  ratio %.3f (at q%.2f %.3f)  assay native %9.1f tok/s"
                  % (seq, r + 1, "direct" if direct_first else "assay", execution, k, n, assay_tps, direct_tps,
                     assay_tps / direct_tps, LOW_QUANTILE, low, native_tps))
        if not per_round:
            continue
        ratios = [a / d for a, d, _, _ in per_round]
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        lows = [q for _, _, _, q in per_round]
        rows.append((seq, statistics.median(a for a, _, _, _ in per_round),
                     statistics.median(d for _, d, _, _ in per_round), statistics.median(ratios), quartiles[0],
                     quartiles[-1], statistics.median(lows),
                     statistics.median([nt for _, _, nt, _ in per_round if nt == nt] or [float("nan")])))
    client.close()
    shutil.rmtree(folder, ignore_errors=True)
    print("\n%6s  %26s  %24s  %26s  %14s  %20s" % ("seq", "assay torch-cpu tok/s", "torch eager direct tok/s",
                                                    "assay / direct [quartiles]", "at q%.2f" % LOW_QUANTILE,
                                                    "assay native tok/s"))
    for seq, assay_tps, direct_tps, ratio, low, high, at_low, native_tps in rows:
        print("%6d  %26.1f  %24.1f  %12.3f [%.3f, %.3f]  %14.3f  %20.1f" % (seq, assay_tps, direct_tps, ratio, low,
                                                                            high, at_low, native_tps))
    print("(medians over the rounds; the ratios are medians of per-round ratios: of the medians, and of the"
          " q%.2f quantiles of the same samples)" % LOW_QUANTILE)
    executor, direct = dispatch_s()
    print("\nexecutor dispatch, the toy layer (30 nodes, tiny tensors), best of 40 x 50 runs: plugin executor %.1f us,"
          " direct %.1f us: %+.1f us per layer run" % (executor * 1e6, direct * 1e6, (executor - direct) * 1e6))
    for row in rows:
        seq, direct_tps = row[0], row[2]
        print("  = %.3f%% of the direct layer's time at seq %d" % (100 * (executor - direct) * direct_tps / seq, seq))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
