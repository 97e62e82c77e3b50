"""The `shm` feature (ABP 1.1) of the SDK, driven as the harness drives it: the region is
opened through /proc/<plugin pid>/fd/<n>, checked (sealed memfd, size, nonce) and mapped;
large tensors travel through it, small ones and 1.0 hellos keep the pipe, and bad offsets
from the harness are `invalid` while the plugin keeps serving."""

import fcntl
import json
import mmap
import os

import numpy as np
import pytest

from client import Client

from assay_backend import shm

pytestmark = pytest.mark.skipif(not shm.supported(), reason="no memfd_create on this platform")

NONCE = "00112233445566778899aabbccddeeff"
REGION = 1 << 22
THRESHOLD = 4096


class ShmClient(Client):
    """The test client with the harness's side of `shm`."""

    def __init__(self, offer=True, **kwargs):
        super(ShmClient, self).__init__(["numpy_backend.py"], hello=False, **kwargs)
        header = {"type": "hello", "protocol": 1, "minor": 1, "harness": "assay-tests", "options": {}}
        if offer:
            header.update(features=["shm"], shm={"bytes": REGION, "threshold_bytes": THRESHOLD, "nonce": NONCE})
        self.send(header)
        self.hello_reply = self.recv()[0]
        self.region = None
        grant = self.hello_reply.get("shm")
        if grant is not None:
            fd = os.open("/proc/%d/fd/%d" % (self.proc.pid, grant["fd"]), os.O_RDWR | os.O_CLOEXEC)
            try:
                self.seals = fcntl.fcntl(fd, fcntl.F_GET_SEALS)
                self.size = os.fstat(fd).st_size
                self.region = mmap.mmap(fd, grant["bytes"], mmap.MAP_SHARED)
            finally:
                os.close(fd)

    def execute_shm(self, op, dtype, arrays, window=(1 << 21, 1 << 21), place=True):
        """Inputs of at least THRESHOLD bytes go to offsets 0, 64-aligned; outputs may use `window`."""
        descs, pipe, cursor = [], b"", 0
        for a in arrays:
            a = np.ascontiguousarray(a)
            d = {"dtype": {np.float32: "f32", np.float64: "f64"}[a.dtype.type], "shape": list(a.shape), "nbytes": a.nbytes}
            if place and a.nbytes >= THRESHOLD:
                self.region[cursor:cursor + a.nbytes] = a.tobytes()
                d["shm_offset"] = cursor
                cursor = shm.align(cursor + a.nbytes)
            else:
                pipe += a.tobytes()
            descs.append(d)
        header = {"type": "execute", "id": self.next_id, "op": op, "dtype": dtype, "attrs": {},
                  "inputs": descs, "payload_bytes": len(pipe)}
        if window is not None:
            header["shm_out"] = {"offset": window[0], "bytes": window[1]}
        self.next_id += 1
        self.send_raw(json.dumps(header).encode() + b"\n" + pipe)
        line = self.proc.stdout.readline()
        reply = json.loads(line)
        payload = self.proc.stdout.read(reply.get("payload_bytes", 0))
        outputs, offset = [], 0
        for d in reply.get("outputs", []):
            if "shm_offset" in d:
                data = bytes(self.region[d["shm_offset"]:d["shm_offset"] + d["nbytes"]])
            else:
                data, offset = payload[offset:offset + d["nbytes"]], offset + d["nbytes"]
            outputs.append((d, np.frombuffer(data, dtype=np.float32).reshape(d["shape"])))
        return reply, outputs


def test_the_region_is_a_sealed_memfd_holding_the_nonce():
    c = ShmClient()
    try:
        assert c.hello_reply["features"] == ["shm"]
        assert c.hello_reply["shm"]["bytes"] == REGION and c.size == REGION
        required = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL
        assert c.seals & required == required
        assert bytes(c.region[:16]) == bytes.fromhex(NONCE)
    finally:
        c.close()


