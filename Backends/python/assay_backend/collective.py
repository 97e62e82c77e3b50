"""ABP 1.1 feature `collective`: multi-rank collectives (docs/PROTOCOL.md, "Feature collective").

The harness starts one plugin process per rank and names the rank, the world size and a
rendezvous address in the hello. A `collective` request reaches every rank at once; each rank
builds its input from the documented data pattern, runs the op, and answers either its output
(`mode: check`, the harness verifies it) or its own timings (`mode: time`, the harness keeps the
slowest rank's time per sample). A backend implements `CollectiveBackend`'s hooks; the request
parsing, data pattern, warm-up, barriers and timing loop are here, shared by every backend.
"""

import numpy as np

from .dtypes import from_float, storage_dtype
from .errors import Invalid, Unsupported
from .framing import encode_tensors, is_int
from .timing import collector_paused, now_ns

FEATURE = "collective"

#: nccl-tests' bus-bandwidth factor per op, as a function of the world size n.
BUS_FACTORS = {
    "all_reduce": lambda n: 2.0 * (n - 1) / n,
    "all_gather": lambda n: (n - 1) / float(n),
    "reduce_scatter": lambda n: (n - 1) / float(n),
    "all_to_all": lambda n: (n - 1) / float(n),
    "broadcast": lambda n: 1.0,
    "reduce": lambda n: 1.0,
    "send_recv": lambda n: 1.0,
    "p2p_copy": lambda n: 1.0,
}
OPS = tuple(BUS_FACTORS)
#: Ops whose `bytes` is the whole (gathered) buffer, split into world_size blocks.
BLOCKED = ("all_gather", "reduce_scatter", "all_to_all")
#: Dtypes the data pattern sums exactly in (every partial sum is a small integer).
DTYPES = ("f64", "f32", "f16", "bf16", "int32", "int8")


def pattern(rank, count, dtype, offset=0):
    """x_rank[i] = ((5*rank + i) mod 11) - 5 for i in [offset, offset + count): integers in
    [-5, 5], so any sum over up to 25 ranks, in any order, is exact in every dtype (int8 and
    bf16 included), and distinct ranks' data differ (5*rank mod 11 differs for 11 ranks)."""
    # One period (11 elements) converted, then copied onto itself in doubling blocks (memcpy
    # speed): a 256 MiB input without 64-bit temporaries.
    i = np.arange(offset, offset + 11, dtype=np.int64)
    values = (5 * rank + i) % 11 - 5
    period = values.astype(storage_dtype(dtype)) if dtype in ("int8", "int32") else from_float(values.astype(np.float64), dtype)
    out = np.empty(count, dtype=period.dtype)
    filled = min(count, 11)
    out[:filled] = period[:filled]
    while filled < count:  # `filled` stays a multiple of the period
        step = min(filled, count - filled)
        out[filled:filled + step] = out[:step]
        filled += step
    return out


def default_peer(root, world):
    """The destination of a p2p_copy from `root` when the request names none: the next rank."""
    return (root + 1) % world


def expected(op, rank, world, count, dtype, root=0, peer=None):
    """What rank `rank` must hold after `op` over `count` elements (the nccl-tests size: the
    whole buffer for all_gather, reduce_scatter and all_to_all), as float64; None where the
    op leaves the rank's output undefined (reduce off the root, p2p_copy off the destination)."""
    def x(r, n=count, offset=0):
        return pattern(r, n, "f64", offset)
    block = count // world
    if op == "all_reduce":
        return sum(x(r) for r in range(world))
    if op == "reduce":
        return sum(x(r) for r in range(world)) if rank == root else None
    if op == "broadcast":
        return x(root)
    if op == "all_gather":
        return np.concatenate([x(r, block) for r in range(world)])
    if op == "reduce_scatter":
        return sum(x(r, block, rank * block) for r in range(world))
    if op == "all_to_all":
        return np.concatenate([x(r, block, rank * block) for r in range(world)])
    if op == "send_recv":
        return x((rank - 1) % world)
    if op == "p2p_copy":
        return x(root) if rank == (default_peer(root, world) if peer is None else peer) else None
    raise Invalid("unknown collective %r" % (op,))


def input_count(op, world, count):
    """Elements of a rank's input: a block for all_gather, the whole buffer otherwise."""
    return count // world if op == "all_gather" else count


class CollectiveRequest(object):
    """A validated `collective` request."""

    def __init__(self, h, world):
        self.op = h.get("op")
        if self.op not in OPS:
            raise Unsupported("collective %r is not one of: %s" % (self.op, ", ".join(OPS)))
        self.dtype = h.get("dtype")
        if self.dtype not in DTYPES:
            raise Unsupported("collective dtype %r is not one of: %s" % (self.dtype, ", ".join(DTYPES)))
        nbytes = h.get("bytes")
        item = np.dtype(storage_dtype(self.dtype)).itemsize
        if not is_int(nbytes) or nbytes < item or nbytes % item:
            raise Invalid("bytes must be a positive multiple of the %s itemsize %d, got %r" % (self.dtype, item, nbytes))
        self.count = nbytes // item
        if self.op in BLOCKED and self.count % world:
            raise Invalid("%s needs a count divisible by the world size %d (got %d elements)" % (self.op, world, self.count))
        self.root = h.get("root", 0) or 0
        if not is_int(self.root) or not 0 <= self.root < world:
            raise Invalid("root must be a rank in [0, %d), got %r" % (world, self.root))
        self.peer = h.get("peer")
        if self.op == "p2p_copy":
            if self.peer is None:
                self.peer = default_peer(self.root, world)
            if not is_int(self.peer) or not 0 <= self.peer < world or self.peer == self.root:
                raise Invalid("peer must be a rank in [0, %d) other than the source (root %d), got %r" % (world, self.root, self.peer))
        self.in_place = bool(h.get("in_place", False))
        self.mode = h.get("mode", "time") or "time"
        if self.mode not in ("check", "time"):
            raise Invalid("mode must be 'check' or 'time', got %r" % (self.mode,))
        for name in ("k", "samples"):
            value = h.get(name, 1) or 1
            if not is_int(value) or value < 1:
                raise Invalid("%s must be a positive integer, got %r" % (name, value))
            setattr(self, name, value)
        timeout = h.get("peer_timeout_s", 60)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
            raise Invalid("peer_timeout_s must be a positive number, got %r" % (timeout,))
        self.peer_timeout = float(timeout)


