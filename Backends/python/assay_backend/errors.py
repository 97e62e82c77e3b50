"""Error types a backend raises; the dispatch loop turns them into `error` messages."""


class BackendError(Exception):
    """Base class: an error answered with `{"type":"error","code":CODE,...}`."""

    code = "internal"

    def __init__(self, message=""):
        super().__init__(message)
        self.message = str(message)


class Unsupported(BackendError):
    """The op, dtype, attribute or attribute value is not implemented (a skip, never a pass)."""

    code = "unsupported"


class Invalid(BackendError):
    """The request is malformed: bad shapes, wrong dtypes, missing fields, unknown message type."""

    code = "invalid"


class Internal(BackendError):
    """The backend failed while doing something valid (any other exception maps here too)."""

    code = "internal"


def unsupported(message):
    """Raise `Unsupported(message)`; handy in expressions and lambdas."""
    raise Unsupported(message)


def invalid(message):
    """Raise `Invalid(message)`."""
    raise Invalid(message)


def require(condition, message):
    """Raise `Invalid(message)` unless `condition` holds."""
    if not condition:
        raise Invalid(message)