def test_large_tensors_travel_through_the_region_small_ones_through_the_pipe():
    c = ShmClient()
    try:
        big = np.arange(100000, dtype=np.float32) - 5000
        small = np.array([-1.0, 2.0], dtype=np.float32)
        reply, outputs = c.execute_shm("relu", "f32", [big])
        assert reply["type"] == "result" and reply["payload_bytes"] == 0
        desc, out = outputs[0]
        assert desc["shm_offset"] >= 1 << 21 and desc["shm_offset"] % shm.ALIGN == 0
        np.testing.assert_array_equal(out, np.maximum(big, 0))
        reply, outputs = c.execute_shm("relu", "f32", [small])
        assert "shm_offset" not in outputs[0][0] and reply["payload_bytes"] == 8
        np.testing.assert_array_equal(outputs[0][1], [0.0, 2.0])
        # a large output with no window offered keeps the pipe
        reply, outputs = c.execute_shm("relu", "f32", [big], window=None)
        assert "shm_offset" not in outputs[0][0] and reply["payload_bytes"] == big.nbytes
        np.testing.assert_array_equal(outputs[0][1], np.maximum(big, 0))
    finally:
        c.close()


def test_an_output_that_does_not_fit_the_window_keeps_the_pipe():
    c = ShmClient()
    try:
        big = np.ones(100000, dtype=np.float32)
        reply, outputs = c.execute_shm("relu", "f32", [big], window=(1 << 21, 1000))
        assert "shm_offset" not in outputs[0][0] and reply["payload_bytes"] == big.nbytes
    finally:
        c.close()


@pytest.mark.parametrize("inputs, window, message", [
    ([{"dtype": "f32", "shape": [1024], "nbytes": 4096, "shm_offset": REGION - 4095}], None, "outside the"),
    ([{"dtype": "f32", "shape": [1024], "nbytes": 4096, "shm_offset": -64}], None, "outside the"),
    ([{"dtype": "f32", "shape": [1024], "nbytes": 4096, "shm_offset": "0"}], None, "outside the"),
    ([{"dtype": "f32", "shape": [4], "nbytes": 16}], {"offset": REGION, "bytes": 1}, "shm_out"),
    ([{"dtype": "f32", "shape": [4], "nbytes": 16}], {"offset": 0, "bytes": -1}, "shm_out"),
])
def test_bad_offsets_from_the_harness_are_invalid_and_the_plugin_keeps_serving(inputs, window, message):
    c = ShmClient()
    try:
        pipe = sum(d["nbytes"] for d in inputs if "shm_offset" not in d)
        header = {"type": "execute", "id": 5, "op": "relu", "dtype": "f32", "inputs": inputs, "payload_bytes": pipe}
        if window is not None:
            header["shm_out"] = window
        c.send_raw(json.dumps(header).encode() + b"\n" + b"\0" * pipe)
        reply, _ = c.recv()
        assert reply["type"] == "error" and reply["code"] == "invalid" and message in reply["message"], reply
        out = c.execute("relu", "f32", [np.array([-3.0, 3.0], dtype=np.float32)])
        np.testing.assert_array_equal(out[0], [0.0, 3.0])
    finally:
        c.close()


def test_shm_offset_without_the_feature_is_invalid():
    c = ShmClient(offer=False)
    try:
        assert c.hello_reply["features"] == [] and "shm" not in c.hello_reply
        header = {"type": "execute", "id": 5, "op": "relu", "dtype": "f32", "payload_bytes": 0,
                  "inputs": [{"dtype": "f32", "shape": [4], "nbytes": 16, "shm_offset": 0}]}
        c.send_raw(json.dumps(header).encode() + b"\n")
        reply, _ = c.recv()
        assert reply["code"] == "invalid" and "without an agreed shared-memory region" in reply["message"]
    finally:
        c.close()


def test_a_malformed_offer_is_invalid():
    c = Client(["numpy_backend.py"], hello=False)
    try:
        c.send({"type": "hello", "protocol": 1, "minor": 1, "features": ["shm"], "options": {},
                "shm": {"bytes": 0, "nonce": NONCE}})
        reply, _ = c.recv()
        assert reply["code"] == "invalid" and "shm.bytes" in reply["message"]
    finally:
        c.close()


def test_the_plugin_closes_its_descriptor_after_the_first_request():
    c = ShmClient()
    try:
        fd = c.hello_reply["shm"]["fd"]
        assert os.readlink("/proc/%d/fd/%d" % (c.proc.pid, fd)).startswith("/memfd:assay-shm")
        c.execute("relu", "f32", [np.array([1.0], dtype=np.float32)])
        assert not os.path.exists("/proc/%d/fd/%d" % (c.proc.pid, fd))
    finally:
        c.close()


