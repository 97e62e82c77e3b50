"""Serves the numpy backend of the repository with a hook in front of every execute, for the
fixtures that misbehave in a real SDK plugin: `serve(repo, hook)`; `hook(server, header)` may
sleep, exit or write to the stream itself and return True to skip the real execute."""
import os
import sys


def serve(repo, hook):
    sys.path.insert(0, os.path.join(repo, "Backends", "python"))
    from assay_backend.server import Server, protect_stdio
    protect_stdio()
    import numpy_backend
    from assay_backend import run

    original = Server.on_execute

    def hooked(self, header, req_id, payload):
        if hook(self, header):
            return None
        return original(self, header, req_id, payload)

    Server.on_execute = hooked
    run(numpy_backend.NumpyBackend)
