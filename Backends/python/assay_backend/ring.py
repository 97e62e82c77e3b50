"""Ring collectives over loopback (or any TCP) sockets, numpy only: the reference algorithms.

Every pair of ranks holds one TCP connection (a full mesh, formed through rank 0's listening
port). all_reduce is a ring reduce-scatter followed by a ring all-gather (each rank sends and
receives 2(n-1)/n of the buffer, the nccl-tests bus factor); broadcast and reduce are pipelined
chains from/to the root; all_to_all is n-1 pairwise exchanges; send_recv sends to the right
neighbour and receives from the left; p2p_copy is one send on the pair's connection. Each step
sends and receives at once in the calling thread (select on both sockets), so no step deadlocks
on a full socket buffer. A peer that closes its connection or sends nothing within the timeout
raises `PeerError` naming it.
"""

import os
import select
import socket
import struct
import time

import numpy as np

from .collective import CollectiveBackend
from .dtypes import bf16_to_f32, f32_to_bf16
from .spin import spin_select

SEGMENT = 1 << 20  # pipelining unit of the chains (broadcast, reduce)
_HELLO = struct.Struct("<ii")  # rank, listening port


class PeerError(RuntimeError):
    """A peer rank closed its connection or stayed silent past the timeout."""


def _add_into(acc, other, dtype):
    """acc += other in the case dtype (bf16 through float32: the pattern's sums are exact)."""
    if dtype == "bf16":
        acc[...] = f32_to_bf16(bf16_to_f32(acc) + bf16_to_f32(other))
    else:
        np.add(acc, other, out=acc)


