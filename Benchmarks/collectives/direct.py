"""all_reduce timed directly in Python with the same ring (assay_backend.ring) and the same timing
loop as the numpy reference backend, without the harness: the baseline Assay's figure must match.

Same process layout (one process per rank, loopback TCP, the ring of the plugin), same data
pattern, same loop: warm-up calls, then per sample a barrier, k back-to-back calls and the
per-call time; a sample is the slowest rank's, the figure the median of the samples. k, the
number of samples and of warm-up calls are those Assay's sampler chose for the same size in the
run this one is interleaved with (run.sh passes them), so both time exactly the same thing.
Usage: python3 direct.py RANKS BYTES:K:SAMPLES:WARMUP... ; prints one JSON line per size."""
import json
import os
import socket
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Backends", "python"))

import numpy as np  # noqa: E402

from assay_backend.collective import BUS_FACTORS, pattern  # noqa: E402
from assay_backend.ring import RingCommunicator  # noqa: E402
from assay_backend.timing import collector_paused, now_ns  # noqa: E402


def rank_main(rank, world, port, plans):
    """Yields (bytes, per-call ns of every sample) for each plan, timed as the plugin times."""
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
        yield nbytes, elapsed
    ring.close()


def run_rank(rank, world, port, plans):
    """One rank in this process: the timings go to stdout as one JSON line per size."""
    for nbytes, elapsed in rank_main(rank, world, port, plans):
        print(json.dumps({"rank": rank, "bytes": nbytes, "elapsed_ns": elapsed}), flush=True)


def main():
    if sys.argv[1] == "--rank":  # a rank process started by main() below
        rank, world, port = (int(arg) for arg in sys.argv[2:5])
        run_rank(rank, world, port, parse_plans(sys.argv[5:]))
        return
    world = int(sys.argv[1])
    plans = parse_plans(sys.argv[2:])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Each rank a fresh `python3` process with pipes for stdin and stdout, started the way the
    # harness starts its plugins: forked ranks (and multiprocessing's spawned ones, with their
    # queue feeder threads and resource tracker) ran measurably differently here.
    procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--rank", str(r), str(world), str(port)]
                              + sys.argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for r in range(world)]
    results = {}
    for p in procs:
        out, _ = p.communicate()
        if p.returncode != 0:
            sys.exit("direct.py: a rank exited with status %d" % p.returncode)
        for line in out.splitlines():
            row = json.loads(line)
            results.setdefault(row["bytes"], {})[row["rank"]] = row["elapsed_ns"]
    for nbytes, k, _, _ in plans:
        slowest = [max(ranks) for ranks in zip(*results[nbytes].values())]
        median = statistics.median(slowest)
        busbw = nbytes / median * BUS_FACTORS["all_reduce"](world)
        print(json.dumps({"bytes": nbytes, "median_ns": median, "bus_gbs": busbw, "k": k, "samples": len(slowest)}))


def parse_plans(specs):
    return [tuple(int(part) for part in spec.split(":")) for spec in specs]


if __name__ == "__main__":
    main()
