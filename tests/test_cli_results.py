"""What the command line shows and where it writes: run names, the headline, Ctrl-C, progress and logs."""
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli import escalate_env

ROOT = Path(__file__).resolve().parent.parent
RESOLVE = "+params.leaders.putin.resolve=1.2"


def escalate(*args, cwd, **popen):
    """``escalate`` in a fresh process (tests/cli.py's environment); with ``popen`` arguments, not waited for."""
    env = escalate_env(cwd)
    command = [sys.executable, "-m", "experiments.run", *args]
    if popen:
        return subprocess.Popen(command, cwd=cwd, env=env, text=True, **popen)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def override_run(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("named")
    proc = escalate("replicates=40", "horizon=6", RESOLVE, "progress=false", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return cwd, proc


def test_a_run_with_overrides_is_never_called_plain_baseline(override_run):
    cwd, _ = override_run
    (name,) = [p.name for p in (cwd / "results" / "runs").iterdir()]
    assert name == "baseline+horizon=6+putin.resolve=1.2"
    (run_dir,) = (cwd / "results" / "runs" / name).iterdir()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["label"] == name and manifest["overrides"] == ["horizon=6", "leaders.putin.resolve=1.2"]
    report = (run_dir / "report.html").read_text()
    assert f"<h1>Scenario: {name}</h1>" in report and f"<title>{name} - escalation report</title>" in report
    assert "<code>leaders.putin.resolve=1.2</code>" in report
    assert not re.search(r"<h1>Scenario: baseline</h1>|<title>baseline -", report)


def test_a_single_run_prints_its_headline(override_run):
    _, proc = override_run
    line = next(l for l in proc.stdout.splitlines() if "P(clash)" in l)
    assert re.match(r"baseline\+horizon=6\+putin.resolve=1.2: P\(clash\) \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] "
                    r"\(incident \d\.\d{3}, deliberate \d\.\d{3}\); median highest rung \d+; "
                    r"median deployed at peak \d+; 40 replicates, 6 weeks$", line), line


def test_the_readme_example_scenario_file_ships_and_runs_under_its_own_name(tmp_path):
    proc = escalate(f"scenario_file={ROOT / 'examples' / 'what_if.yaml'}", "replicates=20", "horizon=4",
                    "progress=false", "outputs=tables", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (tmp_path / "results" / "runs").iterdir()] == ["what_if+horizon=4"]
    assert "scenario_file=examples/what_if.yaml" in (ROOT / "README.md").read_text()


def test_a_one_job_design_with_summary_outputs_writes_its_sweep_report(tmp_path):
    out = tmp_path / "design"
    proc = escalate("design.kind=grid", "design.n=2", "+design.params.leaders.putin.resolve=[0.5,1.5]",
                    "replicates=20", "horizon=4", "outputs=summary", "progress=false", f"hydra.run.dir={out}",
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (out / "sweep.parquet").is_file() and (out / "sweep_report.html").is_file()
    assert "P(direct clash between Russia and the coalition within 4 weeks)" in proc.stdout


def test_ctrl_c_in_a_sweep_says_how_to_resume_and_keeps_finished_jobs(tmp_path):
    out = tmp_path / "sweep"
    # a shell that starts the suite in the background ignores SIGINT, and children inherit that: the
    # command must get the disposition a user's terminal gives it
    proc = escalate("-m", "+params.leaders.putin.resolve=0.5,0.75,1.0,1.25,1.5,1.75", "replicates=3000",
                    "progress=false", f"hydra.sweep.dir={out}", cwd=tmp_path, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 300
    while not (out / "0" / "job.json").is_file() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    finished = json.loads((out / "0" / "job.json").read_text())
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == ("escalate: interrupted; rerun with resume=true to finish the sweep "
                                            "(finished jobs are kept)")
    assert "Traceback" not in err
    assert json.loads((out / "0" / "job.json").read_text()) == finished and (out / "0" / "points.parquet").is_file()


def test_progress_bar_and_job_lines_never_share_a_line(tmp_path):
    proc = escalate("-m", "+params.leaders.putin.resolve=0.5,1.0,1.5", "replicates=20", "horizon=4",
                    "outputs=summary", f"hydra.sweep.dir={tmp_path / 's'}", cwd=tmp_path,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out
    assert "sweep jobs" in out and out.count("[escalate][INFO] - job ") == 3
    for line in out.split("\n"):
        for segment in line.split("\r"):
            assert not ("sweep jobs" in segment and re.search(r"\[\d{4}-\d\d-\d\d ", segment)), segment
    assert not re.search(r"\[HYDRA\]\s+#\d+ :", out)  # the job's own line says the same


def test_a_comparison_lands_under_results_by_default(tmp_path, monkeypatch):
    from experiments.report import default_out
    assert default_out(["a", "b"], "html") == Path("results") / "comparison_report.html"
    assert default_out(["a", "b"], "png").parts[0] == "results"


def test_no_progress_bar_where_jobs_end_in_other_processes(tmp_path):
    """Under joblib (as under Ray and submitit) this process never sees a job end: a bar would stay at 0%."""
    proc = escalate("-m", "+params.leaders.putin.resolve=0.5,1.0", "hydra/launcher=joblib", "threads=1",
                    "replicates=20", "horizon=4", "outputs=summary", f"hydra.sweep.dir={tmp_path / 's'}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "sweep jobs" not in proc.stderr and "P(direct clash between Russia and the coalition within 4 weeks)" in proc.stdout
