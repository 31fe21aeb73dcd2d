"""Scenarios on Hydra's search path (`--config-dir`) and the worked example of docs/scenarios.md."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from experiments.scenario_cli import main as scenario_cli
from experiments.searchpath import scenario_on_searchpath
from sim.scenario.load import SCENARIO_DIR

from tests.test_cli import escalate

DOCS = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"


def source(schema, path):
    return SimpleNamespace(schema=schema, path=path, provider="test")


def test_search_path_lookup_follows_hydras_source_order(tmp_path):
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "mine.yaml").write_text("extends: baseline\n")
    (tmp_path / "scenario" / "baseline.yaml").write_text("extends: baseline\n")
    sources = [source("pkg", "hydra.conf"), source("pkg", "configs"), source("file", str(tmp_path)),
               source("structured", "")]
    assert scenario_on_searchpath("mine", sources) == str(tmp_path / "scenario" / "mine.yaml")
    assert scenario_on_searchpath("baseline", sources) == "baseline"  # the shipped one comes first
    assert scenario_on_searchpath("baseline", [source("file", str(SCENARIO_DIR.parent))]) == "baseline"
    assert scenario_on_searchpath("nowhere", sources) == "nowhere"  # load_scenario then names the shipped ones


@pytest.fixture
def config_dir(tmp_path):
    scenarios = tmp_path / "my_configs" / "scenario"
    scenarios.mkdir(parents=True)
    (scenarios / "hawkish.yaml").write_text(
        "extends: baseline\nname: hawkish\nset:\n  leaders.putin.resolve: 1.3  # assumption\n")
    # a name is found beside the file that extends it before the shipped scenarios
    (scenarios / "hawkish_short.yaml").write_text("extends: hawkish\nname: hawkish_short\nsteps: 6  # assumption\n")
    (scenarios / "broken.yaml").write_text(
        "extends: baseline\nname: broken\nset:\n  reactions.2.responds_to: GERMANY\n")
    return tmp_path


def test_a_scenario_in_a_config_dir_runs_by_name(config_dir):
    out = config_dir / "run"
    proc = escalate("--config-dir", "my_configs", "scenario=hawkish_short", "replicates=20", "progress=false",
                    f"hydra.run.dir={out}", cwd=config_dir)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "hawkish_short" and manifest["replicates"] == 20
    expected = config_dir / "my_configs" / "scenario" / "hawkish_short.yaml"
    assert Path(manifest["scenario_file"]).resolve() == expected.resolve()
    resolved = json.loads((out / "scenario.json").read_text())
    assert resolved["horizon"] == 6
    assert next(l for l in resolved["leaders"] if l["id"] == "putin")["resolve"] == 1.3


def test_a_broken_scenario_in_a_config_dir_fails_with_one_line(config_dir):
    out = config_dir / "run"
    proc = escalate("--config-dir", "my_configs", "scenario=broken", "replicates=20", f"hydra.run.dir={out}",
                    cwd=config_dir)
    assert proc.returncode == 2
    lines = [l for l in proc.stderr.splitlines() if l.startswith("escalate: error:")]
    assert len(lines) == 1 and "my_configs/scenario/broken.yaml: reactions[2].responds_to: unknown actor 'GERMANY'" \
        in lines[0], proc.stderr
    assert not out.exists()


def test_a_sweep_checks_scenarios_of_a_config_dir_before_any_job(config_dir):
    proc = escalate("-m", "--config-dir", "my_configs", "scenario=hawkish,hawkish_short",
                    "+params.leaders.putin.resolv=1",
                    f"hydra.sweep.dir={config_dir / 'sweep'}", cwd=config_dir)
    assert proc.returncode == 2
    assert "hawkish.yaml" in proc.stderr and "did you mean 'resolve'" in proc.stderr


def test_the_worked_example_of_the_docs_runs_as_written(tmp_path, capsys):
    text = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- worked-example: (\S+) -->\n```yaml\n(.*?)```", text, re.S)
    assert match, "docs/scenarios.md lost its worked example"
    target = tmp_path / match.group(1)
    target.parent.mkdir(parents=True)
    target.write_text(match.group(2), encoding="utf-8")
    name = target.stem
    assert f"--config-dir my_configs scenario={name}" in text
    assert scenario_cli(["schema", "--out", str(tmp_path / "my_configs" / "scenario.schema.json")]) == 0
    assert scenario_cli(["validate", str(target)]) == 0
    assert scenario_cli(["show", str(target)]) == 0
    shown = capsys.readouterr().out
    assert "QAT  0.5  0.5  normal relations" in shown  # the sentence of the docs about week 0 at rest
    out = tmp_path / "run"
    proc = escalate("--config-dir", "my_configs", f"scenario={name}", "replicates=20", "progress=false",
                    f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    resolved = json.loads((out / "scenario.json").read_text())
    assert resolved["states"][-1]["id"] == "QAT" and resolved["leaders"][-1]["state"] == "QAT"
    assert {"Doha talks open"} <= {e["name"] for e in resolved["events"]}
