"""pytest plugin: `pytest --assay-backend module:Class` runs the SDK's op tests
(assay_backend/testing/ops_tests.py) against that backend class.

The class is imported in a child process started with this interpreter and this
process's sys.path (the folder pytest runs in included), so anything importable here is
importable there. `--assay-backend-option key=value` (repeatable) goes into the hello's
`options`, as a target descriptor's `device:` and `options:` do.
"""

import os
import sys

import pytest

from .client import Client

OPS_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_tests.py")
GRAPH_OPS_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "graph_ops_tests.py")


def pytest_addoption(parser):
    group = parser.getgroup("assay", "Assay backend conformance (assay_backend.testing)")
    group.addoption("--assay-backend", metavar="MODULE:CLASS", default=None,
                    help="run the SDK's op tests against this Backend subclass")
    group.addoption("--assay-backend-option", metavar="KEY=VALUE", action="append", default=[],
                    help="a hello option for the backend (repeatable), e.g. device=cuda:0")


def pytest_configure(config):
    spec = config.getoption("--assay-backend")
    if spec is None:
        return
    if ":" not in spec:
        raise pytest.UsageError("--assay-backend wants module:Class, got %r" % (spec,))
    for item in config.getoption("--assay-backend-option"):
        if "=" not in item:
            raise pytest.UsageError("--assay-backend-option wants key=value, got %r" % (item,))
    # The op tests live in this package, not in the folder pytest was started in: they are
    # what runs, beside any paths given on the command line (not the folder's own tests).
    given = getattr(config, "args_source", None) == pytest.Config.ArgsSource.ARGS
    if not given:
        config.args[:] = []
    for tests in (OPS_TESTS, GRAPH_OPS_TESTS):
        if tests not in config.args:
            config.args.append(tests)


def _options(config):
    return dict(item.split("=", 1) for item in config.getoption("--assay-backend-option"))


@pytest.fixture(scope="module")
def assay_backend_client(request):
    """A started backend (a `Client`) for the op tests; a repository's conftest may override it."""
    spec = request.config.getoption("--assay-backend")
    if spec is None:
        pytest.skip("no backend: give --assay-backend module:Class")
    env = {"PYTHONPATH": os.pathsep.join([os.getcwd()] + [p for p in sys.path if p])}
    client = Client(["-m", "assay_backend.testing.launch", spec], env=env, hello=False)
    reply = client.hello(_options(request.config))
    if reply.get("type") != "hello":
        client.close()
        pytest.fail("%s refused the hello: %s\n%s" % (spec, reply, client.stderr_text()), pytrace=False)
    client.hello_reply = reply
    client.name = spec
    yield client
    code = client.close()
    assert code == 0, "%s exited with %s\n%s" % (spec, code, client.stderr_text())
