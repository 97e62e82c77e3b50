"""ABP 1.1 feature `graph` (docs/PROTOCOL.md, "Feature graph") on the shipped backends, driven as
the harness drives it: load a grouped-query attention block with an MLP once, run it with and
without exposed intermediates, benchmark it, unload it; bad graphs, unknown handles and a
second unload are errors that leave the plugin serving and keep nothing."""

import json

import numpy as np
import pytest

from client import Client
from conftest import skip_reason

from assay_backend import encode_tensors
from assay_backend.errors import Invalid, Unsupported
from assay_backend.graph import Graph
from assay_backend.testing import llama_layer

S, D, HQ, HKV, DH, FF = 6, 16, 4, 2, 4, 24


def block_graph():
    """A LLaMA decoder layer at toy size (RMSNorm, q/k/v projections, RoPE, GQA by head repeat,
    causal attention, output projection, residual, SwiGLU MLP, residual)."""
    return llama_layer.graph(llama_layer.TOY, S)


def block_tensors(seed=3):
    rng = np.random.default_rng(seed)
    graph = block_graph()
    weights = [(rng.normal(0, 0.3, w["shape"]) + (1 if w["name"] in ("n1", "n2") else 0)).astype(np.float32)
               for w in graph["weights"]]
    angles = np.arange(S)[:, None] * (10000.0 ** (-np.arange(DH // 2) / (DH // 2)))[None, :]
    inputs = [rng.normal(0, 1, (S, D)).astype(np.float32), np.cos(angles).astype(np.float32),
              np.sin(angles).astype(np.float32)]
    return weights, inputs


def reference(weights, inputs):
    """The block written directly in float64 numpy (independent of the catalogue's code)."""
    n1, wq, wk, wv, wo, n2, wg, wu, wd = [w.astype(np.float64) for w in weights]
    x, cos, sin = [a.astype(np.float64) for a in inputs]
    rms = lambda t, w: t / np.sqrt((t * t).mean(-1, keepdims=True) + 1e-6) * w

    def rope(t):  # t [S, H, DH], halves pairing
        c, s = cos[:, None, :], sin[:, None, :]
        t1, t2 = t[..., :DH // 2], t[..., DH // 2:]
        return np.concatenate([t1 * c - t2 * s, t2 * c + t1 * s], -1)
    h = rms(x, n1)
    q = rope((h @ wq.T).reshape(S, HQ, DH)).transpose(1, 0, 2)
    k = np.repeat(rope((h @ wk.T).reshape(S, HKV, DH)).transpose(1, 0, 2), HQ // HKV, axis=0)
    v = np.repeat((h @ wv.T).reshape(S, HKV, DH).transpose(1, 0, 2), HQ // HKV, axis=0)
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(DH)
    scores = np.where(np.tril(np.ones((S, S), bool)), scores, -np.inf)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    a = (p / p.sum(-1, keepdims=True)) @ v
    x2 = x + a.transpose(1, 0, 2).reshape(S, HQ * DH) @ wo.T
    h2 = rms(x2, n2)
    g = h2 @ wg.T
    return x2 + ((g / (1 + np.exp(-g))) * (h2 @ wu.T)) @ wd.T


class GraphClient(Client):
    """The test client with the harness's side of feature `graph`."""

    def __init__(self, argv, features=("graph",), options=None, **hello):
        super(GraphClient, self).__init__(argv, hello=False)
        self.send(dict({"type": "hello", "protocol": 1, "minor": 1, "features": list(features),
                        "harness": "assay-tests", "options": options or {}}, **hello))
        self.hello_reply = self.recv()[0]

    def tensors_request(self, header, field, arrays):
        descs, bufs, total = encode_tensors(arrays)
        header = dict(header, id=self.next_id, payload_bytes=total, **{field: descs})
        self.next_id += 1
        self.send_raw(json.dumps(header).encode() + b"\n" + b"".join(bytes(b) for b in bufs))
        reply, outputs = self.recv()
        assert reply["id"] == header["id"], reply
        return reply, outputs

    def load(self, graph, weights):
        return self.tensors_request({"type": "load_graph", "graph": graph}, "weights", weights)[0]

    def run(self, handle, inputs, expose=None):
        header = {"type": "run_graph", "handle": handle}
        if expose is not None:
            header["expose"] = expose
        return self.tensors_request(header, "inputs", inputs)


def start(name, **kwargs):
    reason = skip_reason(name)
    if reason:
        pytest.skip(reason)
    argv = {"numpy": ["numpy_backend.py"], "torch-cpu": ["torch_backend.py", "--device", "cpu"]}[name]
    return GraphClient(argv, **kwargs)


@pytest.fixture(scope="module", params=["numpy", "torch-cpu"])
def plugin(request):
    client = start(request.param)
    client.name = request.param
    yield client
    assert client.close() == 0, client.stderr_text()


def node_by_node(client, weights, inputs):
    """Every node's output as the harness's fallback gets it: one `execute` per node."""
    graph = block_graph()
    values = dict(zip([w["name"] for w in graph["weights"]], weights))
    values.update(zip([i["name"] for i in graph["inputs"]], inputs))
    for node in graph["nodes"]:
        values[node["name"]] = client.execute(node["op"], node["dtype"], [values[t] for t in node["inputs"]],
                                              node["attrs"])[0]
    return values


def test_the_feature_is_agreed_only_when_offered():
    c = start("numpy")
    assert "graph" in c.hello_reply["features"]
    c.close()
    c = start("numpy", features=())
    assert "graph" not in c.hello_reply["features"]
    weights, _ = block_tensors()
    reply = c.load(block_graph(), weights)
    assert reply["type"] == "error" and reply["code"] == "invalid", reply
    assert "feature 'graph' was not agreed" in reply["message"]
    assert c.execute("relu", "f32", [np.ones(3, np.float32)])[0].tolist() == [1, 1, 1]  # still serving
    c.close()


def test_a_graph_run_is_the_node_by_node_run_and_matches_the_float64_block(plugin):
    weights, inputs = block_tensors()
    loaded = plugin.load(block_graph(), weights)
    assert loaded["type"] == "graph", loaded
    assert loaded["nodes"] == 30 and loaded["weights_bytes"] == sum(w.nbytes for w in weights)
    assert loaded["executor"] == ("numpy node by node" if plugin.name == "numpy" else "torch eager on cpu")
    reply, (y,) = plugin.run(loaded["handle"], inputs)
    assert reply["type"] == "result" and [o["name"] for o in reply["outputs"]] == ["y"], reply
    # same ops, same order: the graph run equals the fallback's execute chain exactly
    assert np.array_equal(y, node_by_node(plugin, weights, inputs)["y"])
    expected = reference(weights, inputs)
    assert np.abs(y - expected).max() < 1e-5 * np.abs(expected).max()
    assert plugin.request({"type": "unload", "handle": loaded["handle"]})[0]["type"] == "unloaded"


def test_exposed_intermediates_come_after_the_outputs_in_the_order_asked(plugin):
    weights, inputs = block_tensors(seed=5)
    handle = plugin.load(block_graph(), weights)["handle"]
    reply, tensors = plugin.run(handle, inputs, expose=["kg", "h", "a2"])
    assert [o["name"] for o in reply["outputs"]] == ["y", "kg", "h", "a2"]
    chain = node_by_node(plugin, weights, inputs)
    for desc, tensor in zip(reply["outputs"], tensors):
        assert np.array_equal(tensor, chain[desc["name"]]), desc["name"]
    # the same handle runs again without exposure (the freed intermediates were not needed)
    again = plugin.run(handle, inputs)[1][0]
    assert np.array_equal(again, tensors[0])
    plugin.request({"type": "unload", "handle": handle})


def test_benchmark_graph_follows_the_benchmark_sampling_rules(plugin):
    weights, _ = block_tensors()
    handle = plugin.load(block_graph(), weights)["handle"]
    reply, _ = plugin.request({"type": "benchmark_graph", "handle": handle, "seed": 4, "k": 2, "samples": 3})
    assert reply["type"] == "samples", reply
    assert len(reply["elapsed_ns"]) == 3 and all(t > 0 for t in reply["elapsed_ns"])
    assert reply["timer"] == "host_monotonic" and "peak_bytes" not in reply  # host backends report none
    for bad, message in (({"k": 0}, "k must be a positive integer"), ({"mode": "hot"}, "mode must be")):
        err, _ = plugin.request(dict({"type": "benchmark_graph", "handle": handle}, **bad))
        assert err["code"] == "invalid" and message in err["message"], err
    plugin.request({"type": "unload", "handle": handle})


BAD_GRAPHS = [
    (lambda g: g["nodes"][1].update(inputs=["hh", "wq"]), "invalid",
     "graph.nodes[1] (q).inputs[0]: unknown tensor 'hh' (not an input, weight or earlier node)"),
    (lambda g: g["weights"][1].update(shape=[HQ * DH, D - 1]), "invalid", "graph.nodes[1] (q): linear: x [6, 16]"),
    (lambda g: g["nodes"][2].update(name="q"), "invalid", "graph.nodes[2].name: name 'q' is used twice"),
    (lambda g: g["nodes"][26].update(op="swish"), "unsupported", "graph.nodes[26] (sg): op 'swish' is not implemented"),
    (lambda g: g["nodes"][0]["attrs"].update(epsilon=1e-5), "unsupported", "graph.nodes[0] (h): "),
    (lambda g: g.update(outputs=["z"]), "invalid", "graph.outputs[0]: unknown tensor 'z'"),
    (lambda g: g.update(outputs=[]), "invalid", "graph.outputs must name at least one tensor"),
    (lambda g: g["inputs"][0].update(name="x y"), "invalid", "graph.inputs[0]: name must be letters"),
    (lambda g: g["nodes"][3].pop("dtype"), "invalid", "graph.nodes[3] (v).dtype must be a string"),
    (lambda g: g.pop("nodes"), "invalid", "graph.nodes must be a list"),
]


@pytest.mark.parametrize("spoil,code,message", BAD_GRAPHS)
def test_a_bad_graph_is_refused_naming_the_field_and_nothing_is_kept(spoil, code, message):
    c = start("numpy")
    weights, inputs = block_tensors()
    graph = block_graph()
    spoil(graph)
    if graph.get("weights") and graph["weights"][1]["shape"] != [HQ * DH, D]:
        weights[1] = np.zeros(graph["weights"][1]["shape"], np.float32)
    reply = c.load(graph, weights)
    assert reply["type"] == "error" and reply["code"] == code, reply
    assert message in reply["message"], reply["message"]
    assert c.load(block_graph(), block_tensors()[0])["handle"] == 1  # the failed load took no handle
    c.close()


def test_weights_that_do_not_match_their_declarations_are_invalid():
    c = start("numpy")
    weights, _ = block_tensors()
    reply = c.load(block_graph(), weights[:-1])
    assert reply["code"] == "invalid" and "weights: 8 tensors for the graph's 9 weights" in reply["message"], reply
    weights[2] = weights[2].astype(np.float64)
    reply = c.load(block_graph(), weights)
    assert reply["code"] == "invalid" and "weights[2]: graph weight 'wk' is f32 [8, 16], got f64 [8, 16]" \
        in reply["message"], reply
    c.close()


def test_unknown_handles_bad_inputs_and_a_second_unload_are_invalid(plugin):
    weights, inputs = block_tensors()
    handle = plugin.load(block_graph(), weights)["handle"]
    cases = [
        (plugin.run(handle, inputs[:2])[0], "inputs: 2 tensors for the graph's 3 inputs"),
        (plugin.run(handle, [inputs[0][:5]] + inputs[1:])[0], "inputs[0]: graph input 'x' is f32 [6, 16], got f32 [5, 16]"),
        (plugin.run(handle, inputs, expose=["wq"])[0], "expose[0]: 'wq' is not a node of the graph"),
        (plugin.run(handle, inputs, expose=["h", "h"])[0], "expose[1]: 'h' is asked for twice"),
        (plugin.run(handle + 100, inputs)[0], "unknown graph handle %d" % (handle + 100)),
        (plugin.request({"type": "benchmark_graph", "handle": "1"})[0], "unknown graph handle '1'"),
    ]
    assert plugin.request({"type": "unload", "handle": handle})[0] == {"type": "unloaded", "id": plugin.next_id - 1,
                                                                       "handle": handle}
    cases += [
        (plugin.request({"type": "unload", "handle": handle})[0], "unknown graph handle %d" % handle),
        (plugin.run(handle, inputs)[0], "unknown graph handle %d" % handle),
    ]
    for reply, message in cases:
        assert reply["type"] == "error" and reply["code"] == "invalid", reply
        assert message in reply["message"], reply["message"]


def test_token_ids_outside_the_embedding_table_are_invalid_before_they_reach_the_device(plugin):
    graph = {"inputs": [{"name": "ids", "dtype": "int32", "shape": [3]}],
             "weights": [{"name": "table", "dtype": "f32", "shape": [5, 2]}],
             "nodes": [{"name": "e", "op": "embedding", "dtype": "f32", "inputs": ["ids", "table"]}],
             "outputs": ["e"]}
    table = np.arange(10, dtype=np.float32).reshape(5, 2)
    handle = plugin.load(graph, [table])["handle"]
    reply, (e,) = plugin.run(handle, [np.array([4, 0, 2], np.int32)])
    assert e.tolist() == [[8, 9], [0, 1], [4, 5]]
    reply, _ = plugin.run(handle, [np.array([4, 5, 0], np.int32)])
    assert reply["code"] == "invalid" and "its consumers accept [0, 5)" in reply["message"], reply
    # benchmark inputs respect the same range (an out-of-range draw would fail the run)
    bench, _ = plugin.request({"type": "benchmark_graph", "handle": handle, "seed": 9, "samples": 2})
    assert bench["type"] == "samples", bench
    plugin.request({"type": "unload", "handle": handle})


def test_a_new_hello_drops_every_graph():
    c = start("numpy")
    handle = c.load(block_graph(), block_tensors()[0])["handle"]
    c.send({"type": "hello", "protocol": 1, "minor": 1, "features": ["graph"], "harness": "t", "options": {}})
    c.recv()
    reply = c.request({"type": "unload", "handle": handle})[0]
    assert reply["code"] == "invalid" and "unknown graph handle" in reply["message"]
    c.close()


@pytest.mark.parametrize("name", ["numpy", "torch-cpu"])
def test_weights_sent_through_shared_memory_are_copied_at_load(name):
    from test_shm import NONCE, REGION, THRESHOLD, shm
    if not shm.supported():
        pytest.skip("no memfd_create on this platform")
    import mmap
    import os
    c = start(name, features=("graph", "shm"), shm={"bytes": REGION, "threshold_bytes": THRESHOLD, "nonce": NONCE})
    grant = c.hello_reply["shm"]
    fd = os.open("/proc/%d/fd/%d" % (c.proc.pid, grant["fd"]), os.O_RDWR)
    region = mmap.mmap(fd, grant["bytes"], mmap.MAP_SHARED)
    os.close(fd)
    weights, inputs = block_tensors()
    descs, pipe = [], b""
    for w in weights:  # the two largest go through the region, the rest through the pipe
        d = {"dtype": "f32", "shape": list(w.shape), "nbytes": w.nbytes}
        if w.nbytes >= 1536:
            offset = sum(x["nbytes"] for x in descs if "shm_offset" in x)
            region[offset:offset + w.nbytes] = w.tobytes()
            d["shm_offset"] = offset
        else:
            pipe += w.tobytes()
        descs.append(d)
    assert sum("shm_offset" in d for d in descs) >= 2
    header = {"type": "load_graph", "id": 77, "graph": block_graph(), "weights": descs, "payload_bytes": len(pipe)}
    c.send_raw(json.dumps(header).encode() + b"\n" + pipe)
    handle = c.recv()[0]["handle"]
    region[:1 << 16] = b"\xff" * (1 << 16)  # the harness reuses the region: the weights must not change
    y = c.run(handle, inputs)[1][0]
    expected = reference(weights, inputs)
    assert np.abs(y - expected).max() < 1e-5 * np.abs(expected).max()
    region.close()
    c.close()


class _Fake(object):
    """A backend whose ops are numpy's, with one op replaceable by a wrong one."""
    name = "fake"

    def __init__(self, wrong=None):
        import numpy_backend
        self.inner, self.wrong, self.live, self.peak = numpy_backend.NumpyBackend(), wrong, set(), 0

    def graph_op(self, node, tensors):
        fn = self.inner.prepare(node.op, node.dtype, node.attrs, tensors)
        if node.op == self.wrong:
            return lambda: fn() * np.float32(1.001)
        return fn


def test_the_reference_comparison_fails_for_a_wrong_op_and_the_plan_frees_dead_tensors():
    weights, inputs = block_tensors()
    graph = Graph(block_graph())
    named = dict(zip([n for n, _ in graph.weights], weights))
    good = graph.run(_Fake(), named, inputs)[0]
    bad = graph.run(_Fake(wrong="silu"), named, inputs)[0]
    expected = reference(weights, inputs)
    tolerance = 1e-5 * np.abs(expected).max()
    assert np.abs(good - expected).max() < tolerance
    assert np.abs(bad - expected).max() > tolerance  # the check the tests rely on can fail
    frees = {node.name: set(node.frees) for node in graph.nodes}
    assert frees["q"] == set() and "q" in frees["q3"] and "h" in frees["v"]  # dead after last use
    assert all("wq" not in f and "y" not in f for f in frees.values())  # weights and outputs stay
    assert "x" in frees["x2"] and "x2" in frees["y"]


def test_graph_errors_are_the_protocol_error_classes():
    with pytest.raises(Unsupported):
        Graph(block_graph(), capabilities={"rms_norm": {"f32"}}, backend_name="tiny")
    with pytest.raises(Invalid):
        Graph([])


def test_torch_compile_behind_the_option_is_recorded_and_agrees_with_eager():
    c = start("torch-cpu", options={"graph_compile": "1"})
    weights, inputs = block_tensors()
    loaded = c.load(block_graph(), weights)
    assert loaded["executor"] == "torch.compile (inductor) on cpu", loaded
    reply, (y,) = c.run(loaded["handle"], inputs)
    assert reply["type"] == "result", (reply, c.stderr_text()[-3000:])
    expected = reference(weights, inputs)
    assert np.abs(y - expected).max() < 1e-5 * np.abs(expected).max()
    bench, _ = c.request({"type": "benchmark_graph", "handle": loaded["handle"], "k": 2, "samples": 2})
    assert bench["type"] == "samples", bench
    c.close()


def test_benchmark_graph_times_the_inputs_the_harness_sends(plugin):
    weights, inputs = block_tensors()
    handle = plugin.load(block_graph(), weights)["handle"]
    reply, _ = plugin.tensors_request({"type": "benchmark_graph", "handle": handle, "k": 1, "samples": 2},
                                      "inputs", inputs)
    assert reply["type"] == "samples" and len(reply["elapsed_ns"]) == 2, reply
    reply, _ = plugin.tensors_request({"type": "benchmark_graph", "handle": handle}, "inputs", inputs[:1])
    assert reply["code"] == "invalid" and "inputs: 1 tensors for the graph's 3 inputs" in reply["message"], reply
    plugin.request({"type": "unload", "handle": handle})
