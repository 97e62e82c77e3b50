"""The `collective` feature (ABP 1.1) through real plugin processes, one per rank: every op in
every dtype exact on every rank at 2 and 4 ranks (numpy ring over loopback; torch gloo when
torch is importable), negotiation, and a peer that dies or stays silent named by the others."""

import json
import socket
import threading

import numpy as np
import pytest

from client import Client
from conftest import HAVE_TORCH

from assay_backend import to_float
from assay_backend.collective import DTYPES, OPS, expected, pattern

BACKENDS = {"numpy": ["numpy_backend.py"], "torch": ["torch_backend.py", "--device", "cpu"]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ranks(backend, world, env=None):
    port = free_port()
    clients = [Client(BACKENDS[backend], hello=False, env=env) for _ in range(world)]
    for rank, c in enumerate(clients):
        c.send({"type": "hello", "protocol": 1, "minor": 1, "features": ["collective", "someday"],
                "harness": "assay-tests", "options": {"device": "cpu"},
                "rendezvous": {"rank": rank, "world_size": world, "address": "127.0.0.1", "port": port}})
        c.hello_reply = c.recv()[0]
    return clients


def on_all(clients, header):
    """Sends one request to every rank at once (they block on each other) and collects the replies."""
    replies = [None] * len(clients)

    def ask(i):
        replies[i] = clients[i].request(dict(header))
    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return replies


def close_all(clients):
    for c in clients:
        c.close()


def itemsize(dtype):
    return {"f64": 8, "f32": 4, "f16": 2, "bf16": 2, "int32": 4, "int8": 1}[dtype]


@pytest.mark.parametrize("backend,world", [("numpy", 2), ("numpy", 4), ("torch", 2)])
def test_every_op_exact_on_every_rank(backend, world):
    if backend == "torch" and not HAVE_TORCH:
        pytest.skip("torch is not installed")
    clients = start_ranks(backend, world)
    try:
        assert clients[0].hello_reply["minor"] == 1
        assert clients[0].hello_reply["features"] == ["collective"]  # "someday" is not offered back
        for op in OPS:
            for dtype in DTYPES:
                count = 3 * world * 5 + world  # uneven ring chunks
                for in_place in (False, True):
                    replies = on_all(clients, {"type": "collective", "op": op, "dtype": dtype, "root": 1,
                                               "bytes": count * itemsize(dtype), "in_place": in_place, "mode": "check"})
                    for rank, (reply, outputs) in enumerate(replies):
                        assert reply["type"] == "result", (op, dtype, reply)
                        want = expected(op, rank, world, count, dtype, root=1)
                        if want is not None:
                            got = to_float(outputs[0], np.float64) if dtype not in ("int8", "int32") else outputs[0].astype(np.float64)
                            assert np.array_equal(got, want), (op, dtype, rank, in_place)
        timed = {"type": "collective", "op": "all_reduce", "dtype": "f32", "bytes": 1 << 16, "mode": "time", "k": 3, "samples": 4}
        for _ in range(2):  # the second reuses the first's buffers
            for reply, _ in on_all(clients, timed):
                assert reply["type"] == "samples" and len(reply["elapsed_ns"]) == 4 and min(reply["elapsed_ns"]) > 0
        # A check after timing builds its input afresh: timed calls (in place or not) left nothing behind.
        for in_place in (True, False):
            on_all(clients, dict(timed, in_place=in_place))
            for rank, (reply, outputs) in enumerate(on_all(clients, dict(timed, in_place=in_place, mode="check"))):
                assert np.array_equal(outputs[0].astype(np.float64), expected("all_reduce", rank, world, 1 << 14, "f32"))
    finally:
        close_all(clients)


def test_a_wrong_ring_is_caught_by_the_pattern():
    # The check must fail when a rank's data is not the pattern (a deliberately wrong reduction).
    count, world = 24, 2
    wrong = pattern(0, count, "f64") * world
    assert not np.array_equal(wrong, expected("all_reduce", 0, world, count, "f64"))
    assert not np.array_equal(expected("broadcast", 0, world, count, "f64", root=0),
                              expected("broadcast", 0, world, count, "f64", root=1))


def test_pattern_sums_exactly_in_every_dtype():
    for dtype in DTYPES:
        total = sum(to_float(pattern(r, 64, dtype), np.float64) if dtype not in ("int8", "int32")
                    else pattern(r, 64, dtype).astype(np.float64) for r in range(25))
        assert np.array_equal(total, expected("all_reduce", 0, 25, 64, dtype))
        assert np.abs(total).max() <= 125


def test_collective_without_the_feature_is_invalid():
    c = Client(BACKENDS["numpy"])  # a 1.0 hello: no features
    try:
        assert c.hello_reply["features"] == []
        reply, _ = c.request({"type": "collective", "op": "all_reduce", "dtype": "f32", "bytes": 16, "mode": "check"})
        assert reply["type"] == "error" and reply["code"] == "invalid" and "not agreed" in reply["message"]
    finally:
        c.close()


SMALL = {"type": "collective", "op": "all_reduce", "dtype": "f32", "bytes": 64, "mode": "check"}


@pytest.mark.parametrize("peer,timeout,named", [
    ("killed", 5, "rank 1"),                       # rank 0 sees the closed connection at once
    ("silent", 0.5, "no data from rank 1"),        # rank 1 joined, then is never asked
])
def test_a_failed_peer_is_named_by_the_survivor(peer, timeout, named):
    clients = start_ranks("numpy", 2)
    try:
        on_all(clients, SMALL)  # the ranks connect
        if peer == "killed":
            clients[1].proc.kill()
            clients[1].proc.wait()
        reply, _ = clients[0].request(dict(SMALL, peer_timeout_s=timeout))
        assert reply["type"] == "error" and named in reply["message"], reply
    finally:
        close_all(clients)


def test_a_rank_that_never_joins_is_named():
    clients = start_ranks("numpy", 3)
    try:
        replies = on_all(clients[:2], dict(SMALL, peer_timeout_s=1))
        assert replies[0][0]["type"] == "error" and "rank(s) 2 did not join" in replies[0][0]["message"], replies[0]
    finally:
        close_all(clients)


def test_p2p_copy_every_ordered_pair_reaches_only_its_destination():
    world, count = 3, 40
    clients = start_ranks("numpy", world)
    try:
        for src in range(world):
            for dst in range(world):
                if src == dst:
                    continue
                replies = on_all(clients, {"type": "collective", "op": "p2p_copy", "dtype": "f32", "root": src, "peer": dst,
                                           "bytes": count * 4, "mode": "check"})
                for rank, (reply, outputs) in enumerate(replies):
                    assert reply["type"] == "result", reply
                    want = expected("p2p_copy", rank, world, count, "f32", root=src, peer=dst)
                    assert (want is not None) == (rank == dst)
                    if want is not None:
                        assert np.array_equal(outputs[0].astype(np.float64), want), (src, dst)
                        # a copy from the wrong source would not match: the ranks' data differ
                        assert not np.array_equal(pattern(3 - src - dst, count, "f64"), want)
        replies = on_all(clients, {"type": "collective", "op": "p2p_copy", "dtype": "f32", "root": 2, "peer": 0,
                                   "bytes": 1 << 16, "mode": "time", "k": 2, "samples": 3})
        assert all(r["type"] == "samples" and len(r["elapsed_ns"]) == 3 for r, _ in replies)
        reply, _ = clients[0].request({"type": "collective", "op": "p2p_copy", "dtype": "f32", "root": 1, "peer": 1,
                                       "bytes": 16, "mode": "check"})
        assert reply["type"] == "error" and reply["code"] == "invalid" and "other than the source" in reply["message"]
    finally:
        close_all(clients)
