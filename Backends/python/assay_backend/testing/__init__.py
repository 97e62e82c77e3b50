"""The SDK's op tests, runnable against any backend class.

    pytest --assay-backend mypackage.backend:MyBackend [--assay-backend-option device=npu:0]

starts `MyBackend` over the protocol (as the harness would: a child process speaking
ABP v1 on its stdin/stdout) and runs every op of docs/OPS.md in each float dtype it
claims against an independent float64 reference within the OPS.md tolerance. The
pytest plugin (`assay_backend.testing.plugin`) is registered by `pip install` of the
SDK; without installing, add `-p assay_backend.testing.plugin`.
"""

from .client import BackendReplyError, Client

__all__ = ["BackendReplyError", "Client"]
