"""Scenario loading and validation: clear one-line errors naming file and key."""
from __future__ import annotations

import dataclasses

import pytest
import yaml

import sim
from sim.scenario.load import SCENARIO_DIR, load_scenario
from sim.scenario.errors import ScenarioError

from tests.conftest import toy_raw


def write(tmp_path, raw, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize("name", sim.available_scenarios())
def test_every_shipped_scenario_loads(name):
    s = load_scenario(name)
    assert s.name == name
    assert s.steps == 52 and len(s.ladder) == 9
    assert len(s.members) >= 26  # the 26 of the article (plus Germany with a high threshold)


def test_baseline_has_every_actor_of_the_article(baseline):
    for actor in ("USA", "RUS", "UKR", "FRA", "DEU", "POL", "CHN", "GBR"):
        assert actor in baseline.actor_ids
    assert {"NATO", "EU", "SCO"} <= {g for s in baseline.states for g in s.groups}
    assert len([s for s in baseline.states if s.coalition is not None and s.id != "DEU"]) == 26


def test_variants_change_only_what_they_say(baseline):
    v = load_scenario("no_us_guarantee")
    assert v.domestic.guarantee0 == 0.0 and v.domestic.guarantee_base == 0.0
    assert v.states == baseline.states and v.leaders == baseline.leaders
    fracture = load_scenario("coalition_fracture")
    assert len(fracture.events) > len(baseline.events)
    assert fracture.events[: len(baseline.events)] == baseline.events


def test_overrides_by_dotted_path(baseline):
    s = load_scenario("baseline", ["leaders.putin.resolve=1.3", "states.DEU.coalition.deploy_threshold=0.5"])
    assert s.leaders[[l.id for l in s.leaders].index("putin")].resolve == 1.3
    assert s.states[s.index("DEU")].coalition.deploy_threshold == 0.5
    assert load_scenario("baseline", {"steps": 10}).steps == 10


def test_actor_ids_give_state_order(baseline):
    assert baseline.actor_ids == tuple(s.id for s in baseline.states)


def one_line(err: ScenarioError) -> str:
    text = str(err)
    assert "\n" not in text
    return text


def test_unknown_actor_in_reactions_names_file_and_key(tmp_path):
    raw = toy_raw()
    raw["reactions"][1]["responds_to"] = "S9"
    path = write(tmp_path, raw)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = one_line(info.value)
    assert str(path) in text and "reactions[1].responds_to" in text and "'S9'" in text


def test_rungs_out_of_order(tmp_path):
    raw = toy_raw()
    raw["ladder"][3]["threshold"] = 1.5
    with pytest.raises(ScenarioError, match=r"ladder\[3\]\.threshold: rungs must be in increasing order"):
        load_scenario(write(tmp_path, raw))


def test_probability_out_of_range(tmp_path):
    raw = toy_raw()
    raw["ladder"][5]["risk"] = 1.7
    with pytest.raises(ScenarioError, match=r"ladder\[5\]\.risk: 1.7 is out of range, expected \[0.0, 1.0\]"):
        load_scenario(write(tmp_path, raw))


def test_typo_in_key_suggests_the_right_one(tmp_path):
    raw = toy_raw()
    raw["states"][0]["fatigeu"] = raw["states"][0].pop("fatigue")
    with pytest.raises(ScenarioError, match=r"states\[0\]\.fatigeu: unknown key \(did you mean 'fatigue'\?\)"):
        load_scenario(write(tmp_path, raw))


def test_missing_required_key(tmp_path):
    raw = toy_raw()
    del raw["states"][2]["x0"]
    with pytest.raises(ScenarioError, match=r"states\[2\]\.x0: missing required key"):
        load_scenario(write(tmp_path, raw))


def test_missing_file_and_unknown_name():
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_scenario("/nonexistent/scenario.yaml")
    with pytest.raises(ScenarioError, match="did you mean 'baseline'"):
        load_scenario("basline")


def test_yaml_float_without_sign_gets_a_hint(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(toy_raw()).replace("dt: 0.05", "dt: 5e-2"))
    with pytest.raises(ScenarioError, match=r"dt: expected a number, got '5e-2' \(YAML reads"):
        load_scenario(path)


def test_misspelt_override_path_names_nearest_key():
    with pytest.raises(ScenarioError, match=r"override: leaders.putin.resolv: unknown key \(did you mean 'resolve'\?\)"):
        load_scenario("baseline", ["leaders.putin.resolv=1"])
    with pytest.raises(ScenarioError, match=r"states.RUSS: no record 'RUSS' \(did you mean 'RUS'\?\)"):
        load_scenario("baseline", ["states.RUSS.x0=1"])


def test_variant_with_bad_set_path_names_the_variant(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text("extends: baseline\nname: v\nset:\n  domestic.guarantee_bas: 0.1\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value) and "set.domestic.guarantee_bas" in str(info.value)


def test_event_validation(tmp_path):
    raw = toy_raw()
    raw["events"] = [{"week": 3, "name": "e", "target": "states.S1.fatigue", "value": 1.0}]
    with pytest.raises(ScenarioError, match=r"events\[0\]\.target: cannot target 'states.S1.fatigue'"):
        load_scenario(write(tmp_path, raw))
    raw["events"] = [{"week": 3, "name": "e", "target": "states.S1.x", "value": 1.0, "probability": 1.7}]
    with pytest.raises(ScenarioError, match=r"events\[0\]\.probability"):
        load_scenario(write(tmp_path, raw))


def test_hysteresis_thresholds_must_be_ordered(tmp_path):
    raw = toy_raw()
    raw["states"][1]["coalition"]["withdraw_threshold"] = 0.8
    with pytest.raises(ScenarioError, match=r"states\[1\]\.coalition\.withdraw_threshold: must be below"):
        load_scenario(write(tmp_path, raw))


def test_scenarios_are_frozen(baseline):
    with pytest.raises(dataclasses.FrozenInstanceError):
        baseline.horizon = 3


def _uncommented_numbers(lines: list[str]) -> list[int]:
    """Lines with a number but no comment whose enclosing block's header has no comment either."""
    bad = []
    for i, line in enumerate(lines):
        body = line.split("#")[0]
        if "#" in line or ":" not in body or not any(ch.isdigit() for ch in body.split(":", 1)[1]):
            continue
        indent = len(body) - len(body.lstrip(" -"))
        parent = next((lines[j] for j in range(i - 1, -1, -1)
                       if lines[j].strip() and len(lines[j]) - len(lines[j].lstrip(" -")) < indent), "")
        if "#" not in parent:
            bad.append(i + 1)
    return bad


def test_every_number_in_shipped_scenarios_has_a_source_comment():
    for path in SCENARIO_DIR.glob("*.yaml"):
        bad = _uncommented_numbers(path.read_text().splitlines())
        assert not bad, f"{path.name}: lines {bad} give numbers without a source comment"
    assert _uncommented_numbers(["a:", "  b: 1"]) == [2]  # the check itself can fail