def _cpus():
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _bounds(count, parts):
    """Start offsets of `parts` near-equal chunks of `count` elements (parts + 1 entries)."""
    return [count * p // parts for p in range(parts + 1)]


class RingCommunicator(object):
    def __init__(self, rank, world, address, port, timeout):
        self.rank, self.world, self.timeout = rank, world, timeout
        # Spin before a blocking wait only when every rank can have a CPU of its own: with more
        # ranks than CPUs, the rank being waited for may need the very CPU the waiter spins on.
        self.spin = None if world <= _cpus() else 0
        self.peers = {}
        self._scratch = {}
        if world > 1:
            self._connect(address, port)

    # ------------------------------------------------------------- mesh
    def _tune(self, sock, peer):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for opt in (socket.SO_SNDBUF, socket.SO_RCVBUF):
            try:
                sock.setsockopt(socket.SOL_SOCKET, opt, 4 << 20)
            except OSError:
                pass
        sock.settimeout(self.timeout)
        self.peers[peer] = sock

    def _connect(self, address, port):
        deadline = time.monotonic() + self.timeout
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port if self.rank == 0 else 0))
        listener.listen(self.world)
        listener.settimeout(self.timeout)
        my_port = listener.getsockname()[1]
        try:
            if self.rank == 0:
                ports = [my_port] + [0] * (self.world - 1)
                for _ in range(self.world - 1):
                    conn = self._accept(listener, [p for p in range(1, self.world) if p not in self.peers])
                    peer, peer_port = _HELLO.unpack(self._recv_exact(conn, _HELLO.size, "a joining rank"))
                    ports[peer] = peer_port
                    self._tune(conn, peer)
                table = struct.pack("<%di" % self.world, *ports)
                for peer in range(1, self.world):
                    self.peers[peer].sendall(table)
            else:
                conn = self._dial(address, port, deadline, 0)
                conn.sendall(_HELLO.pack(self.rank, my_port))
                self._tune(conn, 0)
                ports = struct.unpack("<%di" % self.world, self._recv_exact(conn, 4 * self.world, "rank 0"))
                for peer in range(1, self.rank):  # dial the lower ranks, accept the higher ones
                    sock = self._dial(address, ports[peer], deadline, peer)
                    sock.sendall(_HELLO.pack(self.rank, my_port))
                    self._tune(sock, peer)
                for _ in range(self.rank + 1, self.world):
                    sock = self._accept(listener, [p for p in range(self.rank + 1, self.world) if p not in self.peers])
                    peer, _ = _HELLO.unpack(self._recv_exact(sock, _HELLO.size, "a joining rank"))
                    self._tune(sock, peer)
        finally:
            listener.close()

    def _accept(self, listener, missing):
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            raise PeerError("rank %d: rank(s) %s did not join within %g s"
                            % (self.rank, ", ".join(map(str, missing)), self.timeout))
        conn.settimeout(self.timeout)
        return conn

    def _dial(self, address, port, deadline, peer):
        while True:
            try:
                return socket.create_connection((address, port), timeout=self.timeout)
            except OSError:
                if time.monotonic() > deadline:
                    raise PeerError("rank %d: cannot reach rank %d at %s:%d within %g s" % (self.rank, peer, address, port, self.timeout))
                time.sleep(0.02)

    def _recv_exact(self, sock, n, who):
        buf = bytearray(n)
        self._recv_into(sock, memoryview(buf), who)
        return bytes(buf)

    def _recv_into(self, sock, view, who):
        got = 0
        while got < len(view):
            spin_select([sock], [], self.spin)  # a peer's answer usually comes within µs: do not halt the vCPU for it
            try:
                n = sock.recv_into(view[got:])
            except socket.timeout:
                raise PeerError("rank %d: no data from %s within %g s" % (self.rank, who, self.timeout))
            except OSError as exc:
                raise PeerError("rank %d: connection to %s broke: %s" % (self.rank, who, exc))
            if n == 0:
                raise PeerError("rank %d: %s closed its connection" % (self.rank, who))
            got += n

    def close(self):
        for sock in self.peers.values():
            try:
                sock.close()
            except OSError:
                pass
        self.peers = {}
        self._scratch = {}

    def scratch(self, use, count, dtype):
        """A work buffer of `count` elements for `use`, the same memory call after call: a fresh
        one per call put mapping and first-touch page faults into every timed call (above
        glibc's 32 MiB mmap ceiling every allocation is a new mapping), which is not the
        collective (docs/DECISIONS.md, "all_reduce: Assay against the direct loop")."""
        nbytes = count * np.dtype(dtype).itemsize
        held = self._scratch.get(use)
        if held is None or held.nbytes < nbytes:
            held = self._scratch[use] = np.empty(nbytes, dtype=np.uint8)
        return held[:nbytes].view(dtype)

    # -------------------------------------------------------- transport
    def send(self, peer, array):
        try:
            self.peers[peer].sendall(memoryview(np.ascontiguousarray(array)).cast("B"))
        except socket.timeout:
            raise PeerError("rank %d: rank %d took nothing within %g s" % (self.rank, peer, self.timeout))
        except OSError as exc:
            raise PeerError("rank %d: connection to rank %d broke: %s" % (self.rank, peer, exc))

    def recv(self, peer, array):
        self._recv_into(self.peers[peer], memoryview(array).cast("B"), "rank %d" % peer)

    def exchange(self, to, out, frm, into):
        """Sends `out` to rank `to` while receiving `into` from rank `frm`, in this thread:
        whichever socket is ready is served (select), so neither side blocks on a full
        buffer, and no step pays for starting a thread."""
        outgoing = memoryview(np.ascontiguousarray(out)).cast("B")
        incoming = memoryview(into).cast("B")
        send_sock, recv_sock = self.peers[to], self.peers[frm]
        peers = "rank %d" % to if to == frm else "rank %d or %d" % (to, frm)
        sent = got = 0
        while sent < len(outgoing) or got < len(incoming):
            readers = [recv_sock] if got < len(incoming) else []
            writers = [send_sock] if sent < len(outgoing) else []
            try:
                # spin first: each step of a ring waits for the neighbour's data, and blocking lets the
                # vCPU halt, which a VM makes slow to wake (assay_backend/spin.py)
                ready = spin_select(readers, writers, self.spin)
                readable, writable = ready or select.select(readers, writers, [], self.timeout)[:2]
            except (OSError, ValueError) as exc:
                raise PeerError("rank %d: connection to %s broke: %s" % (self.rank, peers, exc))
            if not readable and not writable:
                if readers:
                    raise PeerError("rank %d: no data from rank %d within %g s" % (self.rank, frm, self.timeout))
                raise PeerError("rank %d: rank %d took nothing within %g s" % (self.rank, to, self.timeout))
            try:
                if writable:
                    sent += send_sock.send(outgoing[sent:])
                if readable:
                    n = recv_sock.recv_into(incoming[got:])
                    if n == 0:
                        raise PeerError("rank %d: rank %d closed its connection" % (self.rank, frm))
                    got += n
            except socket.timeout:
                continue  # select saw it ready; the data went elsewhere first: wait again
            except OSError as exc:
                raise PeerError("rank %d: connection to %s broke: %s" % (self.rank, peers, exc))

    def barrier(self):
        """A token around the ring, twice: nobody leaves before everybody arrived."""
        if self.world == 1:
            return
        token = np.zeros(1, dtype=np.uint8)
        right, left = (self.rank + 1) % self.world, (self.rank - 1) % self.world
        for _ in range(2):
            if self.rank == 0:
                self.send(right, token)
                self.recv(left, token)
            else:
                self.recv(left, token)
                self.send(right, token)

    # ------------------------------------------------------ collectives
    def _ring_reduce_scatter(self, buf, bounds, dtype):
        """After it, chunk r of `buf` holds the sum of every rank's chunk r."""
        n, r = self.world, self.rank
        right, left = (r + 1) % n, (r - 1) % n
        scratch = self.scratch("incoming", max(bounds[i + 1] - bounds[i] for i in range(n)), buf.dtype)
        for s in range(n - 1):
            out, into = (r - s - 1) % n, (r - s - 2) % n
            tmp = scratch[:bounds[into + 1] - bounds[into]]
            self.exchange(right, buf[bounds[out]:bounds[out + 1]], left, tmp)
            _add_into(buf[bounds[into]:bounds[into + 1]], tmp, dtype)

    def _ring_all_gather(self, buf, bounds):
        """Chunk r of `buf` is this rank's; after it, every chunk is its owner's."""
        n, r = self.world, self.rank
        right, left = (r + 1) % n, (r - 1) % n
        for s in range(n - 1):
            out, into = (r - s) % n, (r - s - 1) % n
            self.exchange(right, buf[bounds[out]:bounds[out + 1]], left, buf[bounds[into]:bounds[into + 1]])

    def all_reduce(self, send, recv, dtype):
        if recv is not send:
            recv[...] = send
        if self.world > 1:
            bounds = _bounds(len(recv), self.world)
            self._ring_reduce_scatter(recv, bounds, dtype)
            self._ring_all_gather(recv, bounds)
        return recv

    def reduce_scatter(self, send, recv, dtype):
        block = len(recv)
        work = self.scratch("work", len(send), send.dtype)
        work[...] = send  # the input stays intact (out of place)
        bounds = [block * p for p in range(self.world + 1)]
        self._ring_reduce_scatter(work, bounds, dtype)
        recv[...] = work[bounds[self.rank]:bounds[self.rank + 1]]
        return recv

    def all_gather(self, send, recv, dtype):
        block = len(send)
        recv[self.rank * block:(self.rank + 1) * block] = send
        self._ring_all_gather(recv, [block * p for p in range(self.world + 1)])
        return recv

    def all_to_all(self, send, recv, dtype):
        n, r, block = self.world, self.rank, len(send) // self.world
        recv[r * block:(r + 1) * block] = send[r * block:(r + 1) * block]
        for s in range(1, n):
            to, frm = (r + s) % n, (r - s) % n
            self.exchange(to, send[to * block:(to + 1) * block], frm, recv[frm * block:(frm + 1) * block])
        return recv

    def send_recv(self, send, recv, dtype):
        n, r = self.world, self.rank
        if n == 1:
            recv[...] = send
            return recv
        if recv is send:
            recv = send.copy()
            self.exchange((r + 1) % n, send, (r - 1) % n, recv)
            send[...] = recv
            return send
        self.exchange((r + 1) % n, send, (r - 1) % n, recv)
        return recv

    def _segments(self, count, itemsize):
        step = max(1, SEGMENT // itemsize)
        return [(lo, min(lo + step, count)) for lo in range(0, count, step)]

    def broadcast(self, send, recv, dtype, root):
        """A pipelined chain root → root+1 → … → root-1, segment by segment."""
        n, r = self.world, self.rank
        if recv is not send and r == root:
            recv[...] = send
        right, left = (r + 1) % n, (r - 1) % n
        for lo, hi in self._segments(len(recv), recv.itemsize):
            if r != root:
                self.recv(left, recv[lo:hi])
            if right != root:
                self.send(right, recv[lo:hi])
        return recv

    def reduce(self, send, recv, dtype, root):
        """A pipelined chain root+1 → … → root, each rank adding its own segment."""
        n, r = self.world, self.rank
        if recv is not send:
            recv[...] = send
        right, left = (r + 1) % n, (r - 1) % n
        first = (root + 1) % n
        scratch = self.scratch("incoming", max(1, SEGMENT // recv.itemsize), recv.dtype)
        for lo, hi in self._segments(len(recv), recv.itemsize):
            if n > 1 and r != first:
                tmp = scratch[:hi - lo]
                self.recv(left, tmp)
                _add_into(recv[lo:hi], tmp, dtype)
            if n > 1 and r != root:
                self.send(right, recv[lo:hi])
        return recv


class RingCollectives(CollectiveBackend):
    """`CollectiveBackend` hooks on host numpy arrays through a `RingCommunicator`, mixed into
    the numpy reference backend: `class NumpyBackend(RingCollectives, Backend)`."""

    _ring = None

    def collective_join(self, rendezvous, timeout):
        self.collective_leave()
        self._ring = RingCommunicator(rendezvous.rank, rendezvous.world, rendezvous.address, rendezvous.port, timeout)

    def collective_leave(self):
        if self._ring is not None:
            self._ring.close()
            self._ring = None

    def collective_barrier(self):
        self._ring.barrier()

    def collective_p2p(self, send, recv, source, destination):
        if self._ring.rank == source:
            self._ring.send(destination, send)
        else:
            self._ring.recv(source, recv)
        return recv

    def collective_call(self, op, send, recv, root, dtype):
        if op in ("broadcast", "reduce"):
            return getattr(self._ring, op)(send, recv, dtype, root)
        return getattr(self._ring, op)(send, recv, dtype)
