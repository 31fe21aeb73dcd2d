"""Parameter points: seeds, cheap scenario variants, per-point statistics, failures kept per point."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pytest

import sim
from experiments.points import ScenarioPoints, check_paths, evaluate_points, in_lanes, lanes, point_seed, summarize
from sim.checks import InputError
from sim.engine.runner import DEFAULT_BATCH
from sim.results.stats import wilson_interval

ROOT = Path(__file__).resolve().parent.parent
POINT = {"leaders.putin.resolve": 1.2, "domestic.guarantee_base": 0.5}


def test_point_seed_is_a_stable_hash_of_seed_scenario_and_values():
    seed = point_seed(20250904, "baseline", POINT)
    assert seed == 8053902279657032223  # a change here changes every stored sweep
    assert 0 <= seed < 2 ** 63
    assert point_seed(20250904, "baseline", dict(reversed(POINT.items()))) == seed
    assert point_seed(20250904, "baseline", {**POINT, "domestic.guarantee_base": np.float64(0.5)}) == seed
    assert point_seed(1, "baseline", {"ladder.5.risk": 1}) == point_seed(1, "baseline", {"ladder.5.risk": 1.0})
    assert point_seed(20250904, "us_backstop", POINT) != seed
    assert point_seed(20250905, "baseline", POINT) != seed
    assert point_seed(20250904, "baseline", {**POINT, "leaders.putin.resolve": 1.2000001}) != seed


def test_point_seed_is_the_same_in_another_process():
    code = ("from experiments.points import point_seed; "
            "print(point_seed(20250904, 'baseline', {'leaders.putin.resolve': 1.2, 'domestic.guarantee_base': 0.5}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "123"}, check=True)
    assert int(out.stdout) == point_seed(20250904, "baseline", POINT)


@pytest.mark.parametrize("name", ["baseline", "russia_resolute", "coalition_fracture"])
def test_variants_equal_loading_the_scenario_with_the_overrides(name):
    fixed = {"steps": 12, "states.DEU.coalition.deploy_threshold": 0.7}
    points = ScenarioPoints(name, fixed)
    values = {"leaders.putin.resolve": 1.3, "ladder.5.risk": 0.02, "states.GBR.coalition.deploy_threshold": 0.6}
    assert points.at(values) == sim.load_scenario(name, {**fixed, **values})
    assert points.at({}) == sim.load_scenario(name, fixed)


def test_a_bad_value_fails_like_loading_does():
    points = ScenarioPoints("baseline")
    bad = {"states.FRA.coalition.deploy_threshold": 0.2}
    with pytest.raises(sim.ScenarioError) as direct:
        sim.load_scenario("baseline", bad)
    with pytest.raises(sim.ScenarioError) as variant:
        points.at(bad)
    assert str(variant.value) == str(direct.value)


def test_check_paths_judges_paths_not_values():
    with pytest.raises(sim.ScenarioError, match=r"leaders.putin.resolv: unknown key \(did you mean 'resolve'\?\)"):
        check_paths("baseline", {"leaders.putin.resolv": 1.0})
    with pytest.raises(sim.ScenarioError, match="did you mean 'putin'"):
        check_paths("baseline", {"leaders.putn.resolve": 1.0})
    check_paths("baseline", {"states.FRA.coalition.deploy_threshold": 0.2})  # a bad point, not a bad path


def test_summarize_against_hand_computed_statistics():
    summary = pd.DataFrame({"clash": [True, False, False, True, False], "deescalated": [False] * 5,
                            "diverged": [False] * 5, "max_rung": [5, 3, 3, 6, 4], "deployed_peak": [4, 2, 2, 6, 3],
                            "deployed_final": [4, 0, 1, 6, 3], "us_guarantee_final": [0.5, 0.6, 0.7, 0.8, 0.9]})
    row = summarize(summary)
    lo, hi = wilson_interval(2, 5)
    assert row["replicates"] == 5 and row["p_clash"] == 0.4
    assert (row["p_clash_lo"], row["p_clash_hi"]) == (float(lo), float(hi))
    assert row["p_deescalated"] == 0.0 and row["p_deescalated_hi"] > 0
    half = 1.959963984540054 * np.std([5, 3, 3, 6, 4], ddof=1) / np.sqrt(5)
    assert row["mean_max_rung"] == 4.2
    assert row["mean_max_rung_lo"] == pytest.approx(4.2 - half) and row["mean_max_rung_hi"] == pytest.approx(4.2 + half)
    assert row["median_max_rung"] == 4.0 and row["median_deployed_final"] == 3.0


def test_a_bad_point_is_recorded_and_the_others_run():
    points = ScenarioPoints("baseline", {"steps": 3})
    frame = pd.DataFrame({"states.FRA.coalition.deploy_threshold": [0.7, 0.2, 0.8]})
    rows = evaluate_points(points, frame, replicates=5, seed=11)
    assert rows["status"].tolist() == ["ok", "failed", "ok"]
    assert "withdraw_threshold" in rows.loc[1, "error"] and rows.loc[1, "replicates"] == 0
    assert rows.loc[[0, 2], "replicates"].tolist() == [5, 5]
    assert rows["seed"].tolist() == [point_seed(11, "baseline", {"states.FRA.coalition.deploy_threshold": v})
                                     for v in (0.7, 0.2, 0.8)]
    common = evaluate_points(points, frame, replicates=5, seed=11, seed_policy="common")
    assert set(common["seed"]) == {11}


def test_a_point_equals_a_single_ensemble_with_its_seed():
    points = ScenarioPoints("baseline", {"steps": 6})
    frame = pd.DataFrame({"leaders.putin.resolve": [1.4]})
    row = evaluate_points(points, frame, replicates=40, seed=3).iloc[0]
    single = sim.run_ensemble(sim.load_scenario("baseline", {"steps": 6, "leaders.putin.resolve": 1.4}), 40, int(row.seed))
    for key, value in summarize(single.summary).items():
        assert row[key] == pytest.approx(value, nan_ok=True, rel=0, abs=0), key


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
def test_points_side_by_side_give_the_rows_of_points_one_by_one():
    points = ScenarioPoints("baseline", {"steps": 8})
    frame = pd.DataFrame({"leaders.putin.resolve": [1.4, 0.6, 1.0, 0.8, 1.2],
                          "states.FRA.coalition.deploy_threshold": [0.7, 0.7, 0.2, 0.8, 0.75]},
                         index=pd.Index([4, 0, 3, 1, 2], name="design_index"))
    assert lanes(1, 50, len(frame)) == (1, 1) and lanes(2, 50, len(frame)) == (2, 1)
    one_by_one = evaluate_points(points, frame, replicates=50, seed=7, threads=1)
    side_by_side = evaluate_points(points, frame, replicates=50, seed=7, threads=2)
    assert one_by_one["status"].tolist() == ["ok", "ok", "failed", "ok", "ok"]
    assert side_by_side["design_index"].tolist() == [4, 0, 3, 1, 2]
    pd.testing.assert_frame_equal(side_by_side.drop(columns="wall_time_s"), one_by_one.drop(columns="wall_time_s"))


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
def test_lanes_one_point_per_thread_unless_points_are_long_or_few():
    assert lanes(2, 1000, 25) == (2, 1)
    assert lanes(2, 1000, 1) == (1, 2)  # a one-point job keeps every thread
    assert lanes(2, DEFAULT_BATCH + 1, 25) == (1, 2)  # points of several batches: one at a time
    assert lanes(1, 1000, 25) == (1, 1)
    with pytest.raises(InputError, match="threads"):
        lanes(0, 1000, 25)


def test_in_lanes_runs_items_side_by_side_and_keeps_their_order():
    arrived = threading.Barrier(3, timeout=10)  # broken unless three items run at once
    finished = []

    def work(item: int) -> int:
        if item < 3:
            arrived.wait()
        time.sleep(0.02 * (5 - item))  # later items end first
        finished.append(item)
        return item * 10

    ticks = []
    assert in_lanes(work, list(range(5)), 3, lambda: ticks.append(1)) == [0, 10, 20, 30, 40]
    assert len(ticks) == 5 and finished != sorted(finished)
    assert in_lanes(lambda item: item + 1, [1, 2], 1) == [2, 3]
