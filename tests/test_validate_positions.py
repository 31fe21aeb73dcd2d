"""Typo messages point at the user's own entry and suggest keys of the section they are in."""
import pytest

import sim
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_problems


def write(tmp_path, text):
    path = tmp_path / "mine.yaml"
    path.write_text(text)
    return path


def test_a_misspelt_set_suggests_set(tmp_path):
    path = write(tmp_path, "extends: baseline\nname: mine\nsett:\n  leaders.putin.resolve: 1.2\n")
    with pytest.raises(ScenarioError) as err:
        sim.load_scenario(path)
    assert str(err.value) == f"{path}: sett: unknown key (did you mean 'set'?)"


def test_an_appended_record_is_named_by_its_place_in_the_users_file(tmp_path):
    path = write(tmp_path, "extends: baseline\nname: mine\nappend:\n  states:\n"
                           "    - {id: MED, name: Mediator, bloc: neutral, x0: 0.5, fatigue: 0.5, grievance: 0.1,"
                           " noies: 0.1}\n")
    with pytest.raises(ScenarioError) as err:
        sim.load_scenario(path)
    assert str(err.value) == f"{path}: append.states[0].noies: unknown key (did you mean 'noise'?)"
    keys = [e.key for e in scenario_problems(path)]
    assert keys == ["append.states[0].noies", "append.states[0].noise"]


def test_records_of_the_base_keep_their_place(tmp_path):
    path = write(tmp_path, "extends: baseline\nname: mine\nappend:\n  events:\n"
                           "    - {week: 3, name: ok, target: states.RUS.x, op: add, value: 0.5}\n"
                           "    - {week: 4, name: bad, target: states.RUS.x, op: add, value: 0.5, wek: 2}\n")
    problems = scenario_problems(path)
    assert [e.key for e in problems] == ["append.events[1].wek"] and problems[0].source == str(path)
