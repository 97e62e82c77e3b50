"""all_reduce timed directly in Python with the same ring (assay_backend.ring) and the same timing
loop as the numpy reference backend, without the harness: the baseline Assay's figure must match.

Same process layout (one fresh `python3` process per rank, loopback TCP, the ring of the plugin),
same data pattern and buffers (the input from `pattern`, a zeroed output, out of place), same
loop: warm-up calls, then per sample a barrier, k back-to-back calls and the per-call time; a
sample is the slowest rank's, the figure the median of the samples. k, the number of samples
and of warm-up calls are those Assay's sampler chose for the same size (run.sh passes them).

`--batches sampler` (the default) takes the samples in the batches Assay's sampler asks for
(5, growing to 2% of the samples so far), each batch started by a line from this driver on the
ranks' stdin and answered on their stdout: the ranks wait between batches as the plugin waits
between requests. `--batches one` takes every sample in one uninterrupted loop. On a loaded
two-core machine the two differ by more than the harness could (docs/DECISIONS.md, "all_reduce:
Assay against the direct loop"), so run.sh prints both. `--ranks backend` runs the numpy
plugin's `serve_collective` in the rank processes instead of the bare loop (`backend-nocheck`:
without the `check` call Assay makes before timing), to bisect the difference.
Usage: python3 direct.py [--batches sampler|one] [--ranks ring|backend|backend-nocheck]
                         RANKS BYTES:K:SAMPLES:WARMUP...
prints one JSON line per size."""
import json
import os
import socket
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Backends", "python"))

import numpy as np  # noqa: E402

from assay_backend import allocator  # noqa: E402
from assay_backend.collective import BUS_FACTORS, pattern  # noqa: E402
from assay_backend.ring import RingCommunicator  # noqa: E402
from assay_backend.timing import collector_paused, now_ns  # noqa: E402

#: The low quantile report.py compares beside the median (`low_ns`): this machine's noise is
#: slowdowns lasting seconds, which move a median far more than a low quantile of the same samples.
LOW_QUANTILE = 0.1


def low_quantile(values):
    """The LOW_QUANTILE of `values` (the sorted value at that rank, rounded down), as report.py
    takes it of Assay's samples too."""
    ordered = sorted(values)
    return ordered[int(LOW_QUANTILE * (len(ordered) - 1))]

#: Assay's sampler (Sources/AssayBench/Sampler+Configuration.swift): batchSize, batchFraction.
BATCH_SIZE, BATCH_FRACTION = 5, 0.02


def sampler_batches(samples):
    """The batch sizes in which Assay's sampler takes `samples` samples."""
    sizes, taken = [], 0
    while taken < samples:
        size = min(max(BATCH_SIZE, int(BATCH_FRACTION * taken)), samples - taken)
        sizes.append(size)
        taken += size
    return sizes


