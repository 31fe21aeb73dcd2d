"""The benchmark helpers count and measure what they say (no timings are asserted)."""
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

from benchmarks import roofline
from benchmarks.memory_base import NOT_FOR_AN_ENSEMBLE
from tests.conftest import toy

ROOT = Path(__file__).resolve().parent.parent


def uniform(k):
    return (k * 3 + 1) % 7  # two operators, not counted: it stands for the reference's hash


def _work():
    x = 0.0
    for k in range(10):
        x = x * 0.5 + uniform(k)  # two operators counted, one draw
    return x


def test_operators_and_draws_are_counted_in_the_named_file_only():
    operators, draws = roofline._count_operators(_work, __file__, ("uniform",))
    assert (operators, draws) == (20, 10)
    assert roofline._count_operators(_work, "elsewhere.py", ("uniform",)) == (0, 0)


def test_the_counting_math_module_counts_calls_and_passes_constants():
    calls = Counter()
    counting = roofline._CountingMath(calls)
    assert counting.cos(0.0) == 1.0 and counting.cos(math.pi) == -1.0 and counting.pi == math.pi
    assert calls == Counter(cos=2)


def test_work_per_actor_step_of_a_small_scenario():
    work = roofline.work_per_actor_step(toy(3, noise=0.1), replicates=1)
    assert all(math.isfinite(v) and v >= 0 for v in work.values())
    # normals come from the ziggurat: no cosine, and a logarithm only on its rare tail path
    assert work["cos"] == 0 and work["uniform"] > 0 and work["arithmetic"] > 0
    assert work["log"] < 0.05 * work["uniform"]


def test_the_roofline_of_a_small_scenario_is_positive_and_finite():
    out = roofline.roofline(toy(3, noise=0.1), min_seconds=0.01, replicates=1)
    for key in ("compute_s_per_actor_step", "memory_s_per_actor_step", "near_bandwidth_bytes_per_s",
                "stats_bandwidth_bytes_per_s", "actor_steps_per_s"):
        assert math.isfinite(out[key]) and out[key] > 0, key
    assert out["actor_steps_per_s"] == 1 / max(out["compute_s_per_actor_step"], out["memory_s_per_actor_step"])
    assert out["bytes_per_actor_step"]["near"] > 0 and out["bytes_per_actor_step"]["stats"] > 0


def test_an_ensemble_loads_no_report_model_or_cli_package():
    code = ("import sys, sim; from sim.results.ensemble import run_ensemble; "
            f"print([m for m in {NOT_FOR_AN_ENSEMBLE!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
