"""The graphs one plugin process holds for one hello (ABP 1.1 feature `graph`): `load_graph`,
`run_graph`, `benchmark_graph` and `unload` (docs/PROTOCOL.md, "Feature graph").

A loaded graph keeps its weights as backend tensors (on the device) under an integer handle;
a new hello makes a new store, so the old graphs and their device memory go with it.
"""

from .errors import Invalid
from .framing import is_int
from .graph import Graph


class Loaded(object):
    """One loaded graph: the validated graph, its weights (backend tensors by name), how it
    runs, and the last benchmark's inputs (kept while the same seed repeats)."""

    def __init__(self, graph, weights, runner, executor):
        self.graph, self.weights, self.runner, self.executor = graph, weights, runner, executor
        self.bench_inputs = None  # (seed, backend tensors)


class GraphStore(object):
    def __init__(self, backend, capabilities):
        self.backend = backend
        self.capabilities = capabilities
        self.loaded = {}
        self.next_handle = 1

    def _get(self, h):
        handle = h.get("handle")
        if not is_int(handle) or handle not in self.loaded:
            raise Invalid("unknown graph handle %r" % (handle,))
        return handle, self.loaded[handle]

    def load(self, h, arrays):
        """`load_graph`: validates the graph and the weights against its declarations, moves
        the weights to the backend; nothing is kept when any of it fails."""
        graph = Graph(h.get("graph"), self.capabilities, self.backend.name)
        graph.check_arrays(graph.weights, arrays, "weights", "weight")
        with self.backend.graph_context():
            weights = {name: self.backend.graph_tensor(array, keep=True)
                       for (name, _), array in zip(graph.weights, arrays)}
        runner, executor = self.backend.graph_runner(graph, weights)
        handle = self.next_handle
        self.next_handle += 1
        self.loaded[handle] = Loaded(graph, weights, runner, executor)
        return {"type": "graph", "handle": handle, "nodes": len(graph.nodes),
                "weights_bytes": graph.weights_bytes(), "executor": executor}

    def run(self, h, arrays):
        """`run_graph`: (tensor names, host arrays): the outputs, then the exposed nodes."""
        _, loaded = self._get(h)
        graph = loaded.graph
        expose = graph.check_expose(h.get("expose"))
        graph.check_inputs(arrays)
        backend = self.backend
        with backend.graph_context():
            outs = loaded.runner([backend.graph_tensor(a) for a in arrays], expose)
            hosts = [backend.graph_host(t) for t in outs]
        names = graph.outputs + expose
        for name, array in zip(names, hosts):
            spec = graph.specs[name]
            if tuple(array.shape) != spec.shape:  # internal consistency: the op broke its contract
                raise RuntimeError("graph node %r produced shape %s, expected %s"
                                   % (name, list(array.shape), list(spec.shape)))
        return names, hosts

    def benchmark(self, h, seed, mode, k, samples, given=None):
        """`benchmark_graph`: on the `given` inputs (host arrays) when the request carries them,
        else on inputs drawn from `seed` (kept while it repeats); the backend's own sampling
        loop around whole-graph runs, and the allocator's peak where it reports one."""
        _, loaded = self._get(h)
        backend = self.backend
        with backend.graph_context():
            if given is not None:
                loaded.graph.check_inputs(given)
                inputs = [backend.graph_tensor(a) for a in given]
            else:
                if loaded.bench_inputs is None or loaded.bench_inputs[0] != seed:
                    loaded.bench_inputs = None  # the old inputs go before the new ones are made
                    loaded.bench_inputs = (seed, [backend.graph_tensor(a, keep=True)
                                                  for a in loaded.graph.random_inputs(seed)])
                inputs = loaded.bench_inputs[1]
            backend.peak_memory(reset=True)
            result = backend.time_calls(lambda: loaded.runner(inputs, ()), mode, k, samples)
            peak = backend.peak_memory()
        if peak is not None:
            result["peak_bytes"] = int(peak)
        return result

    def unload(self, h):
        handle, _ = self._get(h)
        del self.loaded[handle]
        return {"type": "unloaded", "handle": handle}
