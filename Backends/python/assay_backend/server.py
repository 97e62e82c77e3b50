"""The ABP v1 dispatch loop and the process entry point `run()`."""

import argparse
import os
import platform
import sys
import traceback

import numpy as np

from . import allocator, graph, shm
from .errors import BackendError, Invalid, Unsupported
from .graph_store import GraphStore
from .framing import (MINOR, PROTOCOL, EndOfStream, FramingError, MessageReader, MessageWriter,
                      decode_tensors, encode_header, encode_result, encode_tensors, is_int, parse_specs,
                      payload_size)
from .timing import log

MAX_ERROR_MESSAGE = 16 << 10
DEFAULT_MAX_PAYLOAD_BYTES = 64 << 30  # the harness enforces its own (smaller) cap
GRAPH_MESSAGES = ("load_graph", "run_graph", "benchmark_graph", "unload")
TIMERS = ("host_monotonic", "cuda_event", "npu_event", "mlu_event", "musa_event", "xpu_event",
          "host_synchronize")


class _Exit(Exception):
    def __init__(self, code):
        self.code = code


_PROTECTED = None


def protect_stdio():
    """Move the protocol onto private duplicates of fds 0/1 and point fd 1 (and
    sys.stdout) at stderr and fd 0 at /dev/null, so that stray print()s, C
    libraries and child processes can neither corrupt nor consume the stream.
    Returns (binary input stream, binary output stream). Idempotent: call it at
    the top of a backend script, before importing libraries that might print;
    run() calls it too."""
    global _PROTECTED
    if _PROTECTED is not None:
        return _PROTECTED
    try:
        sys.stdout.flush()
    except Exception:
        pass
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    try:
        sys.stdin = open(os.devnull, "r")
    except OSError:
        pass
    _PROTECTED = (os.fdopen(proto_in, "rb", buffering=1 << 16), os.fdopen(proto_out, "wb", buffering=1 << 16))
    return _PROTECTED


