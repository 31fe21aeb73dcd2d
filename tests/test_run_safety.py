"""A finished run is never lost, an unfinished one never read, and diverging numerics never pass for results."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

import sim
import sim.files
from sim.results.ensemble import DivergenceError
from sim.pipeline import run_to_directory
from sim.scenario.plausible import ScenarioWarning
from sim.results.storage import COMPLETE_FILE, RunExistsError, read_complete

from tests.cli import escalate

NOISY = {"states.RUS.noise": 1e308}


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def small():
    return sim.load_scenario("baseline", {"steps": 6})


# --- never lose a finished run ------------------------------------------------

def test_second_run_into_a_complete_directory_is_refused_and_changes_nothing(tmp_path, small):
    out = run_to_directory(small, 30, 1, tmp_path / "run", report=False)
    before = snapshot(out)
    with pytest.raises(RunExistsError, match=r"holds a complete run \(scenario baseline, seed 1, replicates 30.*"
                                             r"set overwrite=true"):
        run_to_directory(small, 40, 2, out, report=False)
    assert snapshot(out) == before
    with pytest.raises(RunExistsError):
        sim.run_ensemble(small, 5, 3).save(out)
    assert snapshot(out) == before


def test_overwrite_replaces_every_file_of_the_old_run(tmp_path, small):
    out = run_to_directory(small, 30, 1, tmp_path / "run")
    run_to_directory(small, 40, 2, out, report=False, overwrite=True)
    assert not (out / "report.html").exists()  # the old run's report must not pass for the new one's
    assert read_complete(out)["seed"] == 2 and len(pd.read_parquet(out / "summary.parquet")) == 40


def test_complete_marker_is_written_last(tmp_path, small, monkeypatch):
    order = []
    present = {}
    real_write = sim.files.atomic_write_bytes

    def spy(path, data):
        order.append(Path(path).name)
        present[Path(path).name] = sorted(p.name for p in Path(path).parent.iterdir())
        real_write(path, data)

    monkeypatch.setattr(sim.files, "atomic_write_bytes", spy)
    out = run_to_directory(small, 20, 1, tmp_path / "run")
    assert order[-1] == COMPLETE_FILE and order.count(COMPLETE_FILE) == 1
    assert {"report.html", "manifest.json", "scenario.json"} <= set(order[:-1])
    # the summary is streamed by the ensemble and moved into place with the tables, before the marker
    before_marker = {n for n in present[COMPLETE_FILE] if not n.startswith(".")}
    assert "summary.parquet" in before_marker and "summary.parquet" not in order
    assert set(read_complete(out)["files"]) == set(order[:-1]) | {"summary.parquet"} == before_marker


def test_an_interrupted_run_is_refused_by_readers_and_may_be_rewritten(tmp_path, small, capsys):
    from experiments.report import main as report_main
    out = run_to_directory(small, 20, 1, tmp_path / "run", report=False)
    (out / COMPLETE_FILE).unlink()  # what a run killed before its last file leaves
    assert report_main([str(out)]) == 2
    assert "incomplete run directory (no COMPLETE marker" in capsys.readouterr().err
    run_to_directory(small, 20, 1, out, report=False)  # not complete: no overwrite needed
    assert read_complete(out) is not None


def test_aggregation_warns_about_a_job_without_its_record(tmp_path):
    from sim.results.sweep import POINTS_FILE, aggregate, start_sweep, write_job
    start_sweep(tmp_path, None, resume=False)
    rows = pd.DataFrame([{"point": 0, "scenario": "baseline", "status": "ok", "error": "", "replicates": 10}])
    write_job(tmp_path / "0", rows, {"job": 0, "status": "ok"})
    (tmp_path / "1").mkdir()
    rows.to_parquet(tmp_path / "1" / POINTS_FILE)  # interrupted before job.json
    with pytest.warns(UserWarning, match=r"1: incomplete job \(points without job.json"):
        manifest = aggregate(tmp_path)
    assert manifest["jobs_ok"] == 1


def test_escalate_refuses_a_directory_holding_a_complete_run(tmp_path):
    out = tmp_path / "run"
    first = escalate("replicates=20", "seed=1", "outputs=tables", f"hydra.run.dir={out}", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    second = escalate("replicates=30", "seed=2", "outputs=tables", f"hydra.run.dir={out}", cwd=tmp_path)
    assert second.returncode == 2
    assert [line for line in second.stderr.splitlines() if line.startswith("escalate: error:")] == [
        f"escalate: error: {out}: holds a complete run (scenario baseline, seed 1, replicates 20, finished "
        f"{read_complete(out)['finished_at']}); set overwrite=true to replace it or choose another output "
        "directory (hydra.run.dir)"]
    after = snapshot(out)
    log = "escalate.log"
    assert {k: v for k, v in after.items() if k != log} == {k: v for k, v in before.items() if k != log}
    third = escalate("replicates=30", "seed=2", "outputs=tables", "overwrite=true", f"hydra.run.dir={out}",
                     cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert "seed=2" in (out / ".hydra" / "overrides.yaml").read_text()


# --- numerics that never fail silently ------------------------------------------

def test_a_diverging_run_fails_and_writes_nothing(tmp_path):
    with pytest.warns(ScenarioWarning, match=r"baseline.yaml: states.RUS.noise: 1e\+308 is implausible"):
        noisy = sim.load_scenario("baseline", {**NOISY, "steps": 6})
    out = tmp_path / "run"
    with pytest.raises(DivergenceError, match=r"baseline.yaml: \d+ of 50 replicates \(\d+\.\d%\) diverged .*"
                                              r"more than max_diverged_share=0.01"):
        run_to_directory(noisy, 50, 1, out)
    assert not out.exists()
    run_to_directory(noisy, 50, 1, out, max_diverged_share=1.0, report=False)  # asked for: kept, and flagged
    assert json.loads((out / "manifest.json").read_text())["headline"]["p_diverged"] > 0.5


def test_a_diverging_sweep_point_fails_with_the_reason():
    from experiments.points import ScenarioPoints, evaluate_points
    points = ScenarioPoints("baseline", {"steps": 6})
    frame = pd.DataFrame({"states.RUS.noise": [0.1, 1e308]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)
        rows = evaluate_points(points, frame, replicates=20, seed=1)
    assert rows["status"].tolist() == ["ok", "failed"]
    assert "more than max_diverged_share=0.01" in rows["error"].iloc[1]


def test_escalate_with_a_huge_noise_warns_and_exits_3(tmp_path):
    out = tmp_path / "run"
    proc = escalate("replicates=50", "+params.states.RUS.noise=1e308", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 3
    lines = proc.stderr.splitlines()
    assert any(line.startswith("escalate: warning:") and "states.RUS.noise: 1e+308 is implausible" in line
               for line in lines), proc.stderr
    errors = [line for line in lines if line.startswith("escalate: error:")]
    assert len(errors) == 1 and "diverged" in errors[0] and "max_diverged_share=0.01" in errors[0]
    assert not out.exists()


@pytest.mark.parametrize("key, value", [  # value: a function of the top rung's threshold and dt
    ("states.RUS.noise", lambda top, dt: 5e3),
    ("states.RUS.x0", lambda top, dt: 20 * top),
    ("reactions.0.k", lambda top, dt: 2e3),
    ("coalition.threat_weight", lambda top, dt: -5e3),
    ("states.RUS.fatigue", lambda top, dt: 3.0 / dt),
    ("states.RUS.noise", lambda top, dt: 1.2 * top),
])
def test_implausible_but_legal_values_warn_naming_file_and_key(baseline, key, value):
    with pytest.warns(ScenarioWarning) as record:
        s = sim.load_scenario("baseline", {key: value(baseline.ladder[-1].threshold, baseline.dt)})
    messages = [str(w.message) for w in record if issubclass(w.category, ScenarioWarning)]
    assert len(messages) == 1 and messages[0].startswith(f"{s.source}: {key}: "), messages


@pytest.mark.parametrize("name", sim.available_scenarios())
def test_shipped_scenarios_are_plausible(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScenarioWarning)
        sim.load_scenario(name)


def test_a_finished_design_run_is_refused_unless_overwrite_or_resume(tmp_path):
    from sim.results.sweep import check_fresh, write_job
    check_fresh(tmp_path, overwrite=False, resume=False)  # empty: nothing to protect
    rows = pd.DataFrame([{"point": 0, "scenario": "baseline", "status": "ok", "error": "", "replicates": 10}])
    write_job(tmp_path, rows, {"job": 0, "status": "ok", "points": 1})
    with pytest.raises(RunExistsError, match=r"holds a finished design run \(1 points, status ok\); set overwrite=true"):
        check_fresh(tmp_path, overwrite=False, resume=False)
    check_fresh(tmp_path, overwrite=True, resume=False)
    check_fresh(tmp_path, overwrite=False, resume=True)
