"""all_reduce timed directly in Python with the same ring (assay_backend.ring) and the same timing
loop as the numpy reference backend, without the harness: the baseline Assay's figure must match.

Same process layout (one process per rank, loopback TCP, the ring of the plugin), same data
pattern, same loop: warm-up calls, then per sample a barrier, k back-to-back calls and the
per-call time; a sample is the slowest rank's, the figure the median of the samples. k, the
number of samples and of warm-up calls are those Assay's sampler chose for the same size in the
run this one is interleaved with (run.sh passes them), so both time exactly the same thing.
Usage: python3 direct.py RANKS BYTES:K:SAMPLES:WARMUP... ; prints one JSON line per size."""
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
from assay_backend.timing import collector_paused, now_ns  # noqa: E402


def rank_main(rank, world, port, plans, queue):
    ring = RingCommunicator(rank, world, "127.0.0.1", port, 120)
    for nbytes, k, samples, warmup in plans:
        send = pattern(rank, nbytes // 4, "f32")
        recv = np.zeros_like(send)
        for _ in range(max(warmup, 1)):
            ring.all_reduce(send, recv, "f32")
        elapsed = []
        with collector_paused():  # as the plugin's timing loop
            for _ in range(samples):
                ring.barrier()
                start = now_ns()
                for _ in range(k):
                    ring.all_reduce(send, recv, "f32")
                elapsed.append((now_ns() - start) / k)
        queue.put((rank, nbytes, elapsed))
    ring.close()


def main():
    world = int(sys.argv[1])
    plans = [tuple(int(part) for part in spec.split(":")) for spec in sys.argv[2:]]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Fresh interpreters, as the harness starts its plugins: with forked ranks 2 of 5 rounds
    # here ran 2-3x slower at 1 MiB (0.3-0.8 against 1.2-1.3 GB/s), with spawned ones none.
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    procs = [context.Process(target=rank_main, args=(r, world, port, plans, queue)) for r in range(world)]
    for p in procs:
        p.start()
    results = {}
    for _ in range(world * len(plans)):
        rank, nbytes, elapsed = queue.get()
        results.setdefault(nbytes, {})[rank] = elapsed
    for p in procs:
        p.join()
    for nbytes, k, _, _ in plans:
        slowest = [max(ranks) for ranks in zip(*results[nbytes].values())]
        median = statistics.median(slowest)
        busbw = nbytes / median * BUS_FACTORS["all_reduce"](world)
        print(json.dumps({"bytes": nbytes, "median_ns": median, "bus_gbs": busbw, "k": k, "samples": len(slowest)}))


if __name__ == "__main__":
    main()
