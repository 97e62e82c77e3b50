"""Backend.finish: the default benchmark waits for the warm-up and for the last of each
sample's k calls inside the timed region (docs/PROTOCOL.md, "Asynchronous runtimes")."""

import time

from assay_backend import Backend, TensorSpec


class Enqueuing(Backend):
    """Each call 'enqueues' and returns a ticket; finish() waits 20 ms for it."""

    def __init__(self):
        Backend.__init__(self)
        self.issued, self.finished = 0, []

    def prepare(self, op, dtype, attrs, inputs):
        def issue():
            self.issued += 1
            return self.issued
        return issue

    def finish(self, result):
        time.sleep(0.02)
        self.finished.append(result)


def test_finish_waits_for_the_last_call_of_each_sample_inside_the_clock():
    backend = Enqueuing()
    out = backend.benchmark("relu", "f32", {}, [TensorSpec("f32", (4,))], seed=1, mode="warm", k=3, samples=2)
    # warm-up ticket 1, then samples issuing 2..4 and 5..7: finish sees the last of each
    assert backend.finished == [1, 4, 7]
    # the wait is part of each sample (a lower bound from the sleep, not a speed claim)
    assert len(out["elapsed_ns"]) == 2 and all(t >= 20e6 for t in out["elapsed_ns"])


def test_a_synchronous_backend_needs_no_finish():
    assert Backend().finish(object()) is None