def test_copy_computes_into_the_window_and_small_outputs_keep_the_pipe():
    """The numpy backend's `copy` writes its result through Backend.output_array: in the window
    (first aligned slot) when large, a plain array on the pipe when small."""
    c = ShmClient()
    try:
        big = np.arange(50000, dtype=np.float32)
        reply, outputs = c.execute_shm("copy", "f32", [big], window=(1 << 21, 1 << 21))
        assert outputs[0][0]["shm_offset"] == 1 << 21 and reply["payload_bytes"] == 0
        np.testing.assert_array_equal(outputs[0][1], big)
        reply, outputs = c.execute_shm("copy", "f32", [big[:3]])
        assert "shm_offset" not in outputs[0][0] and reply["payload_bytes"] == 12
        np.testing.assert_array_equal(outputs[0][1], big[:3])
    finally:
        c.close()


def _local_region():
    return shm.Region(shm.Offer({"bytes": REGION, "threshold_bytes": THRESHOLD, "nonce": NONCE}))


def _descs(*arrays):
    from assay_backend.framing import encode_tensors
    descs, bufs, _ = encode_tensors(list(arrays))
    return descs, bufs


def test_an_output_built_in_the_window_stays_in_place_without_a_copy():
    region = _local_region()
    try:
        window = (1 << 20, (1 << 20) + (1 << 21))
        outputs = region.outputs(window)
        scratch = outputs.take((2000,), np.float32)  # the backend's scratch: first slot
        result = outputs.take((3000,), np.float32)
        result[:] = 7
        descs, bufs = _descs(result)
        pipe, total = region.place(window, descs, bufs, outputs.cursor)
        # in place at its own offset (a copy would have gone after the allocator's arrays)
        assert descs[0]["shm_offset"] == shm.align(window[0] + scratch.nbytes)
        assert pipe == [] and total == 0
        assert outputs.take((10,), np.float32) is None  # below the threshold: the caller's np.empty
    finally:
        region.close()


def test_overlapping_or_outside_outputs_are_copied_into_the_window():
    """The same window array returned twice is placed once and copied once (no two outputs
    share bytes); a view of the region outside the window (an input) is copied into it,
    never announced at its own offset, which the harness would reject."""
    region = _local_region()
    try:
        window = (1 << 20, (1 << 20) + (1 << 21))
        outputs = region.outputs(window)
        result = outputs.take((2000,), np.float32)
        result[:] = np.arange(2000)
        outside = np.frombuffer(region.map, dtype=np.float32, count=2000, offset=4096)
        outside[:] = 5
        descs, bufs = _descs(result, result, outside)
        pipe, total = region.place(window, descs, bufs, outputs.cursor)
        offsets = [d["shm_offset"] for d in descs]
        assert offsets[0] == window[0]
        ranges = sorted((o, o + 8000) for o in offsets)
        assert all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:])), offsets
        assert all(window[0] <= o and o + 8000 <= window[1] for o in offsets)
        got = [np.frombuffer(region.map, dtype=np.float32, count=2000, offset=o) for o in offsets]
        np.testing.assert_array_equal(got[1], np.arange(2000))
        np.testing.assert_array_equal(got[2], 5)
        assert pipe == [] and total == 0
    finally:
        region.close()


@pytest.mark.parametrize("req_id, descs, total", [
    (7, [{"dtype": "f32", "shape": [2, 3], "nbytes": 24}], 24),
    (0, [{"dtype": "bf16", "shape": [], "nbytes": 2}, {"dtype": "int32", "shape": [4096], "nbytes": 16384,
                                                       "shm_offset": 1 << 21}], 2),
    (12345678901, [], 0),
])
def test_the_direct_result_header_is_the_generic_encoders_json(req_id, descs, total):
    from assay_backend.framing import encode_header, encode_result
    expected = {"type": "result", "id": req_id, "outputs": descs, "payload_bytes": total}
    assert encode_result(req_id, descs, total) == encode_header(expected)
