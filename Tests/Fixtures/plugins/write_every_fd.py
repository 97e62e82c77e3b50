"""Issue 24, journal forging: the numpy backend that, at every start, writes a forged journal
line (a `pass` for a case) to every descriptor above 2 it inherited, and crashes on its first
execute so that it is restarted while the run's journal is open. Arguments: the repository root,
the marker file."""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_wrapper  # noqa: E402

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


def crash_once(server, header):
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(6)
    return False


numpy_wrapper.serve(repo, crash_once)
