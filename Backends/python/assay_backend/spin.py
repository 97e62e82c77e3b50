"""Bounded busy-waiting before a blocking wait (docs/DECISIONS.md, "Both sides spin briefly
before they block").

A process that blocks on an idle vCPU is woken slowly in a virtual machine (25-50 us here, per
wake-up): more than a tiny request's whole round trip, and a few percent of a 1 MiB all_reduce
on two ranks, which wakes each rank at every step. Polling without sleeping for a short while
first keeps the answer on the fast path when it comes soon; after the budget the caller blocks
as before, with its own timeout. Between polls the CPU is yielded, so a process that shares it
still runs. ASSAY_SPIN_US sets the budget (default 200 us; 0 turns spinning off).
"""
import os
import select
import time

DEFAULT_SPIN_US = 200


def spin_seconds(environ=None):
    """The spin budget in seconds, from ASSAY_SPIN_US (the default when unset or not an integer)."""
    text = (os.environ if environ is None else environ).get("ASSAY_SPIN_US", "")
    try:
        return max(0, int(text)) * 1e-6
    except ValueError:
        return DEFAULT_SPIN_US * 1e-6


#: The budget this process was started with.
SPIN_SECONDS = spin_seconds()


def _spin(probe, seconds):
    """Calls `probe` without sleeping (yielding the CPU between calls) until it returns something
    true or `seconds` have passed (SPIN_SECONDS when None); its last result, or None unspun."""
    seconds = SPIN_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return None
    deadline = time.perf_counter() + seconds
    while True:
        found = probe()
        if found or time.perf_counter() >= deadline:
            return found
        os.sched_yield()


def spin_poll(poller, seconds=None):
    """Polls `poller` (a select.poll with its descriptors registered) without sleeping for up to
    `seconds`; its events when some came, else an empty list: the caller then blocks."""
    return _spin(lambda: poller.poll(0), seconds) or []


def spin_select(readers, writers, seconds=None):
    """select.select(readers, writers, []) without sleeping for up to `seconds`: the ready lists
    when any is ready, else None (the caller then blocks in select with its timeout)."""
    def ready():
        readable, writable, _ = select.select(readers, writers, [], 0)
        return (readable, writable) if readable or writable else None
    return _spin(ready, seconds)
