"""PRIM scenario discovery: a planted box is found; the command line reads a sweep table."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.discovery import limits_figure, prim, trajectory_figure

ROOT = Path(__file__).resolve().parent.parent
PLANTED = {"a": (0.2, 0.6), "b": (3.0, 8.0)}
RANGES = {"a": (0.0, 1.0), "b": (0.0, 10.0), "c": (0.0, 2.0), "d": (-1.0, 1.0)}


def planted_data(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({k: rng.uniform(lo, hi, n) for k, (lo, hi) in RANGES.items()})
    inside = np.logical_and.reduce([X[k].between(lo, hi) for k, (lo, hi) in PLANTED.items()])
    y = np.where(inside, rng.random(n) < 0.95, rng.random(n) < 0.03)
    return X, y


def test_prim_recovers_a_planted_box_within_a_tenth_of_each_range():
    X, y = planted_data()
    box = prim(X, y, threshold=0.8)
    assert list(box.limits.columns) == ["low", "high"] and list(box.limits.index) == list(RANGES)
    for name, (lo, hi) in RANGES.items():
        want = PLANTED.get(name, (X[name].min(), X[name].max()))  # unrestricted inputs keep the data's range
        got = box.limits.loc[name]
        assert abs(got["low"] - want[0]) <= 0.1 * (hi - lo) and abs(got["high"] - want[1]) <= 0.1 * (hi - lo), name
    assert set(box.restricted.index) == set(PLANTED)
    inside = np.logical_and.reduce([X[k].between(r["low"], r["high"]) for k, r in box.limits.iterrows()])
    assert box.coverage == pytest.approx(y[inside].sum() / y.sum())
    assert box.density == pytest.approx(y[inside].mean()) and box.density >= 0.8


def test_peeling_trajectory_trades_coverage_for_density():
    X, y = planted_data(seed=1)
    box = prim(X, y)
    t = box.trajectory
    assert t["coverage"].iloc[0] == 1 and t["density"].iloc[0] == pytest.approx(y.mean())
    assert (np.diff(t["mass"]) < 0).all() and (np.diff(t["coverage"]) <= 1e-12).all()
    assert box.select(0).restricted.empty
    assert len(trajectory_figure(box).data) == 2 and len(limits_figure(box).data) == 2


def test_prim_rejects_an_outcome_without_cases():
    X, _ = planted_data(200)
    with pytest.raises(ValueError, match="no case of interest"):
        prim(X, np.zeros(len(X), bool))


def discover(*args):
    return subprocess.run([sys.executable, "-m", "experiments.discover", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_command_line_finds_the_box_in_a_sweep_table(tmp_path):
    X, y = planted_data(1500, seed=2)
    table = pd.DataFrame({"job": 0, "point": range(len(X)), "scenario": "baseline", "status": "ok",
                          "leaders.putin.resolve": X["a"], "domestic.guarantee_base": X["b"] / 10,
                          "coalition.threat_weight": X["c"], "p_clash": np.where(y, 0.3, 0.01)})
    table.to_parquet(tmp_path / "sweep.parquet")
    proc = discover(tmp_path, "--outcome", "clash", "--threshold", "0.2")
    assert proc.returncode == 0, proc.stderr
    assert f"{int(y.sum())} of 1500 points have clash >= 0.2" in proc.stdout
    limits = pd.read_csv(tmp_path / "discovery.csv", index_col=0)
    assert abs(limits.loc["leaders.putin.resolve", "low"] - 0.2) < 0.1
    assert abs(limits.loc["domestic.guarantee_base", "high"] - 0.8) < 0.1
    assert "Scenario discovery" in (tmp_path / "discovery.html").read_text()
    bad = discover(tmp_path, "--outcome", "p_clsh")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "unknown outcome 'p_clsh'" in bad.stderr
    missing = discover(tmp_path / "nowhere")
    assert missing.returncode == 2 and "sweep.parquet: no such file" in missing.stderr
