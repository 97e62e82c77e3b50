"""Console entry points that `pip install ./Backends/python` creates:

    assay-backend-numpy            the numpy reference backend (numpy_backend.py)
    assay-backend-torch [--device cuda]   the torch backend (torch_backend.py)
    assay-backend-jax              the JAX backend (jax_backend.py)

Each protects the protocol's stdio before importing the backend module (and with it torch and
its device plugins, which may print while loading), as the scripts do when run by path.
"""

import importlib

from .server import protect_stdio, run


def _serve(module_name, class_name):
    protect_stdio()
    backend_class = getattr(importlib.import_module(module_name), class_name)
    run(backend_class)


def numpy_main():
    _serve("numpy_backend", "NumpyBackend")


def torch_main():
    _serve("torch_backend", "TorchBackend")


def jax_main():
    _serve("jax_backend", "JaxBackend")
