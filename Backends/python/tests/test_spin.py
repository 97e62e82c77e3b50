"""assay_backend.spin: the bounded busy-wait before a blocking wait (stdin, ring sockets)."""
import os
import select
import socket
import threading

from assay_backend import spin
from assay_backend.ring import RingCommunicator

import numpy as np


def test_budget_from_the_environment():
    assert spin.spin_seconds({}) == spin.DEFAULT_SPIN_US * 1e-6
    assert spin.spin_seconds({"ASSAY_SPIN_US": "0"}) == 0
    assert spin.spin_seconds({"ASSAY_SPIN_US": "-5"}) == 0
    assert spin.spin_seconds({"ASSAY_SPIN_US": "750"}) == 750e-6
    assert spin.spin_seconds({"ASSAY_SPIN_US": "soon"}) == spin.DEFAULT_SPIN_US * 1e-6


def test_spin_poll_sees_ready_bytes_and_gives_up_when_none_come():
    read_end, write_end = os.pipe()
    try:
        poller = select.poll()
        poller.register(read_end, select.POLLIN)
        assert spin.spin_poll(poller, 0.002) == []  # nothing: returns after the budget, does not block
        assert spin.spin_poll(poller, 0) == []  # spinning off: no poll at all
        os.write(write_end, b"x")
        events = spin.spin_poll(poller, 10)  # a long budget returns at once when ready
        assert events and events[0][0] == read_end
        os.close(write_end)
        write_end = None
        assert spin.spin_poll(poller, 10)  # a hang-up is an event too (the read then says EOF)
    finally:
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)


def test_spin_select_reports_only_what_is_ready():
    a, b = socket.socketpair()
    try:
        assert spin.spin_select([a], [], 0.002) is None
        assert spin.spin_select([a], [], 0) is None
        readable, writable = spin.spin_select([a], [b], 10)
        assert readable == [] and writable == [b]  # b can take bytes, a has none
        b.sendall(b"y")
        readable, writable = spin.spin_select([a], [], 10)
        assert readable == [a] and writable == []
    finally:
        a.close()
        b.close()


def test_a_ring_with_and_without_spinning_gives_the_exact_sums(monkeypatch):
    # all_reduce and the barrier over real sockets, spin on and off: the same exact result.
    for budget in (0.0, 200e-6):
        monkeypatch.setattr(spin, "SPIN_SECONDS", budget)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        results, errors = {}, []

        def rank(r):
            try:
                ring = RingCommunicator(r, 2, "127.0.0.1", port, 30)
                send = np.arange(1 << 16, dtype=np.float32) * (r + 1)
                recv = np.zeros_like(send)
                for _ in range(3):
                    ring.barrier()
                    ring.all_reduce(send, recv, "f32")
                results[r] = recv.copy()
                ring.close()
            except Exception as exc:  # reported below: a thread's exception would be lost
                errors.append(exc)
        threads = [threading.Thread(target=rank, args=(r,)) for r in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors and len(results) == 2
        want = np.arange(1 << 16, dtype=np.float32) * 3
        assert all(np.array_equal(results[r], want) for r in range(2))
