"""The JSON Schema and the key table are generated from the dataclasses and agree with the validator."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import sim
from sim.scenario.schema import MODELINE, SCHEMA_FILE, json_schema, key_rows, schema_text, with_key_table
from sim.scenario.load import SCENARIO_DIR, scenario_problems

from tests.conftest import toy_raw

DOCS = Path(__file__).resolve().parent.parent / "docs" / "scenarios.md"
REGENERATE = "run `escalate-scenario schema` to regenerate it"


@pytest.fixture(scope="module")
def validator():
    jsonschema.Draft7Validator.check_schema(json_schema())
    return jsonschema.Draft7Validator(json_schema())


def test_shipped_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), f"{SCHEMA_FILE} is stale: {REGENERATE}"


def test_key_table_in_the_docs_is_the_generated_one():
    text = DOCS.read_text(encoding="utf-8")
    assert with_key_table(text) == text, f"the key table of {DOCS} is stale: {REGENERATE}"


def test_key_table_covers_every_field_with_a_meaning():
    rows = list(key_rows())
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys))
    assert {"states[].coalition.deploy_threshold", "leaders[].resolve", "events[].probability", "horizon"} <= set(keys)
    assert [r[0] for r in rows if not r[5]] == [], "every key needs a meaning (field doc or schema.MEANINGS)"
    probability = next(r for r in rows if r[0] == "events[].probability")
    assert probability[3] == "[0, 1]" and probability[2] == "probability"


def test_every_shipped_scenario_starts_with_the_modeline():
    for path in SCENARIO_DIR.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE, path.name
    assert (SCENARIO_DIR / MODELINE.split("$schema=")[1]).resolve() == SCHEMA_FILE.resolve()


@pytest.mark.parametrize("name", sim.available_scenarios())
def test_schema_and_validator_accept_every_shipped_scenario(validator, name):
    raw = yaml.safe_load((SCENARIO_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(raw)] == []
    assert scenario_problems(name) == []


def _variant(**keys) -> dict:
    return {"extends": "baseline", "name": "v", **keys}


def _toy(edit) -> dict:
    raw = toy_raw()
    edit(raw)
    return raw


def _set(path, value):
    def edit(raw):
        node = raw
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return edit


def _delete(path):
    def edit(raw):
        node = raw
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
    return edit


# (case, file content, the validator's key, the schema's error path or None where only the validator can see it)
CATALOGUE = [
    ("typo in a key", _toy(lambda r: r["states"][0].update(fatigeu=r["states"][0].pop("fatigue"))),
     "states[0].fatigeu", "states[0]"),
    ("probability above 1", _toy(_set(["ladder", 5, "risk"], 1.7)), "ladder[5].risk", "ladder[5].risk"),
    ("negative level", _toy(_set(["states", 1, "x0"], -1.0)), "states[1].x0", "states[1].x0"),
    ("missing required key", _toy(_delete(["states", 2, "x0"])), "states[2].x0", "states[2]"),
    ("text for a number", _toy(_set(["steps"], "ten")), "steps", "steps"),
    ("yes/no for a number", _toy(_set(["states", 0, "noise"], True)), "states[0].noise", "states[0].noise"),
    ("number for a switch", _toy(_set(["mechanisms", "coalition"], 1)), "mechanisms.coalition",
     "mechanisms.coalition"),
    ("fractional integer", _toy(_set(["outcomes"], {"clash_rung": 2.5})), "outcomes.clash_rung",
     "outcomes.clash_rung"),
    ("text for a list", _toy(_set(["reactions"], "S1")), "reactions", "reactions"),
    ("unknown top-level key", _toy(_set(["stepz"], 3)), "stepz", ""),
    ("set without extends", _toy(_set(["set"], {"steps": 3})), "set", ""),
    ("missing ladder", _toy(_delete(["ladder"])), "ladder", ""),
    ("variant: unknown top-level key", _variant(stepz=3), "stepz", ""),
    ("variant: append to a list with a mapping", _variant(append={"events": {"week": 1}}), "append.events",
     "append.events"),
    ("variant: appended event out of range",
     _variant(append={"events": [{"week": 1, "name": "e", "target": "states.RUS.x", "probability": 1.7}]}),
     "append.events[0].probability", "append.events[0].probability"),  # the user's own entry, as the schema says
    ("variant: append to an unknown list", _variant(append={"evnts": []}), "evnts", "append"),
    # cross-references: only the validator sees them
    ("unknown actor", _toy(_set(["reactions", 1, "responds_to"], "S9")), "reactions[1].responds_to", None),
    ("rungs out of order", _toy(_set(["ladder", 3, "threshold"], 1.5)), "ladder[3].threshold", None),
    ("hysteresis reversed", _toy(_set(["states", 1, "coalition", "withdraw_threshold"], 0.8)),
     "states[1].coalition.withdraw_threshold", None),
    ("event target not allowed",
     _toy(_set(["events"], [{"week": 3, "name": "e", "target": "states.S1.fatigue", "value": 1.0}])),
     "events[0].target", None),
    ("duplicate id", _toy(_set(["states", 1, "id"], "S0")), "states[1].id", None),
    ("variant: misspelt set path", _variant(set={"leaders.putin.resolv": 1.0}), "set.leaders.putin.resolv", None),
]


def _schema_paths(error) -> list[str]:
    """Where an error and the errors under it (alternatives of anyOf) are, as the validator writes keys."""
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return [text] + [p for sub in error.context for p in _schema_paths(sub)]


@pytest.mark.parametrize("case, raw, key, schema_path", CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_schema_and_validator_agree_on_broken_files(tmp_path, validator, case, raw, key, schema_path):
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(copy.deepcopy(raw)), encoding="utf-8")
    problems = scenario_problems(path)
    assert [p.key for p in problems if p.key == key], f"validator: {[str(p) for p in problems]}"
    assert all(str(path) in str(p) and "\n" not in str(p) for p in problems)
    schema_errors = list(validator.iter_errors(raw))
    if schema_path is None:
        assert schema_errors == [], [e.message for e in schema_errors]
    else:
        assert schema_path in [p for e in schema_errors for p in _schema_paths(e)], [
            (_schema_paths(e), e.message) for e in schema_errors]


def test_collecting_finds_every_structural_problem_at_once(tmp_path):
    raw = toy_raw()
    raw["ladder"][2]["risk"] = 1.7
    raw["states"][0]["fatigeu"] = 1.0
    raw["states"][1]["x0"] = -1.0
    path = tmp_path / "three.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert sorted(p.key for p in scenario_problems(path)) == ["ladder[2].risk", "states[0].fatigeu", "states[1].x0"]
    with pytest.raises(sim.ScenarioError) as info:  # loading still stops at the first
        sim.load_scenario(path)
    assert str(info.value) in [str(p) for p in scenario_problems(path)]


def test_collecting_finds_every_reference_problem_at_once(tmp_path):
    raw = toy_raw()
    raw["reactions"][0]["actor"] = "S7"
    raw["reactions"][1]["responds_to"] = "S9"
    raw["roles"]["coalition_lead"] = "X"
    path = tmp_path / "refs.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert sorted(p.key for p in scenario_problems(path)) == ["reactions[0].actor", "reactions[1].responds_to",
                                                              "roles.coalition_lead"]


def test_schema_documents_ranges_and_defaults():
    state = json_schema()["definitions"]["State"]["properties"]
    assert state["exposure"]["minimum"] == 0.0 and state["exposure"]["maximum"] == 1.0
    assert "Range: [0, 1]" in state["exposure"]["description"]
    assert state["capability"]["default"] == 1.0
    assert json.loads(schema_text()) == json_schema()
