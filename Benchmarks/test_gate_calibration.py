"""Tests of Benchmarks/gate-calibration's pure parts (no measurement): the pairings it gates and
the runs it cuts to fewer rounds or shorter rounds. Run: python3 -m pytest Benchmarks/test_gate_calibration.py"""
import json
import os
from importlib.machinery import SourceFileLoader

CALIBRATION = SourceFileLoader(
    "gate_calibration", os.path.join(os.path.dirname(os.path.abspath(__file__)), "gate-calibration")).load_module()


def test_aa_pairings_never_share_a_run_and_are_distinct():
    runs = ["r%d" % k for k in range(10)]
    pairings = CALIBRATION.draw_pairings(runs, runs, 5, 5, 40, seed=1)
    assert len(pairings) == 40
    assert len({(tuple(h), tuple(c)) for h, c in pairings}) == 40
    for history, current in pairings:
        assert len(history) == 5 and len(current) == 5 and not set(history) & set(current)
    # The same seed draws the same pairings (the curve is reproducible from a kept pool).
    assert pairings == CALIBRATION.draw_pairings(runs, runs, 5, 5, 40, seed=1)


def test_pairings_of_two_factors_and_too_few_runs():
    base, slowed = ["b%d" % k for k in range(6)], ["s%d" % k for k in range(3)]
    pairings = CALIBRATION.draw_pairings(base, slowed, 5, 3, 40, seed=2)
    # C(6, 5) histories x one set of 3 slowed runs: every distinct pairing, no more.
    assert len(pairings) == 6 and all(current == slowed for _, current in pairings)
    assert CALIBRATION.draw_pairings(base, slowed, 5, 4, 40, seed=2) == []
    assert CALIBRATION.draw_pairings(base, base, 3, 4, 40, seed=2) == []


def test_first_rounds_cuts_rounds_and_samples(tmp_path):
    rounds = [{"round": r + 1, "samples": 10, "median": float(r)} for r in range(3)]
    samples = [float(100 * r + k) for r in range(3) for k in range(10)]
    record = {"cases": [{"kind": "performance", "performance": {"samples": samples, "n": 30, "rounds": rounds}},
                        {"kind": "conformance"}]}
    run = tmp_path / "run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps(record))
    work = tmp_path / "work"
    cut = json.loads(open(os.path.join(CALIBRATION.first_rounds(str(run), 2, str(work), 0.5), "run.json")).read())
    performance = cut["cases"][0]["performance"]
    # Two rounds, each its first half: samples 0-4 of round 1 and 100-104 of round 2, counts to match.
    assert performance["samples"] == [0.0, 1, 2, 3, 4, 100, 101, 102, 103, 104]
    assert [r["samples"] for r in performance["rounds"]] == [5, 5] and performance["n"] == 10
    one = json.loads(open(os.path.join(CALIBRATION.first_rounds(str(run), 1, str(work)), "run.json")).read())
    assert "rounds" not in one["cases"][0]["performance"] and one["cases"][0]["performance"]["n"] == 10
