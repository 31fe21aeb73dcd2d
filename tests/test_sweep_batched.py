"""A grid run as one-point Hydra jobs and as batched jobs gives the same rows, one per point with its own seed."""
import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from experiments.points import ScenarioPoints, point_seed, scenario_points
from sim.results.sweep import PLAN_FILE, TABLE_FILE, comparable
from sim.scenario.load import load_scenario

from tests.cli import ROOT, escalate, escalate_env

GUARANTEE, RESOLVE = "domestic.guarantee_base", "leaders.putin.resolve"
SMALL = ["replicates=40", "steps=6", "seed=3", "progress=false"]
POSITION = ["job", "point", "design_index"]  # where a row ran, not what it says


def sweep(base, name, *args) -> tuple[pd.DataFrame, dict]:
    out = base / name
    proc = escalate("-m", *args, *SMALL, f"hydra.sweep.dir={out}", cwd=base)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return pd.read_parquet(out / TABLE_FILE), json.loads((out / PLAN_FILE).read_text())


def rows(table: pd.DataFrame) -> pd.DataFrame:
    """The result columns in a fixed order, one row per point, sorted by the point's values."""
    table = comparable(table).drop(columns=POSITION)
    return table[sorted(table.columns)].sort_values([GUARANTEE, RESOLVE]).reset_index(drop=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return tmp_path_factory.mktemp("batched")


@pytest.fixture(scope="module")
def one_point_jobs(base):
    return sweep(base, "one_point", f"+params.{GUARANTEE}=0.0,0.5,1.0", f"+params.{RESOLVE}=0.5,1.0,1.5",
                 "outputs=summary")


@pytest.mark.parametrize("launcher, jobs", [([], 1), (["hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                                                         "threads=1"], 2)], ids=["basic", "joblib-2"])
def test_shipped_grid_in_batched_jobs_equals_one_point_jobs(base, one_point_jobs, launcher, jobs):
    single, single_plan = one_point_jobs
    batched, plan = sweep(base, f"batched_{jobs}", "experiment=guarantee_vs_resolve", "design.n=3", *launcher)
    assert single_plan["jobs_total"] == 9 and plan["jobs_total"] == plan["jobs_ok"] == jobs
    assert len(batched) == 9 and batched[[GUARANTEE, RESOLVE]].drop_duplicates().shape[0] == 9
    assert (batched["status"] == "ok").all() and batched["seed"].nunique() == 9
    pd.testing.assert_frame_equal(rows(batched), rows(single))
    assert sorted(batched.groupby("job").size()) == sorted({1: [9], 2: [4, 5]}[jobs])


def test_every_row_carries_its_own_point_seed(one_point_jobs):
    table, _ = one_point_jobs
    for _, row in table.iterrows():
        assert row["seed"] == point_seed(3, "baseline", {GUARANTEE: row[GUARANTEE], RESOLVE: row[RESOLVE]})


def test_points_of_a_batch_do_not_leak_into_each_other():
    points = ScenarioPoints("baseline", {"horizon": 6})
    first = points.at({RESOLVE: 1.4, GUARANTEE: 0.1})
    assert first == load_scenario("baseline", {"horizon": 6, RESOLVE: 1.4, GUARANTEE: 0.1})
    assert points.at({RESOLVE: 0.6}) == load_scenario("baseline", {"horizon": 6, RESOLVE: 0.6})
    assert points.at({}) == points.base == load_scenario("baseline", {"horizon": 6})


def test_jobs_in_one_process_share_a_scenario_load_until_its_file_changes(tmp_path):
    path = tmp_path / "variant.yaml"
    text = "extends: baseline\nname: variant\nset:\n  domestic.guarantee_base: {}\n"
    path.write_text(text.format(0.7))
    first = scenario_points(str(path), {"horizon": 6})
    assert scenario_points(str(path), {"horizon": 6}) is first
    assert scenario_points(str(path), {"horizon": 8}) is not first
    path.write_text(text.format(0.3))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again = scenario_points(str(path), {"horizon": 6})
    assert again is not first and again.base.domestic.guarantee_base == 0.3
    assert again.at({RESOLVE: 1.1}) == load_scenario(str(path), {"horizon": 6, RESOLVE: 1.1})


def test_ctrl_c_while_a_batched_job_evaluates_its_points_side_by_side(tmp_path):
    out = tmp_path / "sweep"
    # a terminal's SIGINT disposition (a shell that starts the suite in the background ignores SIGINT)
    proc = subprocess.Popen([sys.executable, "-m", "experiments.run", "-m", "experiment=guarantee_vs_resolve",
                             "replicates=3000", "progress=true", f"hydra.sweep.dir={out}"], cwd=tmp_path,
                            env={**escalate_env(tmp_path), "PYTHONPATH": str(ROOT)}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = ""
    while not any(f"| {n}/25 [" in seen for n in range(1, 24)) and proc.poll() is None:
        seen += proc.stderr.read(1)  # the points' progress bar: some points done, others still to run
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = seen + err
    assert proc.returncode == 130, err[-3000:]
    assert ("escalate: interrupted; rerun with resume=true to finish the sweep (finished jobs are kept)"
            in err.splitlines())  # the bars may draw once more as the process ends
    assert "Traceback" not in err and "25/25" not in err
    assert not (out / "0" / "job.json").exists() and not (out / "0" / "points.parquet").exists()
