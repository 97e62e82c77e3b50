"""Issue 24, sample values: a benchmark answered with the sample value given as the argument
(0 or a negative number) for every sample; everything else is correct."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abp

value = float(sys.argv[1])


def benchmark(header, payload):
    return {"type": "samples", "id": header["id"], "elapsed_ns": [value] * header.get("samples", 1)}


abp.serve(benchmark=benchmark)
