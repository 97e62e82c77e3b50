"""A minimal ABP v1 client for the tests (the harness side, in Python)."""

import json
import os
import subprocess
import sys
import tempfile

from assay_backend import decode_tensors, encode_tensors


class Client(object):
    def __init__(self, argv, env=None, hello=True, options=None, cwd=None):
        """Starts `python argv...` in `cwd` (default: this process's) and sends the hello."""
        self.stderr = tempfile.TemporaryFile()
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env["PYTHONUNBUFFERED"] = "1"
        self.proc = subprocess.Popen([sys.executable] + list(argv), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, env=full_env, cwd=cwd)
        self.next_id = 1
        self.hello_reply = None
        if hello:
            self.hello_reply = self.hello(options or {})

    # --------------------------------------------------------------- raw I/O
    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, header, arrays=()):
        descs, bufs, total = encode_tensors(arrays)
        if arrays:
            header = dict(header, inputs=descs, payload_bytes=total)
        self.send_raw(json.dumps(header).encode() + b"\n" + b"".join(bytes(b) for b in bufs))

    def recv(self):
        line = self.proc.stdout.readline()
        if not line:
            raise EOFError("backend closed stdout; stderr:\n" + self.stderr_text())
        assert line.endswith(b"\n")
        header = json.loads(line)
        n = header.get("payload_bytes", 0)
        payload = self.proc.stdout.read(n) if n else b""
        assert len(payload) == n
        outputs = decode_tensors(header["outputs"], payload, "outputs") if "outputs" in header else []
        return header, outputs

    def request(self, header, arrays=()):
        if "id" not in header:
            header = dict(header, id=self.next_id)
            self.next_id += 1
        self.send(header, arrays)
        reply, outputs = self.recv()
        assert reply.get("id") == header["id"], (reply, header)
        return reply, outputs

    # ---------------------------------------------------------------- helpers
    def hello(self, options=None, protocol=1):
        self.send({"type": "hello", "protocol": protocol, "harness": "assay-tests 0.1.0",
                   "options": options or {}})
        return self.recv()[0]

    def execute(self, op, dtype, inputs, attrs=None):
        reply, outputs = self.request({"type": "execute", "op": op, "dtype": dtype,
                                       "attrs": attrs or {}}, list(inputs))
        if reply["type"] == "error":
            raise BackendReplyError(reply)
        assert reply["type"] == "result", reply
        return outputs

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self, timeout=30):
        if self.proc.poll() is None:
            try:
                self.send({"type": "shutdown", "id": 999999})
                reply, _ = self.recv()
                assert reply == {"type": "bye", "id": 999999}, reply
            except (BrokenPipeError, EOFError, OSError):
                pass
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.proc.stdout.close()
        return code


class BackendReplyError(Exception):
    def __init__(self, reply):
        super().__init__("%s: %s" % (reply.get("code"), reply.get("message")))
        self.reply = reply
        self.code = reply.get("code")
