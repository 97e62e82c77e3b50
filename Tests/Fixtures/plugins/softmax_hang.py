"""Issue 13.10: the numpy backend, except that every softmax request hangs.
Arguments: the repository root."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_wrapper  # noqa: E402

repo = sys.argv.pop(1)


def hang_on_softmax(server, header):
    if header.get("op") == "softmax":
        time.sleep(3600)
    return False


numpy_wrapper.serve(repo, hang_on_softmax)
