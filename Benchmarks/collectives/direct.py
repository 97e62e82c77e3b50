"""all_reduce timed directly in Python with the same ring (assay_backend.ring) and the same timing
loop as the numpy reference backend (barrier, then k calls, per sample; a sample is the slowest
rank's), without the harness: the baseline Assay's figure must match.
Usage: python3 direct.py RANKS SIZE_BYTES... ; prints one JSON line per size."""
import json
import multiprocessing
import os
import socket
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Backends", "python"))

import numpy as np  # noqa: E402

from assay_backend.collective import BUS_FACTORS, pattern  # noqa: E402
from assay_backend.ring import RingCommunicator  # noqa: E402
from assay_backend.timing import now_ns  # noqa: E402


def samples_for(nbytes):
    return 10 if nbytes >= 128 << 20 else 30


def rank_main(rank, world, port, sizes, queue):
    ring = RingCommunicator(rank, world, "127.0.0.1", port, 120)
    for nbytes in sizes:
        send = pattern(rank, nbytes // 4, "f32")
        recv = np.zeros_like(send)
        ring.all_reduce(send, recv, "f32")  # warm-up
        elapsed = []
        for _ in range(samples_for(nbytes)):
            ring.barrier()
            start = now_ns()
            ring.all_reduce(send, recv, "f32")
            elapsed.append(now_ns() - start)
        queue.put((rank, nbytes, elapsed))
    ring.close()


def main():
    world, sizes = int(sys.argv[1]), [int(s) for s in sys.argv[2:]]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=rank_main, args=(r, world, port, sizes, queue)) for r in range(world)]
    for p in procs:
        p.start()
    results = {}
    for _ in range(world * len(sizes)):
        rank, nbytes, elapsed = queue.get()
        results.setdefault(nbytes, {})[rank] = elapsed
    for p in procs:
        p.join()
    for nbytes in sizes:
        slowest = [max(ranks) for ranks in zip(*results[nbytes].values())]
        median = statistics.median(slowest)
        busbw = nbytes / median * BUS_FACTORS["all_reduce"](world)
        print(json.dumps({"bytes": nbytes, "median_ns": median, "bus_gbs": busbw, "samples": len(slowest)}))


if __name__ == "__main__":
    main()
