"""Aggregation of job folders into the sweep table, its report and views (no simulation)."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sim.results import sweep
from sim.results.stats import wilson_interval
from sim.report.views import sweep as sv

ROOT = Path(__file__).resolve().parent.parent
A, B = "leaders.putin.resolve", "domestic.guarantee_base"


def point_rows(job, values, p_clash, replicates=100):
    rows = []
    for i, ((a, b), p) in enumerate(zip(values, p_clash)):
        lo, hi = wilson_interval(round(p * replicates), replicates)
        rows.append({"point": i, "design_index": i, "scenario": "baseline", A: a, B: b, "seed": 1000 * job + i,
                     "status": "ok", "error": "", "replicates": replicates, "p_clash": p, "p_clash_lo": float(lo),
                     "p_clash_hi": float(hi), "wall_time_s": 0.1})
    return pd.DataFrame(rows)


@pytest.fixture
def sweep_dir(tmp_path):
    """Three planned jobs: one finished, one failed, one never finished (a half-written file left behind)."""
    jobs = [{"job": j, "overrides": [f"+params.{A}={a}"], "scenario": "baseline", "params": {A: a}}
            for j, a in enumerate((0.5, 1.0, 1.5))]
    sweep.start_sweep(tmp_path, jobs, resume=False)
    sweep.write_job(tmp_path / "0", point_rows(0, [(0.5, 0.2), (0.5, 0.8)], [0.1, 0.3]),
                    {"job": 0, "status": "ok", "scenario": "baseline", "params": {A: 0.5}, "wall_time_s": 1.0})
    sweep.write_job(tmp_path / "1", pd.DataFrame([{"point": 0, "scenario": "baseline", A: 1.0, "status": "failed",
                                                   "error": "override: boom", "replicates": 0}]),
                    {"job": 1, "status": "failed", "error": "override: boom", "scenario": "baseline",
                     "params": {A: 1.0}})
    (tmp_path / "2").mkdir()
    (tmp_path / "2" / ".points.parquet.x1.part").write_bytes(b"half a file")
    return tmp_path


def test_collect_keeps_finished_failed_and_missing_jobs(sweep_dir):
    table, counts = sweep.collect(sweep_dir)
    assert counts.pop("last_finished_at") > 0
    assert counts == {"jobs": 3, "ok": 1, "failed": 1, "missing": 1, "resumed": 0, "replicate_runs_new": 200}
    assert table["status"].tolist() == ["ok", "ok", "failed", "missing"]
    assert table["job"].tolist() == [0, 0, 1, 2]
    assert table.loc[3, A] == 1.5 and "not finished" in table.loc[3, "error"]
    assert table.loc[2, "error"] == "override: boom"
    assert list(table.columns[:5]) == ["job", "point", "design_index", "scenario", A]
    assert sweep.param_columns(table) == [A, B] and sweep.swept_params(table) == [B]


def test_aggregate_writes_table_manifest_and_self_contained_report(sweep_dir):
    from experiments.sensitivity import finish_sweep
    manifest = finish_sweep(sweep_dir)
    table = pd.read_parquet(sweep_dir / sweep.TABLE_FILE)
    assert len(table) == 4 and not list(sweep_dir.glob("*.part"))
    plan = json.loads((sweep_dir / sweep.PLAN_FILE).read_text())
    assert plan["jobs_ok"] == manifest["jobs_ok"] == 1 and plan["jobs_missing"] == 1 and plan["jobs_failed"] == 1
    assert plan["replicate_runs"] == 200 and plan["wall_time_s"] > 0 and plan["replicate_runs_per_s"] > 0
    assert len(plan["jobs"]) == 3  # the plan survives aggregation
    html = (sweep_dir / sweep.REPORT_FILE).read_text()
    assert "Plotly" in html and "<script src=" not in html and "override: boom" in html


def test_a_fresh_sweep_forgets_results_of_the_last_one(sweep_dir):
    sweep.aggregate(sweep_dir)
    sweep.start_sweep(sweep_dir, [], resume=True)
    assert (sweep_dir / "0" / sweep.JOB_FILE).is_file() and not (sweep_dir / sweep.TABLE_FILE).exists()
    sweep.start_sweep(sweep_dir, [], resume=False)
    assert not (sweep_dir / "0" / sweep.JOB_FILE).exists() and not (sweep_dir / "0" / sweep.POINTS_FILE).exists()


def test_finished_job_needs_ok_status_and_the_same_fingerprint(tmp_path):
    sweep.write_job(tmp_path, point_rows(0, [(1, 1)], [0.5]), {"job": 0, "status": "ok", "fingerprint": "abc"})
    assert sweep.finished_job(tmp_path, "abc")["job"] == 0
    assert sweep.finished_job(tmp_path, "abd") is None
    sweep.write_job(tmp_path, point_rows(0, [(1, 1)], [0.5]), {"job": 0, "status": "failed", "fingerprint": "abc"})
    assert sweep.finished_job(tmp_path, "abc") is None


def test_escalate_aggregate_on_a_partial_sweep(sweep_dir):
    proc = subprocess.run([sys.executable, "-m", "experiments.aggregate", str(sweep_dir)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "3 jobs (1 ok, 1 failed, 1 missing" in proc.stdout
    assert (sweep_dir / sweep.TABLE_FILE).is_file() and (sweep_dir / sweep.REPORT_FILE).is_file()


def test_escalate_aggregate_refuses_a_folder_without_jobs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "experiments.aggregate", str(tmp_path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("escalate-aggregate: error:")


# --- views -------------------------------------------------------------------

def grid_table():
    values = [(a, b) for a in (0.5, 1.0, 1.5) for b in (0.0, 0.5)]
    return point_rows(0, values, [0.1 * a + 0.0 * b for a, b in values]).assign(job=0)


def test_pooling_adds_successes_and_replicates():
    table = pd.concat([grid_table(), grid_table().assign(replicates=300)], ignore_index=True)
    pooled = sv.pool(table, [A])
    row = pooled[pooled[A] == 1.0].iloc[0]
    assert row["replicates"] == 2 * (100 + 300) and row["hits"] == 2 * (10 + 30)
    lo, hi = wilson_interval(80, 800)
    assert row["p_clash"] == pytest.approx(0.1) and (row["p_clash_lo"], row["p_clash_hi"]) == pytest.approx((lo, hi))


def test_many_distinct_values_are_binned():
    values = pd.Series(np.linspace(0, 1, 100))
    binned = sv.levels(values)
    assert binned.nunique() == sv.BINS and binned.min() == pytest.approx(1 / 16)


def test_tornado_ranks_the_parameter_that_matters_first():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 1, 200), rng.uniform(0, 1, 200)
    table = point_rows(0, list(zip(a, b)), list(0.5 * a + 0.01 * b))
    ranked = sv.tornado_table(table, [A, B])
    assert ranked["param"].tolist() == [B, A]  # ascending |effect|: the widest bar is drawn on top
    assert ranked.set_index("param").loc[A, "effect"] == pytest.approx(0.4, abs=0.05)


@pytest.mark.parametrize("make", [
    lambda t: sv.scenario_bars(t), lambda t: sv.sweep_line(t, A), lambda t: sv.sweep_heatmap(t, A, B),
    lambda t: sv.parallel_coordinates(t, [A, B]), lambda t: sv.sensitivity_tornado(t, [A, B]),
])
def test_views_draw_a_table_and_explain_an_empty_one(make):
    fig = make(grid_table())
    assert isinstance(fig, go.Figure) and len(fig.data) >= 1
    empty = make(grid_table().iloc[0:0])
    assert len(empty.data) == 0 and empty.layout.annotations[0].text.startswith("No ")


def test_heatmap_cells_carry_their_interval():
    fig = sv.sweep_heatmap(grid_table(), A, B)
    heat = fig.data[0]
    assert np.asarray(heat.z).shape == (2, 3)
    lo, hi = wilson_interval(5, 100)  # the cell resolve=0.5, guarantee=0.0: P = 0.05 of 100
    assert np.asarray(heat.customdata)[0, 0].tolist() == pytest.approx([lo, hi, 100])
    assert "95% CI" in heat.hovertemplate


def test_a_job_left_by_a_different_sweep_counts_as_missing(sweep_dir):
    plan = json.loads((sweep_dir / sweep.PLAN_FILE).read_text())
    plan["jobs"][0]["overrides"] = [f"+params.{A}=0.7"]
    (sweep_dir / sweep.PLAN_FILE).write_text(json.dumps(plan))
    sweep.write_job(sweep_dir / "0", point_rows(0, [(0.5, 0.2)], [0.1]),
                    {"job": 0, "status": "ok", "overrides": [f"+params.{A}=0.5", "resume=true"]})
    table, counts = sweep.collect(sweep_dir)
    assert counts["missing"] == 2 and table.loc[0, "status"] == "missing"
    plan["jobs"][0]["overrides"] = [f"+params.{A}=0.5"]
    (sweep_dir / sweep.PLAN_FILE).write_text(json.dumps(plan))
    assert sweep.collect(sweep_dir)[1]["missing"] == 1  # `resume=true` alone does not make another sweep