class RingRank(object):
    """`--ranks ring` (the default): the bare ring and timing loop, no plugin code."""

    def __init__(self, rank, world, port):
        self.rank, self.ring = rank, RingCommunicator(rank, world, "127.0.0.1", port, 120)

    def size(self, nbytes, k, warmup):
        self.k = k
        self.send = pattern(self.rank, nbytes // 4, "f32")
        self.recv = np.zeros(len(self.send), dtype=self.send.dtype)  # as CollectiveBackend.collective_empty
        for _ in range(max(warmup, 1)):
            self.ring.all_reduce(self.send, self.recv, "f32")

    def go(self, samples):
        elapsed = []
        with collector_paused():  # as the plugin's timing loop
            for _ in range(samples):
                self.ring.barrier()
                start = now_ns()
                for _ in range(self.k):
                    self.ring.all_reduce(self.send, self.recv, "f32")
                elapsed.append((now_ns() - start) / self.k)
        return elapsed

    def close(self):
        self.ring.close()


class BackendRank(object):
    """`--ranks backend[-nocheck]`: the numpy plugin's own `serve_collective` with the requests
    Assay sends (a `check` call first, then `time`), in a bare rank process without the
    plugin's server loop and pipes: bisects Assay against the direct loop."""

    def __init__(self, rank, world, port, check):
        import numpy_backend  # noqa: E402 (Backends/python, on the path above)
        self.backend, self.check = numpy_backend.NumpyBackend(), check
        self.backend.agree(["collective"], {"rendezvous": {"rank": rank, "world_size": world,
                                                           "address": "127.0.0.1", "port": port}})

    def size(self, nbytes, k, warmup):
        self.request = {"type": "collective", "op": "all_reduce", "dtype": "f32", "bytes": nbytes, "peer_timeout_s": 120}
        self.k = k
        if self.check:
            self.backend.serve_collective(dict(self.request, mode="check"))
        self.backend.serve_collective(dict(self.request, mode="time", k=1, samples=max(warmup, 1)))

    def go(self, samples):
        header, _ = self.backend.serve_collective(dict(self.request, mode="time", k=self.k, samples=samples))
        return [elapsed / self.k for elapsed in header["elapsed_ns"]]

    def close(self):
        self.backend.close()


def rank_main(rank, world, port, kind):
    """One rank, driven by lines on stdin: `size BYTES K WARMUP` (new buffers, warm-up calls),
    `go N` (N samples, answered with their per-call ns as one JSON line), `end`."""
    allocator.pin_thresholds()  # as the SDK's plugins do (assay_backend/allocator.py)
    worker = RingRank(rank, world, port) if kind == "ring" else BackendRank(rank, world, port, check=kind == "backend")
    for line in sys.stdin:
        words = line.split()
        if words[0] == "size":
            worker.size(*(int(word) for word in words[1:]))
            print("ready", flush=True)
        elif words[0] == "go":
            print(json.dumps(worker.go(int(words[1]))), flush=True)
        else:
            break
    worker.close()


def ask(procs, line):
    """Sends `line` to every rank, then reads one answer line from each."""
    for p in procs:
        p.stdin.write(line + "\n")
        p.stdin.flush()
    answers = [p.stdout.readline() for p in procs]
    if not all(answers):
        sys.exit("direct.py: a rank exited (status %s)" % [p.wait() for p in procs])
    return answers


def main():
    if sys.argv[1] == "--rank":  # a rank process started by main() below
        rank_main(*(int(arg) for arg in sys.argv[2:5]), kind=sys.argv[5])
        return
    args = sys.argv[1:]
    options = {"--batches": "sampler", "--ranks": "ring"}
    choices = {"--batches": ("sampler", "one"), "--ranks": ("ring", "backend", "backend-nocheck")}
    while args[0] in options:
        if args[1] not in choices[args[0]]:
            print("direct.py: %s is one of %s, got %r" % (args[0], ", ".join(choices[args[0]]), args[1]), file=sys.stderr)
            sys.exit(2)
        options[args[0]], args = args[1], args[2:]
    batching = options["--batches"]
    world = int(args[0])
    plans = [tuple(int(part) for part in spec.split(":")) for spec in args[1:]]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Each rank a fresh `python3` process with pipes for stdin and stdout, started the way the
    # harness starts its plugins: forked ranks (and multiprocessing's spawned ones, with their
    # queue feeder threads and resource tracker) ran measurably differently here.
    procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--rank", str(r), str(world), str(port), options["--ranks"]],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for r in range(world)]
    try:
        for nbytes, k, samples, warmup in plans:
            ask(procs, "size %d %d %d" % (nbytes, k, warmup))
            slowest = []
            for size in sampler_batches(samples) if batching == "sampler" else [samples]:
                per_rank = [json.loads(answer) for answer in ask(procs, "go %d" % size)]
                slowest += [max(ranks) for ranks in zip(*per_rank)]
            median = statistics.median(slowest)
            busbw = nbytes / median * BUS_FACTORS["all_reduce"](world)
            print(json.dumps({"bytes": nbytes, "median_ns": median, "bus_gbs": busbw, "low_ns": low_quantile(slowest),
                              "k": k, "samples": len(slowest), "batches": batching, "ranks": options["--ranks"]}),
                  flush=True)
    finally:
        for p in procs:
            if p.poll() is None:
                p.stdin.write("end\n")
                p.stdin.close()
        for p in procs:
            if p.wait() != 0:
                sys.exit("direct.py: a rank exited with status %d" % p.returncode)


if __name__ == "__main__":
    main()
