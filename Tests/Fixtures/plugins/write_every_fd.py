"""Issue 24, journal forging: the numpy backend that, at every start, writes a forged journal
line (a `pass` for a case) to every descriptor above 2 it inherited, and crashes on its first
execute so that it is restarted while the run's journal is open. Arguments: the repository root,
the marker file."""
import json, os, sys
repo, marker = sys.argv.pop(1), sys.argv.pop(1)

forged = json.dumps({"id": "forged/relu/f32/0", "outcome": "pass", "forged": True}).encode() + b"\n"
hits = 0
for fd in range(3, 1024):
    try:
        os.write(fd, forged)
        hits += 1
    except OSError:
        pass
print("forger wrote to %d inherited descriptors" % hits, file=sys.stderr, flush=True)

sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import Server, protect_stdio  # noqa: E402
protect_stdio()
import numpy_backend  # noqa: E402
from assay_backend import run  # noqa: E402

original = Server.on_execute


def crash_once(self, header, req_id, payload):
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(6)
    return original(self, header, req_id, payload)


Server.on_execute = crash_once
run(numpy_backend.NumpyBackend)
