"""What the comparisons of nnperf with a runtime's own profiler share
(tests/workloads/{ort,opencv,torch}/compare.py): per-layer times of the same run within a
tolerance for layers over a floor, and one FAIL line with exit status 1 on a failed check."""
import json
import sys


class Agreement:
    """Per-layer times against the profiler's: add() each layer, then summary()."""

    def __init__(self, profiler, tol, min_us, at_least):
        self.profiler, self.tol, self.min_us, self.at_least = profiler, tol, min_us, at_least
        self.checked, self.worst = 0, (0.0, None)

    def add(self, name, got_us, want_us):
        if want_us < self.min_us:
            return
        rel = abs(got_us - want_us) / want_us
        self.worst = max(self.worst, (rel, name))
        assert rel <= self.tol, \
            f"{name}: nnperf {got_us:.0f} us, {self.profiler} {want_us:.0f} us ({rel:.1%})"
        self.checked += 1

    def summary(self, what="layers"):
        assert self.checked >= self.at_least, \
            f"only {self.checked} {what} over {self.min_us:.0f} us to compare"
        return (f"{self.checked} {what} over {self.min_us:.0f} us within {self.tol:.0%} of "
                f"{self.profiler} (worst {self.worst[0]:.1%}: {self.worst[1]})")


def tolerances(argv):
    """[TOLERANCE] [MIN_US] from argv: 15% and 200 us unless given"""
    return (float(argv[0]) if argv else 0.15), (float(argv[1]) if len(argv) > 1 else 200.0)


def measured(doc):
    """the one process of a recording that has layers or inferences; no lost events"""
    assert doc["stats"]["lost_events"] == 0, "lost events"
    procs = [p for p in doc["processes"] if p["layer_events"] or p["inferences"]["count"]]
    assert len(procs) == 1, f"want one measured process, got {len(procs)}"
    return procs[0]


def load(path):
    with open(path) as f:
        return json.load(f)


def run(fn, *args):
    """fn(*args); a failed assertion is one FAIL line on stderr and status 1"""
    try:
        fn(*args)
    except AssertionError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    return 0


def main(check):
    """RECORDING PROFILE INFERENCES [TOLERANCE] [MIN_US] -> check(...); exits"""
    rec, prof, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.exit(run(check, rec, prof, n, *tolerances(sys.argv[4:])))