class Server(object):
    def __init__(self, backend, in_stream, out_stream):
        self.backend = backend
        self.reader = MessageReader(in_stream)
        self.writer = MessageWriter(out_stream)
        self.capabilities = None  # set by a successful hello
        self.features = []  # ABP 1.1 features agreed in the hello
        self.region = None  # feature shm: the shared-memory region, once agreed
        self.handlers = {"hello": self.on_hello, "execute": self.on_execute, "benchmark": self.on_benchmark,
                         "transfer": self.on_transfer, "memory": self.on_memory, "shutdown": self.on_shutdown,
                         "collective": self.on_collective}
        self.handlers.update(dict.fromkeys(GRAPH_MESSAGES, self.on_graph))
        self.graphs = None  # feature graph: the graphs loaded since the hello
        self.timer = "host_monotonic"
        self.max_payload_bytes = int(os.environ.get("ASSAY_MAX_PAYLOAD_BYTES", DEFAULT_MAX_PAYLOAD_BYTES))

    # ------------------------------------------------------------- helpers
    def send(self, header, buffers=()):
        self.send_line(encode_header(header), buffers)

    def send_line(self, line, buffers=()):
        """Sends an encoded header line and its payload buffers."""
        try:
            self.writer.write_line(line, buffers)
        except (BrokenPipeError, OSError) as exc:
            log("stdout closed (%s); exiting" % exc)
            raise _Exit(0)

    def send_error(self, req_id, code, message):
        message = str(message)
        if len(message) > MAX_ERROR_MESSAGE:
            message = message[:MAX_ERROR_MESSAGE] + "... (truncated)"
        self.send({"type": "error", "id": req_id, "code": code, "message": message})

    # ---------------------------------------------------------------- loop
    def serve(self):
        """Serve until shutdown or EOF; returns the process exit code."""
        try:
            while True:
                try:
                    header = self.reader.read_header()
                except FramingError as exc:
                    self.send_error(None, "invalid", str(exc))
                    continue
                req_id = header.get("id")
                try:
                    nbytes = payload_size(header)
                except FramingError as exc:
                    # the payload length is unknown: nothing can be skipped
                    self.send_error(req_id, "invalid", str(exc))
                    continue
                if nbytes > self.max_payload_bytes:
                    self.reader.skip_payload(nbytes)
                    self.send_error(req_id, "invalid", "payload_bytes %d exceeds this plugin's limit of %d"
                                    % (nbytes, self.max_payload_bytes))
                    continue
                try:
                    payload = self.reader.read_payload(nbytes) if nbytes else bytearray()
                except MemoryError:
                    self.reader.skip_payload(nbytes)
                    self.send_error(req_id, "internal", "out of host memory for a %d-byte payload" % nbytes)
                    continue
                if self.region is not None and self.region.fd is not None and header.get("type") != "hello":
                    self.region.release_fd()  # the harness opened it before sending this request
                self.dispatch(header, req_id, payload)
        except EndOfStream:
            self.close()
            return 0
        except _Exit as exc:
            self.close()
            return exc.code

    def close(self):
        if self.region is not None:
            self.region.close()
        try:
            self.backend.close()
        except Exception as exc:  # pragma: no cover
            log("close() failed:", exc)

    def dispatch(self, header, req_id, payload):
        kind = header.get("type")
        handler = self.handlers.get(kind) if isinstance(kind, str) else None
        try:
            if handler is None:
                raise Invalid("unknown message type %r" % (kind,))
            if kind not in ("hello", "shutdown") and self.capabilities is None:
                raise Invalid("no successful hello yet")
            handler(header, req_id, payload)
        except _Exit:
            raise
        except BackendError as exc:
            self.send_error(req_id, exc.code, exc.message or exc.__class__.__name__)
        except MemoryError as exc:
            self.after_internal_error()
            self.send_error(req_id, "internal", "out of memory: %s" % (exc,))
        except Exception as exc:
            log("internal error while serving %r:\n%s" % (kind, traceback.format_exc()))
            self.after_internal_error()
            self.send_error(req_id, "internal", "%s: %s" % (type(exc).__name__, exc))

    def after_internal_error(self):
        # Cached benchmark inputs may be what filled the memory; the backend's own hook frees the rest.
        for name in ("forget_inputs", "after_error"):
            hook = getattr(self.backend, name, None)
            if hook is not None:
                try:
                    hook()
                except Exception:
                    pass

    # ------------------------------------------------------------ messages
    def on_hello(self, h, req_id, payload):
        proto = h.get("protocol")
        if not is_int(proto) or proto != PROTOCOL:
            self.send_error(req_id, "invalid", "protocol %r is not supported; this plugin speaks protocol %d"
                            % (proto, PROTOCOL))
            raise _Exit(1)
        options = h.get("options") or {}
        if not isinstance(options, dict):
            raise Invalid("hello options must be an object")
        merged = dict(self.backend.options)
        merged.update(options)
        self.capabilities = None
        self.backend.configure(merged)
        desc = self.backend.describe()
        caps = desc.get("capabilities") or {}
        runtime = {"python": platform.python_version(), "numpy": np.__version__}
        runtime.update(desc.get("runtime") or {})
        reply = {
            "type": "hello",
            "protocol": PROTOCOL,
            "backend": {"name": self.backend.name, "version": self.backend.version},
            "devices": desc.get("devices") or [],
            "timer": desc.get("timer", "host_monotonic"),
            "capabilities": caps,
            "runtime": runtime,
        }
        for key, value in desc.items():
            if key not in reply:
                reply[key] = value
        reply["minor"], reply["features"] = MINOR, self.agree(h)
        if self.region is not None:
            reply["shm"] = self.region.grant()
        if req_id is not None:
            reply["id"] = req_id
        self.capabilities = {op: set(dts) for op, dts in caps.items()}
        self.timer = reply["timer"]
        self.graphs = GraphStore(self.backend, self.capabilities) if graph.FEATURE in self.features else None
        self.send(reply)

    def agree(self, h):
        """ABP 1.1: the features both sides name; the backend's `agree(features, hello)` hook
        (if any) reads its feature's hello fields (the collective rendezvous)."""
        offered = h.get("features") or []
        if not isinstance(offered, list):
            raise Invalid("hello features must be a list of names")
        mine = set(getattr(self.backend, "features", ()))
        if shm.supported() and getattr(self.backend, "shared_memory", True):
            mine.add(shm.FEATURE)  # a transport feature: the SDK serves it for every backend
        if getattr(self.backend, "graphs", False):
            mine.add(graph.FEATURE)  # graphs run on the backend's own ops (assay_backend/graph.py)
        self.features = sorted(f for f in set(offered) if isinstance(f, str) and f in mine)
        self.open_region(h)
        hook = getattr(self.backend, "agree", None)
        if hook is not None:
            hook(self.features, h)
        return self.features

    def open_region(self, h):
        """Feature shm: a fresh region per hello (the old one goes); without one, the feature
        is dropped from the agreed list and tensors keep the pipe."""
        if self.region is not None:
            self.region.close()
            self.region = None
        if shm.FEATURE not in self.features:
            return
        offer = shm.Offer(h.get("shm"))
        try:
            self.region = shm.Region(offer)
        except OSError as exc:
            log("shared memory unavailable (%s); tensors keep the pipe" % (exc,))
            self.features.remove(shm.FEATURE)

    def send_result(self, header, descs, bufs, total, window, outputs=None):
        """A `result` reply: outputs go to the request's `shm_out` window (as `Region.window`
        read it) where they fit; those built there through `outputs` stay in place."""
        if window is not None:
            bufs, total = self.region.place(window, descs, bufs, outputs.cursor if outputs is not None else None)
        header["outputs"], header["payload_bytes"] = descs, total
        self.send(header, bufs)

    def _require_feature(self, name):
        if name not in self.features:
            raise Invalid("feature %r was not agreed in the hello" % (name,))

    def on_collective(self, h, req_id, payload):
        self._require_feature("collective")
        header, bufs = self.backend.serve_collective(h)
        header["id"] = req_id
        if header.get("type") == "result":
            window = self.region.window(h) if self.region is not None else None
            self.send_result(header, header["outputs"], bufs, header.get("payload_bytes", 0), window)
        else:
            self.send(header, bufs)

    def _check_call(self, h):
        op, dtype = h.get("op"), h.get("dtype")
        if not isinstance(op, str) or not op:
            raise Invalid("op must be a non-empty string")
        if not isinstance(dtype, str) or not dtype:
            raise Invalid("dtype must be a non-empty string")
        attrs = h.get("attrs")
        if attrs is None:
            attrs = {}
        if not isinstance(attrs, dict):
            raise Invalid("attrs must be an object")
        return op, dtype, attrs

    def _check_capability(self, op, dtype):
        if op not in self.capabilities:
            raise Unsupported("op %r is not implemented by %s" % (op, self.backend.name))
        if dtype not in self.capabilities[op]:
            raise Unsupported("%s: dtype %r is not implemented by %s (has: %s)"
                              % (op, dtype, self.backend.name, ", ".join(sorted(self.capabilities[op]))))

    def on_execute(self, h, req_id, payload):
        op, dtype, attrs = self._check_call(h)
        inputs = decode_tensors(h.get("inputs"), payload, "inputs", self.region)
        self._check_capability(op, dtype)
        window = self.region.window(h) if self.region is not None else None
        # Backend.output_array hands out arrays in the shm_out window while execute() runs.
        outputs = self.backend._shm_outputs = self.region.outputs(window) if window is not None else None
        try:
            result = self.backend.execute(op, dtype, attrs, inputs)
        finally:
            self.backend._shm_outputs = None
        if not isinstance(result, (list, tuple)):
            result = [result]
        descs, bufs, total = encode_tensors(result)
        if window is not None:
            bufs, total = self.region.place(window, descs, bufs, outputs.cursor)
        if is_int(req_id):  # the generic JSON encoder costs more than the rest of a tiny request
            self.send_line(encode_result(req_id, descs, total), bufs)
        else:
            self.send({"type": "result", "id": req_id, "outputs": descs, "payload_bytes": total}, bufs)

    def _positive_int(self, h, name, default):
        v = h.get(name, default)
        if v is None:
            v = default
        if not is_int(v) or v < 1:
            raise Invalid("%s must be a positive integer, got %r" % (name, v))
        return v

    def _samples_reply(self, req_id, result, samples):
        if isinstance(result, (list, tuple)):
            result = {"elapsed_ns": list(result)}
        elapsed = [float(x) for x in result.get("elapsed_ns", [])]
        if len(elapsed) != samples:
            raise RuntimeError("backend returned %d samples, %d requested" % (len(elapsed), samples))
        reply = {"type": "samples", "id": req_id, "elapsed_ns": elapsed,
                 "timer": result.get("timer") or self.timer}
        if result.get("telemetry"):
            reply["telemetry"] = result["telemetry"]
        for key, value in result.items():
            if key not in reply:
                reply[key] = value
        self.send(reply)

    def on_benchmark(self, h, req_id, payload):
        op, dtype, attrs = self._check_call(h)
        specs = parse_specs(h.get("inputs"), "inputs", require_nbytes=False)
        seed, mode, k, samples = self._sampling(h)
        self._check_capability(op, dtype)
        result = self.backend.benchmark(op, dtype, attrs, specs, seed, mode, k, samples)
        self._samples_reply(req_id, result, samples)

    def _sampling(self, h):
        """`seed`, `mode`, `k` and `samples` of a `benchmark` or `benchmark_graph` request."""
        seed = h.get("seed", 0)
        if seed is None:
            seed = 0
        if not is_int(seed):
            raise Invalid("seed must be an integer")
        mode = h.get("mode", "warm") or "warm"
        if mode not in ("warm", "cold"):
            raise Invalid("mode must be 'warm' or 'cold', got %r" % (mode,))
        return seed, mode, self._positive_int(h, "k", 1), self._positive_int(h, "samples", 1)

    def on_graph(self, h, req_id, payload):
        """Feature graph: the store holds the graphs; a result's tensors carry their names."""
        self._require_feature(graph.FEATURE)
        kind = h["type"]
        if kind == "benchmark_graph":
            seed, mode, k, samples = self._sampling(h)
            given = None if h.get("inputs") is None else decode_tensors(h["inputs"], payload, "inputs", self.region)
            self._samples_reply(req_id, self.graphs.benchmark(h, seed, mode, k, samples, given), samples)
        elif kind == "run_graph":
            names, arrays = self.graphs.run(h, decode_tensors(h.get("inputs"), payload, "inputs", self.region))
            descs, bufs, total = encode_tensors(arrays)
            for desc, name in zip(descs, names):
                desc["name"] = name
            window = self.region.window(h) if self.region is not None else None
            if window is not None:  # outputs go to the request's shm_out window where they fit
                bufs, total = self.region.place(window, descs, bufs)
            self.send({"type": "result", "id": req_id, "outputs": descs, "payload_bytes": total}, bufs)
        else:
            if kind == "load_graph":
                reply = self.graphs.load(h, decode_tensors(h.get("weights"), payload, "weights", self.region))
            else:
                reply = self.graphs.unload(h)
            reply["id"] = req_id
            self.send(reply)

    def on_transfer(self, h, req_id, payload):
        direction = h.get("direction")
        if direction not in ("h2d", "d2h"):
            raise Invalid("direction must be 'h2d' or 'd2h', got %r" % (direction,))
        nbytes = self._positive_int(h, "bytes", None)
        pinned = h.get("pinned", True)
        if pinned is None:
            pinned = True
        if not isinstance(pinned, bool):
            raise Invalid("pinned must be a boolean")
        samples = self._positive_int(h, "samples", 1)
        result = self.backend.transfer(direction, nbytes, pinned, samples)
        self._samples_reply(req_id, result, samples)

    def on_memory(self, h, req_id, payload):
        result = self.backend.memory()
        if isinstance(result, dict):
            total, free = result["total_bytes"], result["free_bytes"]
        else:
            total, free = result
        self.send({"type": "memory", "id": req_id, "total_bytes": int(total), "free_bytes": int(free)})

    def on_shutdown(self, h, req_id, payload):
        self.send({"type": "bye", "id": req_id})
        raise _Exit(0)


def serve(backend, in_stream, out_stream):
    """Serve ABP v1 on the given binary streams; returns the exit code."""
    return Server(backend, in_stream, out_stream).serve()


def parse_args(argv=None, description=None):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--device", help="device to run on (a hello option 'device' overrides it)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="default hello option (repeatable); VALUE is a string")
    args = p.parse_args(argv)
    options = {}
    for item in args.option:
        key, sep, value = item.partition("=")
        if not sep:
            p.error("--option needs KEY=VALUE, got %r" % item)
        options[key] = value
    if args.device:
        options["device"] = args.device
    return options


def run(backend_class, argv=None):
    """Entry point: parse the command line, protect stdio, serve, exit."""
    allocator.pin_thresholds()  # timings must not depend on what earlier requests freed
    options = parse_args(argv, description="%s backend for Assay (ABP v1 on stdin/stdout)"
                         % backend_class.name)
    in_stream, out_stream = protect_stdio()
    backend = backend_class(options)
    try:
        code = serve(backend, in_stream, out_stream)
    except KeyboardInterrupt:
        code = 130
    try:
        out_stream.flush()
    except Exception:
        pass
    sys.stderr.flush()
    sys.exit(code)
