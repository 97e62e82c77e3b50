"""The plugin of CollectiveRunTests: the numpy backend, one process per rank, with one fault in
one rank in the middle of its first collective (after the ranks have connected, on the first ring
step; a marker file makes the restarted ranks behave). Every process writes its pid into a
folder, so the test can see that none survives the run.
Arguments: crash|hang|wrong|none, the faulty rank, the marker file, the pid folder, the repository root."""
import os
import sys
import time

mode, fault_rank, marker, pid_dir, repo = sys.argv[1:6]
del sys.argv[1:]  # run() parses the command line
open(os.path.join(pid_dir, str(os.getpid())), "w").close()
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import protect_stdio  # noqa: E402
protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402
from assay_backend.ring import RingCommunicator, RingCollectives  # noqa: E402

original_exchange = RingCommunicator.exchange
original_call = RingCollectives.collective_call
original_p2p = RingCollectives.collective_p2p


def first_time():
    if os.path.exists(marker):
        return False
    open(marker, "w").close()
    return True


def exchange(self, *args):
    if mode in ("crash", "hang") and self.rank == int(fault_rank) and first_time():
        print("injected fault: %s in rank %d" % (mode, self.rank), file=sys.stderr, flush=True)
        if mode == "crash":
            os._exit(9)
        time.sleep(3600)
    return original_exchange(self, *args)


def collective_call(self, op, send, recv, root, dtype):
    out = original_call(self, op, send, recv, root, dtype)
    if mode == "wrong" and self.rendezvous.rank == int(fault_rank) and len(out) > 3:
        out[3] += 1  # a deliberately wrong reduction on one rank
    return out


def collective_p2p(self, send, recv, source, destination):
    out = original_p2p(self, send, recv, source, destination)
    if mode == "wrong" and self.rendezvous.rank == int(fault_rank) and len(out) > 3:
        out[3] += 1  # a copy that arrives wrong on one rank
    return out


RingCommunicator.exchange = exchange
RingCollectives.collective_call = collective_call
RingCollectives.collective_p2p = collective_p2p
run(numpy_backend.NumpyBackend)
