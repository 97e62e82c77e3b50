import os, sys, time
mode, repo = sys.argv[1:3]
del sys.argv[1:]  # run() parses the command line
sys.path.insert(0, os.path.join(repo, "Backends", "python"))
from assay_backend.server import protect_stdio
protect_stdio()
from assay_backend import Backend, Unsupported, now_ns, run

class FakeDevice(Backend):
    name = "fake-device"
    version = "1"

    def describe(self):
        kind = "cpu" if mode == "host" else "gpu"
        return {"devices": [{"index": 0, "name": "fake accelerator", "kind": kind, "memory_bytes": 8 << 30}],
                "timer": "host_monotonic", "capabilities": {}}

    def execute(self, op, dtype, attrs, inputs):
        raise Unsupported("no ops")

    def transfer(self, direction, nbytes, pinned, samples):
        if mode == "unsupported":
            return Backend.transfer(self, direction, nbytes, pinned, samples)
        if mode == "crash":
            print("fake device lost", file=sys.stderr, flush=True)
            os._exit(7)
        if mode == "hang":
            print("fake device stuck", file=sys.stderr, flush=True)
            time.sleep(3600)
        if mode == "pageable" and pinned:
            raise Unsupported("no page-locked host memory here")
        host, device = bytearray(b"\x01" * nbytes), bytearray(nbytes)
        src, dst = (host, device) if direction == "h2d" else (device, host)
        dst[:] = src  # untimed warm-up copy
        elapsed = []
        for _ in range(samples):
            start = now_ns()
            dst[:] = src
            elapsed.append(float(now_ns() - start))
        return {"elapsed_ns": elapsed, "timer": "host_monotonic"}

    def memory(self):
        if mode == "unsupported":
            raise Unsupported("no device memory")
        return 8 << 30, 6 << 30

run(FakeDevice)
