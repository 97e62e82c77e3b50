"""Typed access to a request's `attrs` object.

    a = Attrs(attrs, known=("transpose_a", "transpose_b"))   # unknown names -> Unsupported
    ta = a.bool("transpose_a", False)

Wrong JSON types raise Invalid; values the backend does not implement raise
Unsupported (see `choice`). A JSON null means "use the default".
"""

import math

from .errors import Invalid, Unsupported
from .framing import is_int


class Attrs(object):
    def __init__(self, attrs, known=None, op="op"):
        if attrs is None:
            attrs = {}
        if not isinstance(attrs, dict):
            raise Invalid("attrs must be an object")
        self.raw = attrs
        self.op = op
        if known is not None:
            unknown = sorted(set(attrs) - set(known))
            if unknown:
                raise Unsupported("%s: attribute(s) %s not implemented (known: %s)"
                                  % (op, ", ".join(unknown), ", ".join(known) or "none"))

    def _get(self, name):
        value = self.raw.get(name)
        return value

    def bool(self, name, default):
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        if is_int(v) and v in (0, 1):
            return bool(v)
        raise Invalid("%s: attribute %s must be a boolean, got %r" % (self.op, name, v))

    def int(self, name, default, minimum=None):
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if not is_int(v):
            raise Invalid("%s: attribute %s must be an integer, got %r" % (self.op, name, v))
        if minimum is not None and v < minimum:
            raise Invalid("%s: attribute %s must be >= %d, got %d" % (self.op, name, minimum, v))
        return v

    def float(self, name, default, positive=False):
        v = self._get(name)
        if v is None:
            return default
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise Invalid("%s: attribute %s must be a number, got %r" % (self.op, name, v))
        v = float(v)
        if positive and not (v > 0 or math.isnan(v)):
            raise Invalid("%s: attribute %s must be > 0, got %r" % (self.op, name, v))
        return v

    def ints(self, name, default, length=None, minimum=None, allow_scalar=False):
        v = self._get(name)
        if v is None:
            return None if default is None else list(default)
        if allow_scalar and (is_int(v) or (isinstance(v, float) and v.is_integer())):
            v = [int(v)] * (length or 1)
        if not isinstance(v, list):
            raise Invalid("%s: attribute %s must be a list of integers, got %r" % (self.op, name, v))
        out = []
        for x in v:
            if isinstance(x, float) and x.is_integer():
                x = int(x)
            if not is_int(x):
                raise Invalid("%s: attribute %s must be a list of integers, got %r" % (self.op, name, v))
            if minimum is not None and x < minimum:
                raise Invalid("%s: attribute %s entries must be >= %d, got %r" % (self.op, name, minimum, v))
            out.append(x)
        if length is not None and len(out) != length:
            raise Invalid("%s: attribute %s must have %d entries, got %r" % (self.op, name, length, v))
        return out

    def choice(self, name, default, choices):
        """A string attribute; values outside `choices` are Unsupported (not implemented)."""
        v = self._get(name)
        if v is None:
            return default
        if not isinstance(v, str):
            raise Invalid("%s: attribute %s must be a string, got %r" % (self.op, name, v))
        if v not in choices:
            raise Unsupported("%s: %s=%r not implemented (implemented: %s)"
                              % (self.op, name, v, ", ".join(choices)))
        return v
