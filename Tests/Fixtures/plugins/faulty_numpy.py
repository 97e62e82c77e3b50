"""The plugin of PluginRunTests: the numpy backend with one fault on its first execute (a
marker file makes the restarted process behave). Arguments: crash|hang|raise|garbage, the marker
file, the repository root."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_wrapper  # noqa: E402

mode, marker, repo = sys.argv[1:4]
del sys.argv[1:]  # run() parses the command line


def fault_once(server, header):
    if os.path.exists(marker):
        return False
    open(marker, "w").close()
    print("injected fault: " + mode, file=sys.stderr, flush=True)
    if mode == "crash":
        os._exit(9)
    if mode == "hang":
        time.sleep(3600)
    if mode == "raise":
        raise RuntimeError("injected fault: raise")
    server.writer.stream.write(b"\xff" * 100 + b"\n")  # garbage
    server.writer.stream.flush()
    return True


numpy_wrapper.serve(repo, fault_once)
