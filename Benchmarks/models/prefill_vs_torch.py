"""Decoder-layer prefill tokens/s through Assay's torch-cpu backend (the plugin, `load_graph` +
`benchmark_graph`, ABP 1.1 feature graph) beside the same layer written directly in torch eager in
this process, in one run (issue 17: the harness should add no overhead, goal within 3%).

    python3 Benchmarks/models/prefill_vs_torch.py [--config tinyllama-1.1b] [--seq 128,512]
        [--threads N] [--k 1] [--samples 2] [--rounds 11]

Both sides: f32, batch 1, the same weights, the same thread count (the plugin gets it through
OMP_NUM_THREADS and reports it in its hello), inputs uniform in [-1, 1), one untimed warm-up run,
then per sample k back-to-back runs on time.perf_counter_ns with Python's garbage collector off
(the SDK's `time_host`), median over samples. Rounds alternate the two sides, one request of
`samples` samples each, so that load on a shared machine hits both alike: the figure is the
median over rounds of each round's ratio, with its quartiles. Before timing, the plugin's
`run_graph` output is checked against the direct layer on the same input and real RoPE tables.
The native backend's column stays empty until the harness times model graphs itself (its graph
cases, issue 17, harness part). Exits 0 with a note when torch is not importable."""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Backends", "python"))  # the SDK and torch_backend.py

import numpy as np  # noqa: E402

from assay_backend import encode_tensors  # noqa: E402
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


def median_s(elapsed_ns, k):
    return statistics.median(elapsed_ns) / k / 1e9


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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--config", default="tinyllama-1.1b", choices=sorted(llama_layer.CONFIGS))
    p.add_argument("--seq", default="128,512")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--k", type=int, default=1)
    p.add_argument("--samples", type=int, default=2)
    p.add_argument("--rounds", type=int, default=11)
    args = p.parse_args()
    c = llama_layer.CONFIGS[args.config]
    seqs = [int(s) for s in args.seq.split(",")]
    torch.set_num_threads(args.threads)
    weights = llama_layer.weights(c)
    client, hello = plugin(args.threads)
    load = os.getloadavg()
    print("decoder layer prefill, %s (hidden %d, %d/%d heads, ffn %d), f32, batch 1, %d threads, torch %s"
          % (args.config, c["hidden"], c["heads"], c["kv_heads"], c["ffn"], args.threads, torch.__version__))
    print("plugin: %s %s, executor threads %s; machine: %d cores, load average %.2f %.2f %.2f at start"
          % (hello["backend"]["name"], hello["runtime"].get("torch"), hello["runtime"].get("threads"),
             os.cpu_count(), *load))
    direct_weights = [torch.from_numpy(w.copy()) for w in weights]
    layer = torch_layer(c, direct_weights)
    rows = []
    for seq in seqs:
        loaded, _ = request(client, {"type": "load_graph", "graph": llama_layer.graph(c, seq)}, "weights", weights)
        handle = loaded["handle"]
        # the same layer? the plugin's run_graph against the direct layer on one input
        rng = np.random.default_rng(seq)
        x = (rng.random((seq, c["hidden"]), dtype=np.float32) * 2 - 1).astype(np.float32)
        cos, sin = llama_layer.rope_tables(c, seq)
        (_, (y_assay,)) = request(client, {"type": "run_graph", "handle": handle}, "inputs",
                                  [x, cos.astype(np.float32), sin.astype(np.float32)])
        cos_full = torch.from_numpy(np.concatenate([cos, cos], -1).astype(np.float32))
        sin_full = torch.from_numpy(np.concatenate([sin, sin], -1).astype(np.float32))
        with torch.no_grad():
            y_direct = layer(torch.from_numpy(x), cos_full, sin_full).numpy()
        err = float(np.abs(y_assay - y_direct).max() / np.abs(y_direct).max())
        if err > 1e-4:
            sys.exit("seq %d: the plugin's layer differs from the direct one (max rel err %.2e)" % (seq, err))
        # direct inputs drawn like the plugin's benchmark inputs: uniform in [-1, 1)
        gen = torch.Generator().manual_seed(seq)
        dh = c["hidden"] // c["heads"]
        xs = [torch.rand(shape, generator=gen) * 2 - 1 for shape in ((seq, c["hidden"]), (seq, dh), (seq, dh))]
        fn = lambda: layer(*xs)
        per_round = []
        for r in range(args.rounds):
            reply, _ = request(client, {"type": "benchmark_graph", "handle": handle, "seed": r, "mode": "warm",
                                        "k": args.k, "samples": args.samples})
            assay_s = median_s(reply["elapsed_ns"], args.k)
            with torch.no_grad():
                fn()  # untimed warm-up, as the plugin does
                with collector_paused():
                    direct = [time_host(fn, args.k) for _ in range(args.samples)]
            direct_s = median_s(direct, args.k)
            per_round.append((seq / assay_s, seq / direct_s))
            print("  seq %5d round %d: assay %9.1f tok/s  direct %9.1f tok/s  ratio %.3f"
                  % (seq, r + 1, seq / assay_s, seq / direct_s, direct_s / assay_s))
        request(client, {"type": "unload", "handle": handle})
        ratios = [a / d for a, d in per_round]
        quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        rows.append((seq, statistics.median(a for a, _ in per_round), statistics.median(d for _, d in per_round),
                     statistics.median(ratios), quartiles[0], quartiles[-1]))
    client.close()
    print("\n%6s  %29s  %24s  %26s  %18s" % ("seq", "assay torch-cpu (graph) tok/s", "torch eager direct tok/s",
                                             "assay / direct [quartiles]", "assay native tok/s"))
    for seq, assay_tps, direct_tps, ratio, low, high in rows:
        print("%6d  %29.1f  %24.1f  %12.3f [%.3f, %.3f]  %18s" % (seq, assay_tps, direct_tps, ratio, low, high,
                                                                  "not timed yet"))
    executor, direct = dispatch_s()
    print("\nexecutor dispatch, the toy layer (30 nodes, tiny tensors), best of 40 x 50 runs: plugin executor %.1f us,"
          " direct %.1f us: %+.1f us per layer run" % (executor * 1e6, direct * 1e6, (executor - direct) * 1e6))
    for seq, _, direct_tps, _, _, _ in rows:
        print("  = %.3f%% of the direct layer's time at seq %d" % (100 * (executor - direct) * direct_tps / seq, seq))
    print("load average at the end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
