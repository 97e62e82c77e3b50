"""ABP 1.1 feature `graph`: a model graph validated once and run node by node with the backend's
own op implementations (docs/PROTOCOL.md, "Feature graph"; docs/FORMATS.md, "Graphs").

A `Graph` is what `load_graph` sends, checked the way `execute` checks one op (each node through
`opspec.check`, on the shapes the nodes before it produce), plus what running it needs: each
node's validated `Call` and the tensors that die after it, so that a run holds only the live
intermediates. Running goes through three backend hooks (`graph_tensor`, `graph_host`,
`graph_op`, see `Backend`): the numpy backend runs on host arrays, the torch backend keeps every
tensor on its device.
"""

import re

import numpy as np

from . import opspec
from .dtypes import from_float, wire_name
from .errors import BackendError, Invalid, Unsupported
from .framing import TensorSpec, is_int, parse_spec

FEATURE = "graph"
NAME = re.compile(r"^[A-Za-z0-9._-]+$")
INT32_UNBOUNDED = (1 << 31) - 1


class Node(object):
    """One node: its output name, op, case dtype, input names, raw attrs (as sent, for `prepare`)
    and the catalogue's validated call (normalised attrs, output dtype and shape)."""

    __slots__ = ("name", "op", "dtype", "inputs", "attrs", "call", "frees")

    def __init__(self, name, op, dtype, inputs, attrs, call):
        self.name, self.op, self.dtype, self.inputs, self.attrs, self.call = name, op, dtype, inputs, attrs, call
        self.frees = ()  # tensors whose last use is this node (set by Graph)


def _field(obj, key, kind, where, required=True):
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, kind) or (kind is int and not is_int(value)):
        raise Invalid("%s.%s must be %s, got %r" % (where, key, _KIND_NAMES.get(kind, kind.__name__), value))
    return value


_KIND_NAMES = {str: "a string", list: "a list", dict: "an object", int: "an integer"}


def _rethrow(exc, where):
    """The same error class with the field path in front, so the harness can name the node."""
    raise type(exc)("%s: %s" % (where, exc.message))


