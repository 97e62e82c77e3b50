"""A backend that writes to stdout in every way it can: the SDK must keep the protocol clean."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from assay_backend import Backend, protect_stdio, run  # noqa: E402

protect_stdio()  # first thing, before libraries that might print are imported
print("noise at import")


class Noisy(Backend):
    name = "noisy"
    version = "0.0.1"

    def describe(self):
        print("noise in describe")
        return {"devices": [{"index": 0, "name": "noise", "kind": "cpu"}], "timer": "host_monotonic",
                "capabilities": {"copy": ["f32"]}}

    def execute(self, op, dtype, attrs, inputs):
        print("noise in execute")
        sys.stdout.write("more noise\n")
        sys.stdout.flush()
        sys.__stdout__.write("dunder noise\n")
        sys.__stdout__.flush()
        os.write(1, b"raw fd 1 noise\n")
        subprocess.run(["sh", "-c", "echo child noise; cat"], check=False)  # cat must not eat stdin
        return inputs[0].copy()


if __name__ == "__main__":
    run(Noisy)
