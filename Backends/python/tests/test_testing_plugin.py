"""`pytest --assay-backend module:Class` (assay_backend.testing) runs the SDK's op tests
against a backend that lives outside the repository: here a module in a temporary folder,
once right and once deliberately wrong."""

import os
import subprocess
import sys
import textwrap

PYDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BACKEND = textwrap.dedent('''
    import numpy as np
    from assay_backend import Backend, from_float, opspec, to_float

    class VendorBackend(Backend):
        name, version = "vendor", "0.1"
        WRONG = False

        def describe(self):
            return {"devices": [{"index": 0, "name": "host", "kind": "cpu", "memory_bytes": 0}],
                    "timer": "host_monotonic",
                    "capabilities": {"relu": ["f32", "bf16"], "mul": ["f32"]},
                    "runtime": {"precision": self.options.get("precision", "none")}}

        def execute(self, op, dtype, attrs, inputs):
            opspec.check(op, dtype, attrs, inputs)
            x = [to_float(a, np.float64) for a in inputs]
            if op == "relu":
                out = x[0] if self.WRONG else np.where(np.isnan(x[0]) | (x[0] > 0), x[0], 0.0)
            else:
                out = x[0] * x[1]
            return from_float(out, dtype)

    class WrongBackend(VendorBackend):
        WRONG = True  # relu passes negatives through
''')


def run_pytest(folder, spec, *extra):
    env = dict(os.environ, PYTHONPATH=PYDIR)  # the SDK, not installed
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "assay_backend.testing.plugin",
                           "--assay-backend", spec] + list(extra),
                          cwd=str(folder), env=env, capture_output=True, text=True, timeout=300)


def test_out_of_tree_backend_passes_what_it_claims(tmp_path):
    (tmp_path / "vendor_backend.py").write_text(BACKEND)
    done = run_pytest(tmp_path, "vendor_backend:VendorBackend", "--assay-backend-option", "precision=high",
                      "-k", "relu or mul", "-rs")
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary, summary
    # relu in f16 is not claimed: skipped, naming why
    assert "does not claim relu f16" in done.stdout


def test_out_of_tree_wrong_backend_fails(tmp_path):
    (tmp_path / "vendor_backend.py").write_text(BACKEND)
    done = run_pytest(tmp_path, "vendor_backend:WrongBackend", "-k", "relu")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed" in done.stdout.strip().splitlines()[-1]
    assert "relu" in done.stdout


def test_bad_spec_is_a_usage_error(tmp_path):
    done = run_pytest(tmp_path, "no_colon_here")
    assert done.returncode == 4 and "module:Class" in done.stderr, done.stdout + done.stderr
