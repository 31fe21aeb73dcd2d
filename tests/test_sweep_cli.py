"""End to end: `escalate -m` sweeps, batched designs, launchers, failures, resume, validation."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim
from experiments.design import design_from_config, sample
from experiments.points import point_seed, summarize
from sim.results.sweep import JOB_FILE, PLAN_FILE, REPORT_FILE, TABLE_FILE, comparable

from tests.cli import escalate as run_escalate
from tests.cli import escalate_env

RESOLVE, GUARANTEE = "leaders.putin.resolve", "domestic.guarantee_base"
GRID = [f"+params.{RESOLVE}=0.6,1.2", f"+params.{GUARANTEE}=0.2,0.5,0.8"]
SMALL = ["replicates=60", "steps=12", "seed=5", "outputs=summary", "progress=false"]


def escalate(*args, cwd, timeout=600, **popen):
    if not popen:
        return run_escalate(*args, cwd=cwd, timeout=timeout)
    return subprocess.Popen([sys.executable, "-m", "experiments.run", *args], cwd=cwd, env=escalate_env(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True, **popen)


def run_sweep(base: Path, name: str, *args) -> pd.DataFrame:
    out = base / name
    proc = escalate("-m", *GRID, *SMALL, *args, f"hydra.sweep.dir={out}", cwd=base)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return pd.read_parquet(out / TABLE_FILE)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return tmp_path_factory.mktemp("sweeps")


@pytest.fixture(scope="module")
def basic(base):
    return run_sweep(base, "basic")


def test_grid_rows_equal_single_runs_with_the_recorded_seeds(basic, base):
    assert len(basic) == 6 and (basic["status"] == "ok").all() and (basic["replicates"] == 60).all()
    assert sorted(zip(basic[RESOLVE], basic[GUARANTEE])) == [(r, g) for r in (0.6, 1.2) for g in (0.2, 0.5, 0.8)]
    outcomes = [c for c in basic.columns if c.startswith(("p_", "mean_", "median_"))]
    for _, row in basic.iterrows():
        point = {RESOLVE: row[RESOLVE], GUARANTEE: row[GUARANTEE]}
        assert row["seed"] == point_seed(5, "baseline", point)
        single = sim.run_ensemble(sim.load_scenario("baseline", {**point, "steps": 12}), 60, int(row["seed"]))
        expected = summarize(single.summary)
        assert {c: row[c] for c in outcomes} == pytest.approx({c: expected[c] for c in outcomes}, nan_ok=True, abs=0)
    # and one of them through the command line, as a user would repeat it
    row = basic.iloc[4]
    out = base / "single"
    proc = escalate(f"+params.{RESOLVE}={row[RESOLVE]}", f"+params.{GUARANTEE}={row[GUARANTEE]}", "replicates=60",
                    "steps=12", f"seed={row['seed']}", "outputs=tables", "progress=false", f"hydra.run.dir={out}", cwd=base)
    assert proc.returncode == 0, proc.stderr
    expected = summarize(pd.read_parquet(out / "summary.parquet"))
    assert {c: row[c] for c in outcomes} == pytest.approx({c: expected[c] for c in outcomes}, nan_ok=True, abs=0)


def test_sweep_manifest_and_report(basic, base):
    plan = json.loads((base / "basic" / PLAN_FILE).read_text())
    assert plan["jobs_total"] == plan["jobs_ok"] == 6 and plan["launcher"] == "basic"
    assert plan["replicate_runs"] == plan["replicate_runs_this_run"] == 360
    assert plan["wall_time_s"] > 0 and plan["replicate_runs_per_s"] > 0
    assert sorted(plan["swept"]) == sorted([RESOLVE, GUARANTEE])
    html = (base / "basic" / REPORT_FILE).read_text()
    assert "Plotly" in html and "<script src=" not in html and "heatmap" in html


@pytest.mark.parametrize("launcher", [
    ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2", "threads=1"],
    ["hydra/launcher=ray", "+hydra.launcher.ray.init.num_cpus=2", "+hydra.launcher.ray.init.include_dashboard=false"],
    ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10"],
], ids=["joblib", "ray", "submitit_local"])
def test_launchers_give_the_same_table(basic, base, launcher):
    name = launcher[0].split("=")[1]
    table = run_sweep(base, name, *launcher)
    pd.testing.assert_frame_equal(comparable(table), comparable(basic))


def test_sobol_design_of_1024_points_runs_in_one_job(tmp_path):
    params = {RESOLVE: [0.5, 1.5], GUARANTEE: [0.0, 1.0]}
    out = tmp_path / "sobol"
    proc = escalate("design.kind=sobol", "design.n=1024", *[f"+design.params.{k}=[{lo},{hi}]" for k, (lo, hi) in params.items()],
                    "replicates=4", "steps=4", "seed=9", "progress=false", "outputs=summary", f"hydra.run.dir={out}",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / TABLE_FILE)
    assert len(table) == 1024 and (table["status"] == "ok").all() and set(table["job"]) == {0}
    design = sample(design_from_config({"kind": "sobol", "n": 1024, "params": params}), seed=9)
    pd.testing.assert_frame_equal(table[[RESOLVE, GUARANTEE]], design.reset_index(drop=True))
    outcomes = [c for c in table.columns if c.startswith(("p_", "mean_", "median_"))]
    for i in range(0, 1024, 64):  # one by one, the way a single run would evaluate them
        row = table.iloc[i]
        point = {RESOLVE: row[RESOLVE], GUARANTEE: row[GUARANTEE]}
        assert row["seed"] == point_seed(9, "baseline", point)
        single = sim.run_ensemble(sim.load_scenario("baseline", {**point, "steps": 4}), 4, int(row["seed"]))
        expected = summarize(single.summary)
        assert {c: row[c] for c in outcomes} == pytest.approx({c: expected[c] for c in outcomes}, nan_ok=True, abs=0)


def test_failed_points_and_jobs_are_recorded_and_the_rest_runs(tmp_path):
    out = tmp_path / "failing"
    proc = escalate("-m", "+params.states.FRA.coalition.deploy_threshold=0.3,0.7", "replicates=20", "steps=5",
                    "progress=false", "outputs=summary", f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / TABLE_FILE)
    assert table["status"].tolist() == ["failed", "ok"]
    assert "withdraw_threshold" in table.loc[0, "error"] and table.loc[1, "replicates"] == 20
    plan = json.loads((out / PLAN_FILE).read_text())
    assert plan["jobs_failed"] == 1 and plan["jobs_ok"] == 1
    # inside a batched design, a bad point fails alone
    out = tmp_path / "grid"
    proc = escalate("design.kind=grid", "design.n=3", "+design.params.states.FRA.coalition.deploy_threshold=[0.2,0.8]",
                    "replicates=10", "steps=5", "progress=false", "outputs=summary", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / TABLE_FILE)
    assert table["status"].tolist() == ["failed", "ok", "ok"] and "withdraw_threshold" in table.loc[0, "error"]


def test_killed_sweep_resumes_to_the_uninterrupted_table(tmp_path):
    args = ["-m", "+params.leaders.putin.resolve=0.5,0.8,1.1,1.4,1.7", "replicates=800", "steps=26", "seed=2",
            "progress=false", "outputs=summary"]
    out = tmp_path / "killed"
    proc = escalate(*args, f"hydra.sweep.dir={out}", cwd=tmp_path, text=True)
    try:
        deadline = time.monotonic() + 300
        while not list(out.glob(f"*/{JOB_FILE}")) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finished = len(list(out.glob(f"*/{JOB_FILE}")))
    assert 1 <= finished < 5 and not (out / TABLE_FILE).exists()
    proc = escalate(*args, "resume=true", f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads((out / PLAN_FILE).read_text())
    assert plan["jobs_resumed"] == finished and plan["jobs_ok"] == 5
    reference = tmp_path / "uninterrupted"
    proc = escalate(*args, f"hydra.sweep.dir={reference}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pd.testing.assert_frame_equal(comparable(pd.read_parquet(out / TABLE_FILE)),
                                  comparable(pd.read_parquet(reference / TABLE_FILE)))


@pytest.mark.parametrize("overrides, where, nearest", [
    (["+params.leaders.putin.resolv=0.5,1.0"], "params.leaders.putin.resolv", "'resolve'"),
    (["+params.states.RUS.resolve=0.5,1.0"], "params.states.RUS.resolve", "leaders.putin.resolve"),
    (["design.kind=lhs", "+design.params.domestic.guarantee_bas=[0,1]"], "design.params.domestic.guarantee_bas",
     "'guarantee_base'"),
], ids=["leader-key", "state-vs-leader", "design-path"])
def test_misspelt_sweep_path_fails_before_any_job(tmp_path, overrides, where, nearest):
    out = tmp_path / "never"
    proc = escalate("-m", *overrides, "scenario=baseline,us_backstop", f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.startswith("escalate: error:")]
    assert len(lines) == 1 and where in lines[0] and nearest in lines[0], proc.stderr
    assert not out.exists()


def test_scenarios_experiment_keeps_run_tables_and_common_seeds(tmp_path):
    out = tmp_path / "scenarios"
    proc = escalate("-m", "experiment=scenarios", "replicates=20", "steps=6", "progress=false",
                    f"hydra.sweep.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / TABLE_FILE)
    assert sorted(table["scenario"]) == sim.available_scenarios() and set(table["seed"]) == {20250904}
    for job in table["job"]:
        summary = pd.read_parquet(out / str(job) / "summary.parquet")  # outputs=tables: the run's own tables
        row = table[table["job"] == job].iloc[0]
        assert summarize(summary)["p_clash"] == row["p_clash"] and (out / str(job) / "events.parquet").is_file()
        assert not (out / str(job) / "report.html").exists()
