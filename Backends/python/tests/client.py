"""The SDK's test client (assay_backend.testing.client), started in Backends/python so
that the tests name backends by their path there (numpy_backend.py, examples/...)."""

import os
import sys

PYDIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PYDIR)

from assay_backend.testing import client as _client  # noqa: E402

BackendReplyError = _client.BackendReplyError


class Client(_client.Client):
    def __init__(self, argv, **kwargs):
        kwargs.setdefault("cwd", PYDIR)
        super(Client, self).__init__(argv, **kwargs)
