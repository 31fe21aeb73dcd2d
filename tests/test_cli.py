"""End to end: the `escalate` command writes a complete run directory, or nothing on bad input."""
import json

import pandas as pd
import pytest

from tests.cli import escalate
from tests.test_ensemble import REQUIRED


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    out = base / "run"
    proc = escalate("scenario=germany_joins", "replicates=200", "seed=3", "steps=20", "progress=false",
                    f"hydra.run.dir={out}", cwd=base)
    assert proc.returncode == 0, proc.stderr
    return out


def test_run_directory_is_complete(run_dir):
    for name in ("manifest.json", "scenario.json", "summary.parquet", "steps.parquet", "weekly.parquet",
                 "deployed.parquet", "members.parquet", "events.parquet", "report.html", ".hydra/config.yaml"):
        assert (run_dir / name).is_file(), name
    assert not list(run_dir.glob("*.part"))
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["scenario"] == "germany_joins" and manifest["seed"] == 3 and manifest["replicates"] == 200
    assert manifest["steps"] == 20 and manifest["threads"] >= 1 and manifest["wall_time_s"] > 0
    assert {"numpy", "numba", "mesa"} <= set(manifest["versions"])
    summary = pd.read_parquet(run_dir / "summary.parquet")
    assert len(summary) == 200 and set(REQUIRED) <= set(summary.columns)


def test_hydra_passes_the_scenario_name_on_without_loading_the_file(run_dir):
    import yaml
    composed = yaml.safe_load((run_dir / ".hydra" / "config.yaml").read_text())
    assert composed["scenario"] == "germany_joins" and composed["scenario_file"] is None


def test_cli_results_equal_library_results(run_dir):
    import sim
    s = sim.load_scenario("germany_joins", {"steps": 20})
    lib = sim.run_ensemble(s, 200, seed=3).summary
    pd.testing.assert_frame_equal(pd.read_parquet(run_dir / "summary.parquet"), lib)


def test_parameter_override_from_the_command_line(tmp_path):
    out = tmp_path / "run"
    proc = escalate("replicates=20", "steps=5", "progress=false", "+params.leaders.putin.resolve=1.25",
                    f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    resolved = json.loads((out / "scenario.json").read_text())
    putin = next(l for l in resolved["leaders"] if l["id"] == "putin")
    assert putin["resolve"] == 1.25 and resolved["horizon"] == 5


@pytest.mark.parametrize("override, key", [
    ("+params.reactions.0.actor=RUSS", "reactions[0].actor"),
    ("+params.ladder.2.risk=1.7", "ladder[2].risk"),
    ("+params.ladder.3.threshold=0.5", "ladder[3].threshold"),
    ("+params.leaders.putin.resolv=1", "leaders.putin.resolv"),
])
def test_bad_input_exits_non_zero_with_one_line_and_writes_nothing(tmp_path, override, key):
    out = tmp_path / "run"
    proc = escalate("replicates=10", "progress=false", override, f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.startswith("escalate: error:")]
    assert len(lines) == 1 and key in lines[0], proc.stderr
    assert not out.exists()


def test_bad_scenario_file_names_file_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: baseline\nname: bad\nset:\n  reactions.2.responds_to: GERMANY\n")
    out = tmp_path / "run"
    proc = escalate(f"scenario_file={bad}", "replicates=10", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 2
    assert f"escalate: error: {bad}: reactions[2].responds_to: unknown actor 'GERMANY'" in proc.stderr
    assert not out.exists()