class Graph(object):
    """A validated graph: declared inputs and weights (name, TensorSpec), nodes in order, output
    names, every tensor's spec, and for each int32 input the range its consumers accept."""

    def __init__(self, obj, capabilities=None, backend_name="this backend"):
        if not isinstance(obj, dict):
            raise Invalid("graph must be an object")
        self.id = obj.get("id") if isinstance(obj.get("id"), str) else None
        self.specs = {}
        self.inputs = self._declare(obj, "inputs")
        self.weights = self._declare(obj, "weights")
        self.nodes = [self._node(obj, i, capabilities, backend_name)
                      for i in range(len(_field(obj, "nodes", list, "graph")))]
        self.outputs = self._outputs(obj)
        self.node_names = {n.name for n in self.nodes}
        self._plan_frees()

    # ---------------------------------------------------------------- checks
    def _name(self, value, where):
        if not isinstance(value, str) or not NAME.match(value):
            raise Invalid("%s: name must be letters, digits, '.', '_' or '-', got %r" % (where, value))
        if value in self.specs:
            raise Invalid("%s: name %r is used twice" % (where, value))
        return value

    def _declare(self, obj, key):
        out = []
        for i, decl in enumerate(_field(obj, key, list, "graph")):
            where = "graph.%s[%d]" % (key, i)
            if not isinstance(decl, dict):
                raise Invalid("%s must be an object" % where)
            name = self._name(decl.get("name"), where)
            spec = parse_spec(decl, where, require_nbytes=False)
            self.specs[name] = spec
            out.append((name, spec))
        return out

    def _node(self, obj, i, capabilities, backend_name):
        raw = obj["nodes"][i]
        where = "graph.nodes[%d]" % i
        if not isinstance(raw, dict):
            raise Invalid("%s must be an object" % where)
        name = self._name(raw.get("name"), where + ".name")
        where = "%s (%s)" % (where, name)
        op, dtype = _field(raw, "op", str, where), _field(raw, "dtype", str, where)
        attrs = _field(raw, "attrs", dict, where, required=False) or {}
        names = _field(raw, "inputs", list, where)
        specs = []
        for j, tensor in enumerate(names):
            if not isinstance(tensor, str) or tensor not in self.specs:
                raise Invalid("%s.inputs[%d]: unknown tensor %r (not an input, weight or earlier node)"
                              % (where, j, tensor))
            specs.append(self.specs[tensor])
        if capabilities is not None:
            if op not in capabilities:
                raise Unsupported("%s: op %r is not implemented by %s" % (where, op, backend_name))
            if dtype not in capabilities[op]:
                raise Unsupported("%s: %s dtype %r is not implemented by %s" % (where, op, dtype, backend_name))
        try:
            call = opspec.check(op, dtype, attrs, specs)
        except BackendError as exc:
            _rethrow(exc, where)
        self.specs[name] = TensorSpec(call.out_dtype, call.out_shape)
        return Node(name, op, dtype, list(names), dict(attrs), call)

    def _outputs(self, obj):
        names = _field(obj, "outputs", list, "graph")
        if not names:
            raise Invalid("graph.outputs must name at least one tensor")
        for i, name in enumerate(names):
            if not isinstance(name, str) or name not in self.specs:
                raise Invalid("graph.outputs[%d]: unknown tensor %r" % (i, name))
        if len(set(names)) != len(names):
            raise Invalid("graph.outputs names a tensor twice: %r" % (names,))
        return list(names)

    def _plan_frees(self):
        """Each node lists the inputs and intermediates last used by it, so a run drops them there
        (peak memory = the live tensors, not the whole graph). Weights and outputs stay."""
        last = {}
        for index, node in enumerate(self.nodes):
            for tensor in node.inputs:
                last[tensor] = index
            last.setdefault(node.name, index)  # an unused node output dies where it is made
        keep = {name for name, _ in self.weights} | set(self.outputs)
        frees = {}
        for tensor, index in last.items():
            if tensor not in keep:
                frees.setdefault(index, []).append(tensor)
        for index, node in enumerate(self.nodes):
            node.frees = tuple(frees.get(index, ()))

    def index_bound(self, name):
        """The range [0, n) an int32 graph input may take: the smallest its consumers accept
        (an embedding's vocab, a gather's axis length), 2**31 - 1 when nothing bounds it."""
        bound = INT32_UNBOUNDED
        for node in self.nodes:
            for position, tensor in enumerate(node.inputs):
                if tensor != name:
                    continue
                if node.op == "embedding" and position == 0:
                    bound = min(bound, node.call.attrs["vocab"])
                elif node.op == "gather" and position == 1:
                    bound = min(bound, node.call.attrs["length"])
        return bound

    def weights_bytes(self):
        return sum(spec.nbytes for _, spec in self.weights)

    # ------------------------------------------------------------- requests
    @staticmethod
    def check_arrays(declared, arrays, field, what):
        """Host arrays from a request against declared (name, spec) pairs, in order."""
        if len(arrays) != len(declared):
            raise Invalid("%s: %d tensors for the graph's %d %ss (%s)"
                          % (field, len(arrays), len(declared), what, ", ".join(n for n, _ in declared)))
        for i, ((name, spec), array) in enumerate(zip(declared, arrays)):
            dtype, shape = wire_name(array), tuple(array.shape)
            if dtype != spec.dtype or shape != spec.shape:
                raise Invalid("%s[%d]: graph %s %r is %s %s, got %s %s"
                              % (field, i, what, name, spec.dtype, list(spec.shape), dtype, list(shape)))

    def check_inputs(self, arrays, field="inputs"):
        """`run_graph`'s inputs; int32 indices checked against their consumers' ranges before
        anything reaches a device (where an out-of-range index is a fatal device assert)."""
        self.check_arrays(self.inputs, arrays, field, "input")
        for i, ((name, spec), array) in enumerate(zip(self.inputs, arrays)):
            if spec.dtype == "int32" and array.size:
                bound, lo, hi = self.index_bound(name), int(array.min()), int(array.max())
                if lo < 0 or hi >= bound:
                    raise Invalid("%s[%d]: graph input %r holds indices in [%d, %d], its consumers accept [0, %d)"
                                  % (field, i, name, lo, hi, bound))

    def check_expose(self, expose):
        """`run_graph`'s `expose`: distinct node names (inputs and weights the harness has)."""
        if expose is None:
            return []
        if not isinstance(expose, list):
            raise Invalid("expose must be a list of node names")
        seen = set(self.outputs)
        for i, name in enumerate(expose):
            if not isinstance(name, str) or name not in self.node_names:
                raise Invalid("expose[%d]: %r is not a node of the graph" % (i, name))
            if name in seen:
                raise Invalid("expose[%d]: %r is asked for twice (outputs come anyway)" % (i, name))
            seen.add(name)
        return list(expose)

    def random_inputs(self, seed):
        """Benchmark inputs from `seed`, host numpy, by `benchmark`'s rules (docs/PROTOCOL.md)."""
        rng = np.random.default_rng(int(seed) % (1 << 64))
        out = []
        for name, spec in self.inputs:
            if spec.dtype == "f64":
                out.append(rng.random(spec.shape) * 2.0 - 1.0)
            elif spec.dtype in ("f32", "f16", "bf16"):
                out.append(from_float(rng.random(spec.shape, dtype=np.float32) * np.float32(2) - np.float32(1),
                                      spec.dtype))
            elif spec.dtype == "int32":
                out.append(rng.integers(0, self.index_bound(name), size=spec.shape, dtype=np.int32))
            elif spec.dtype == "int8":
                out.append(rng.integers(-128, 128, size=spec.shape, dtype=np.int8))
            else:
                out.append(rng.integers(0, 2, size=spec.shape, dtype=np.int8).astype(bool))
        return out

    # ------------------------------------------------------------------ run
    def run(self, backend, weights, inputs, expose=()):
        """Runs every node on backend tensors (`weights`: name -> tensor; `inputs` in the graph's
        order); returns the outputs, then the exposed nodes, as backend tensors. Each
        intermediate is dropped after its last use unless exposed."""
        env = dict(weights)
        env.update(zip((name for name, _ in self.inputs), inputs))
        keep = set(expose)
        op = backend.graph_op
        for node in self.nodes:
            env[node.name] = op(node, [env[t] for t in node.inputs])()
            for tensor in node.frees:
                if tensor not in keep:
                    del env[tensor]
        return [env[name] for name in self.outputs] + [env[name] for name in expose]
