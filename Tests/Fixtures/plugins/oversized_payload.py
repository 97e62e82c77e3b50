"""Issue 13.1: answers execute with a header announcing a 4 GiB result, then sends nothing."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp


def execute(header, payload):
    size = 4 << 30
    abp.send({"type": "result", "id": header["id"], "payload_bytes": size,
              "outputs": [{"dtype": "f32", "shape": [size // 4], "nbytes": size}]})
    time.sleep(3600)


abp.serve(execute=execute)