class Rendezvous(object):
    """Where the ranks meet: this process's rank, the world size and rank 0's address and port."""

    def __init__(self, info):
        if not isinstance(info, dict):
            raise Invalid("rendezvous must be an object with rank, world_size, address and port")
        self.rank, self.world = info.get("rank"), info.get("world_size")
        self.address, self.port = info.get("address"), info.get("port")
        if not (is_int(self.world) and self.world >= 1 and is_int(self.rank) and 0 <= self.rank < self.world):
            raise Invalid("rendezvous needs 0 <= rank < world_size, got %r of %r" % (self.rank, self.world))
        if not isinstance(self.address, str) or not is_int(self.port) or not 0 < self.port < 65536:
            raise Invalid("rendezvous needs an address string and a port in 1..65535")


class CollectiveBackend(object):
    """Mixin for a backend that implements the `collective` feature. Hooks to provide:

    - `collective_join(rendezvous, timeout)`: connect the ranks (called once, lazily);
    - `collective_buffer(array)`: put a host numpy array where the op runs (default: as is);
    - `collective_call(op, send, recv, root, dtype)`: one call; `recv` is `send` when in place;
    - `collective_p2p(send, recv, source, destination)`: one copy of `send` on rank `source`
      into `recv` on rank `destination` (only those two ranks call it; `p2p_copy`);
    - `collective_empty(op, dtype, count)`: the output buffer for `count` elements;
    - `collective_barrier()`; `collective_host(buffer)` (to numpy); `collective_finish(result)`
      (waits for the device; default `finish`).
    """

    features = (FEATURE,)
    rendezvous = None
    _joined = False
    #: (request key, send, recv) of the last `mode: time` request: the sampler sends the same
    #: request again and again, and rebuilding a 256 MiB input (and warming up again) for each
    #: would cost more wall time than the calls it times.
    _timed = None

    def agree(self, features, hello):
        """Reads the rendezvous of an agreed `collective` feature; a new hello forgets the old ranks."""
        self.collective_leave()
        self._joined = False
        self._timed = None
        self.rendezvous = Rendezvous(hello.get("rendezvous")) if FEATURE in features and hello.get("rendezvous") is not None else None

    def collective_join(self, rendezvous, timeout):
        raise Unsupported("%s does not implement collectives" % self.name)

    def collective_buffer(self, array):
        return array

    def collective_empty(self, op, dtype, count):
        return np.zeros(count, dtype=storage_dtype(dtype))

    def collective_host(self, buffer):
        return np.asarray(buffer)

    def collective_finish(self, result):
        """Waits for the last call (a device stream); host collectives have finished already."""
        self.finish(result)

    def collective_leave(self):
        """Closes the connections (on close, and before a re-join)."""

    def collective_p2p(self, send, recv, source, destination):
        raise Unsupported("%s does not implement p2p_copy" % self.name)

    def serve_collective(self, h):
        """Runs one request; returns the reply header (without id) and its payload buffers."""
        if self.rendezvous is None:
            raise Invalid("collective without a rendezvous in the hello")
        rv = self.rendezvous
        req = CollectiveRequest(h, rv.world)
        if not self._joined:
            self.collective_join(rv, req.peer_timeout)
            self._joined = True
        key = (req.op, req.dtype, req.count, req.in_place, req.root, req.peer)
        warm = req.mode == "time" and self._timed is not None and self._timed[0] == key
        if warm:  # the same op on the same buffers, already warmed up
            send, recv = self._timed[1], self._timed[2]
        else:
            self._timed = None
            send = self.collective_buffer(pattern(rv.rank, input_count(req.op, rv.world, req.count), req.dtype))
            out_count = req.count // rv.world if req.op == "reduce_scatter" else req.count
            if req.in_place and req.op in ("all_reduce", "broadcast", "reduce", "send_recv", "p2p_copy"):
                recv = send
            else:
                recv = self.collective_empty(req.op, req.dtype, out_count)

        if req.op != "p2p_copy":
            def call():
                return self.collective_call(req.op, send, recv, req.root, req.dtype)
        elif rv.rank in (req.root, req.peer):
            def call():
                return self.collective_p2p(send, recv, req.root, req.peer)
        else:  # not in this pair: only the barriers
            def call():
                return recv
        if req.mode == "check":
            self.collective_finish(call())
            descs, bufs, total = encode_tensors([self.collective_host(recv)])
            return {"type": "result", "outputs": descs, "payload_bytes": total}, bufs
        if not warm:
            self.collective_finish(call())  # warm-up: connections, allocation, first touch
            self._timed = (key, send, recv)
        elapsed = []
        with collector_paused():
            for _ in range(req.samples):
                self.collective_barrier()  # every rank's sample covers the same calls
                start = now_ns()
                result = None
                for _ in range(req.k):
                    result = call()
                self.collective_finish(result)
                elapsed.append(float(max(now_ns() - start, 1)))
        return {"type": "samples", "elapsed_ns": elapsed, "timer": "host_monotonic"}, []

    def close(self):
        self.collective_leave()
