"""`pip install ./Backends/python` gives a working SDK and entry points, offline.

Installs into a fresh venv that sees the system's numpy (--system-site-packages), with no
index and no build isolation, then runs the built harness's `assay plugin check` against the
installed `assay-backend-numpy` from a folder outside the repository.
"""

import os
import subprocess
import sys

import pytest

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPOSITORY = os.path.dirname(os.path.dirname(PACKAGE))


def built_assay():
    """The `assay` that `swift build` left under .build/{debug,release} of the repository or a
    folder above it, nearest first (as Tests/AssayTestSupport/Repository.swift looks), or
    $ASSAY_BINARY."""
    if os.environ.get("ASSAY_BINARY"):
        return os.environ["ASSAY_BINARY"]
    directory = REPOSITORY
    while True:
        for configuration in ("debug", "release"):
            candidate = os.path.join(directory, ".build", configuration, "assay")
            if os.access(candidate, os.X_OK):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def run(argv, **kwargs):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv with the package installed; skipped only when venv or an offline build cannot work here."""
    folder = tmp_path_factory.mktemp("venv")
    made = run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)])
    if made.returncode != 0:
        pytest.skip("python3 -m venv does not work here: " + made.stdout[-500:])
    python = os.path.join(folder, "bin", "python")
    for module in ("pip", "setuptools", "wheel"):
        if run([python, "-c", "import " + module]).returncode != 0:
            pytest.skip("no %s to build the package offline (pip install %s)" % (module, module))
    installed = run([python, "-m", "pip", "install", "--no-index", "--no-build-isolation", "--quiet", PACKAGE],
                    cwd=str(folder))
    assert installed.returncode == 0, installed.stdout
    return folder


def test_install_declares_numpy_floor_and_entry_points(venv):
    python = os.path.join(venv, "bin", "python")
    script = ("import importlib.metadata as m, json; d = m.distribution('assay-backend'); "
              "print(json.dumps({'requires': d.requires, 'scripts': sorted(e.name for e in d.entry_points "
              "if e.group == 'console_scripts')}))")
    shown = run([python, "-c", script], cwd=str(venv))
    assert shown.returncode == 0, shown.stdout
    import json
    metadata = json.loads(shown.stdout)
    assert "numpy>=1.20" in metadata["requires"]
    assert metadata["scripts"] == ["assay-backend-jax", "assay-backend-numpy", "assay-backend-torch"]
    for name in metadata["scripts"]:
        assert os.access(os.path.join(venv, "bin", name), os.X_OK)


def test_installed_modules_come_from_the_venv(venv):
    # Run outside the repository so that nothing can be imported from the checkout.
    python = os.path.join(venv, "bin", "python")
    shown = run([python, "-c", "import assay_backend, numpy_backend; print(assay_backend.__file__); "
                 "print(numpy_backend.__file__); print(assay_backend.PROTOCOL)"], cwd=str(venv))
    assert shown.returncode == 0, shown.stdout
    sdk, backend, protocol = shown.stdout.split()
    assert sdk.startswith(str(venv)) and backend.startswith(str(venv))
    assert protocol == str(declared_protocol())


def test_installed_pytest_plugin_runs_the_op_tests_without_p(venv, tmp_path):
    # The pytest11 entry point loads assay_backend.testing.plugin: no -p, no PYTHONPATH.
    python = os.path.join(venv, "bin", "python")
    if run([python, "-c", "import pytest"]).returncode != 0:
        pytest.skip("pytest is not importable in the venv")
    done = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--assay-backend", "numpy_backend:NumpyBackend",
                "-k", "relu or copy"], cwd=str(tmp_path))
    assert done.returncode == 0, done.stdout
    assert " passed" in done.stdout.splitlines()[-1] and "failed" not in done.stdout.splitlines()[-1]


def declared_protocol():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(PACKAGE, "pyproject.toml"), "rb") as handle:
        return tomllib.load(handle)["tool"]["assay"]["protocol"]


def test_assay_plugin_check_passes_on_the_installed_entry_point(venv, tmp_path):
    assay = built_assay()
    if assay is None:
        pytest.skip("assay is not built (swift build)")
    environment = dict(os.environ, PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", ""))
    checked = run([assay, "plugin", "check", "--", "assay-backend-numpy"], cwd=str(tmp_path), env=environment)
    assert checked.returncode == 0, checked.stdout
    assert "FAIL" not in checked.stdout
    assert "checks passed" in checked.stdout.splitlines()[-1]
