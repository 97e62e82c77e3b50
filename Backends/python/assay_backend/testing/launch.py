"""`python -m assay_backend.testing.launch module:Class [backend args...]`: serves the
protocol with the named Backend subclass, as the backend's own script would."""

import importlib
import sys

from assay_backend.server import protect_stdio, run


def load(spec):
    """The class `module:Class` names (ValueError when the text is not of that form)."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ValueError("expected module:Class, got %r" % (spec,))
    target = importlib.import_module(module_name)
    for part in class_name.split("."):
        target = getattr(target, part)
    return target


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        sys.stderr.write("usage: python -m assay_backend.testing.launch module:Class [args...]\n")
        sys.exit(2)
    protect_stdio()  # before the backend's module is imported: its imports may print
    run(load(argv[0]), argv[1:])


if __name__ == "__main__":
    main()
