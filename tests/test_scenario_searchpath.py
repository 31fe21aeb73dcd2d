"""Scenarios on Hydra's search path (`--config-dir`) and the worked example of docs/scenarios.md."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from experiments.scenario_cli import main as scenario_cli
from experiments.searchpath import config_dirs_of, old_folders, scenario_names, scenario_on_searchpath
from sim.scenario.errors import ScenarioError
from sim.scenario.load import SCENARIO_DIR, available_scenarios

from tests.test_cli import escalate

DOCS = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"


def source(schema, path):
    return SimpleNamespace(schema=schema, path=path, provider="test")


def test_search_path_lookup_follows_hydras_source_order(tmp_path):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text("extends: baseline\n")
    (tmp_path / "scenarios" / "baseline.yaml").write_text("extends: baseline\n")
    sources = [source("pkg", "hydra.conf"), source("pkg", "configs"), source("file", str(tmp_path)),
               source("structured", "")]
    assert scenario_on_searchpath("mine", sources) == str(tmp_path / "scenarios" / "mine.yaml")
    assert scenario_on_searchpath("baseline", sources) == "baseline"  # the shipped one comes first
    assert scenario_on_searchpath("baseline", [source("file", str(SCENARIO_DIR.parent))]) == "baseline"
    assert scenario_names(sources) == sorted({*available_scenarios(), "mine"})


@pytest.mark.parametrize("name, message", [
    ("basline", "scenario: no scenario named 'basline' (did you mean 'baseline'?) (available: baseline, "),
    ("mine_too", "(did you mean 'mine'?)"),
    ("my/case.yaml", "scenario: 'my/case.yaml' is a path, not a scenario name: use scenario_file=my/case.yaml"),
])
def test_an_unknown_name_is_refused_naming_the_key_and_the_names_available(tmp_path, name, message):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "mine.yaml").write_text("extends: baseline\n")
    with pytest.raises(ScenarioError) as err:
        scenario_on_searchpath(name, [source("pkg", "configs"), source("file", str(tmp_path))])
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_config_dirs_of_a_command_line_and_their_old_scenario_folders(tmp_path):
    argv = ["-cd", "a", "--config-dir=b", "hydra.searchpath=[file://c,pkg://d,'file://e']", "scenario=x"]
    assert config_dirs_of(argv) == ["a", "b", "c", "e"]
    (tmp_path / "old" / "scenario").mkdir(parents=True)
    (tmp_path / "old" / "scenario" / "mine.yaml").write_text("extends: baseline\n")
    (tmp_path / "new" / "scenarios").mkdir(parents=True)
    assert old_folders([str(tmp_path / "new"), str(tmp_path / "old")]) == [tmp_path / "old" / "scenario"]


@pytest.fixture
def config_dir(tmp_path):
    scenarios = tmp_path / "my_configs" / "scenarios"
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
    expected = config_dir / "my_configs" / "scenarios" / "hawkish_short.yaml"
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
    assert len(lines) == 1 and "my_configs/scenarios/broken.yaml: reactions[2].responds_to: unknown actor 'GERMANY'" \
        in lines[0], proc.stderr
    assert not out.exists()


def test_the_run_directory_is_named_by_the_scenario_files_own_name(config_dir):
    (config_dir / "my_configs" / "scenarios" / "h2.yaml").write_text("extends: hawkish\nname: dove\n")
    proc = escalate("--config-dir", "my_configs", "scenario=h2", "replicates=5", "horizon=2",
                    "progress=false", "outputs=summary", cwd=config_dir)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (config_dir / "results" / "runs").iterdir()] == ["dove+horizon=2"]


@pytest.mark.parametrize("multirun", [False, True])
def test_an_unknown_name_stops_the_command_in_one_line_and_writes_nothing(config_dir, multirun):
    args = ("-m", "scenario=hawkish,hawkishh") if multirun else ("scenario=hawkishh",)
    proc = escalate("--config-dir", "my_configs", *args, "replicates=5", cwd=config_dir)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "escalate: error: scenario: no scenario named 'hawkishh' (did you mean 'hawkish'?) (available: baseline, "
        "broken, ceasefire, coalition_fracture, germany_joins, hawkish, hawkish_short, no_us_guarantee, "
        "russia_resolute, us_backstop)"], proc.stderr
    assert sorted(p.name for p in config_dir.iterdir()) == ["my_configs"]


def test_a_glob_over_scenarios_which_hydra_would_launch_as_no_job_is_refused(tmp_path):
    proc = escalate("-m", "scenario=glob(*)", "replicates=5", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "escalate: error: scenario=glob(*): no values to sweep; scenario is a name, not a config group: list the "
        "names (scenario=a,b) or run -m experiment=scenarios"], proc.stderr
    assert not list(tmp_path.iterdir())


def test_a_config_dir_with_the_old_scenario_folder_is_told_to_rename_it(config_dir):
    (config_dir / "my_configs" / "scenarios").rename(config_dir / "my_configs" / "scenario")
    proc = escalate("--config-dir", "my_configs", "scenario=hawkish", "replicates=5", cwd=config_dir)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "escalate: error: my_configs/scenario: scenarios now live in a folder named scenarios/, not scenario/; "
        "rename it (mv my_configs/scenario my_configs/scenarios)"], proc.stderr
    assert sorted(p.name for p in config_dir.iterdir()) == ["my_configs"]


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
