"""Feature shm (ABP 1.1), hand-framed: relu f32 with tensors of at least the hello's
threshold in a memfd region it creates, or one of the misbehaviours named by argv[1]:

  v1.0          a 1.0 hello: no features
  good          strict: answers `invalid` when the harness breaks the threshold rule (or
                offers a window to a request whose tensors are all below it)
  unsealed      the memfd has no F_SEAL_SHRINK (a harness mapping it could be truncated under)
  nonce         the nonce is not written at offset 0
  devnull       names a descriptor that is /dev/null
  file          names a regular file on disk
  oversize      announces more bytes than the harness offered
  outside       an output's shm_offset + nbytes runs past the window's end
  before        an output's shm_offset lies before the window (over the inputs)
  huge          an output's shm_offset is 2**62
  garbage       a correct reply, then garbage bytes on stdout
  late          a correct reply, then overwrites the output in the region 0.3 s later
  die           writes half the output into the region, then kills itself (once per marker)
  pipe-offset   refused region (unsealed), still answers with a shm_offset
"""
import fcntl, json, mmap, os, signal, struct, sys, threading, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp

MODE = sys.argv[1]
state = {}


def hello(header, payload):
    reply = abp.hello(header, payload, name="shm-" + MODE)
    offer = header.get("shm")
    if MODE == "v1.0" or "shm" not in (header.get("features") or []) or offer is None:
        return reply
    size = offer["bytes"] + (4096 if MODE == "oversize" else 0)
    state["threshold"] = offer["threshold_bytes"]
    if MODE == "devnull":
        fd = os.open(os.devnull, os.O_RDWR)
    elif MODE == "file":
        fd = os.open(os.path.join(os.environ["FIXTURE_DIR"], "region"), os.O_RDWR | os.O_CREAT, 0o600)
        os.ftruncate(fd, size)
    else:
        fd = os.memfd_create("assay-shm", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        os.ftruncate(fd, size)
        if MODE not in ("unsealed", "pipe-offset"):
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL)
    region = None if MODE == "devnull" else mmap.mmap(fd, size, mmap.MAP_SHARED)
    if MODE not in ("nonce", "devnull"):
        region[:len(bytes.fromhex(offer["nonce"]))] = bytes.fromhex(offer["nonce"])
    state["region"], state["fd"] = region, fd
    reply.update(minor=1, features=["shm"], shm={"fd": fd, "bytes": size})
    return reply


def execute(header, payload):
    region, threshold = state.get("region"), state.get("threshold", 1 << 62)
    desc = header["inputs"][0]
    if "shm_offset" in desc:
        if MODE == "good" and desc["nbytes"] < threshold:
            return {"type": "error", "id": header["id"], "code": "invalid", "message": "small input in shm"}
        data = region[desc["shm_offset"]:desc["shm_offset"] + desc["nbytes"]]
    else:
        if MODE == "good" and desc["nbytes"] >= threshold:
            return {"type": "error", "id": header["id"], "code": "invalid", "message": "large input in the pipe"}
        data = payload
    if MODE == "good" and desc["nbytes"] < threshold and "shm_out" in header:
        # relu's output is its input's size: nothing of this request can use the region
        return {"type": "error", "id": header["id"], "code": "invalid", "message": "a window on a tiny request"}
    n = len(data) // 4
    result = struct.pack("<%df" % n, *[v if v > 0 or v != v else 0.0 for v in struct.unpack("<%df" % n, data)])
    out = {"dtype": "f32", "shape": desc["shape"], "nbytes": len(result)}
    window = header.get("shm_out")
    if MODE == "pipe-offset":
        out["shm_offset"] = 0
        return {"type": "result", "id": header["id"], "payload_bytes": 0, "outputs": [out]}
    if window is None or len(result) < threshold:
        return {"type": "result", "id": header["id"], "payload_bytes": len(result), "outputs": [out]}, result
    start, end = window["offset"], window["offset"] + window["bytes"]
    offset = {"outside": end - len(result) + 4, "before": 0, "huge": 1 << 62}.get(MODE, (start + 63) // 64 * 64)
    if MODE == "die" and abp.first_time():
        region[offset:offset + len(result) // 2] = result[:len(result) // 2]
        os.kill(os.getpid(), signal.SIGKILL)
    if MODE not in ("outside", "before", "huge"):
        region[offset:offset + len(result)] = result
    out["shm_offset"] = offset
    reply = {"type": "result", "id": header["id"], "payload_bytes": 0, "outputs": [out]}
    if MODE == "garbage":  # in the same write as the reply, so the check right after it sees them
        abp.out.write(json.dumps(reply).encode() + b"\n" + b"\x00garbage\xff" * 100)
        abp.out.flush()
        return None
    if MODE == "late":
        def scribble():
            time.sleep(0.3)
            region[offset:offset + len(result)] = b"\xff" * len(result)
        threading.Thread(target=scribble, daemon=True).start()
    return reply


abp.serve(hello=hello, execute=execute)
