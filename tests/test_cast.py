"""Roles and names travel with the results: views and reports label a scenario by its own states.

A synthetic scenario (ids ``S000``..., blocs renamed here) is run, reported, compared and
swept; no id, name, bloc or group of the shipped scenarios may appear in what the reader sees.
"""
from __future__ import annotations

import dataclasses
import json
import re

import pandas as pd
import pytest

from sim.report.answer import run_answer
from sim.pipeline import scenario_dict
from sim.report.views import Cast, cast_of, shared_cast

# What the shipped scenarios call their states, leaders, blocs and groups.
SHIPPED = re.compile(r"\b(RUS|USA|FRA|GBR|POL|DEU|CHN|UKR|Russian?|United States|France|Ukraine|NATO|SCO|EU|US|"
                     r"putin|trump|Putin|Trump|partner)\b")


def reader_text(page: str) -> str:
    """What a report shows: its body (plotly.js sits in the head) without the stored scenario and manifest."""
    body = page[page.index("</head>"):]
    return re.sub(r"<details>.*?</details>", "", body, flags=re.S)


def leaks(text: str) -> list[str]:
    return sorted(set(SHIPPED.findall(text)))


@pytest.fixture(scope="module")
def other_world():
    """A synthetic scenario whose blocs and groups are not those of the shipped scenarios either."""
    from sim.scenario.synthetic import synthetic_scenario
    s = synthetic_scenario(8, seed=3, steps=6)
    rename = {"SCO": "East", "NATO": "West"}
    states = tuple(dataclasses.replace(st, bloc=rename[st.bloc], groups=tuple(rename[g] for g in st.groups)
                                       + (("Union",) if i % 2 else ())) for i, st in enumerate(s.states))
    return dataclasses.replace(s, states=states)


@pytest.fixture(scope="module")
def other_run(tmp_path_factory, other_world):
    from sim.pipeline import run_to_directory
    return run_to_directory(other_world, 40, 5, tmp_path_factory.mktemp("other_world"))


def test_cast_of_the_baseline_names_its_roles(baseline):
    cast = cast_of(scenario_dict(baseline))
    assert (cast.adversary, cast.guarantor, cast.coalition_lead) == ("RUS", "USA", "FRA")
    assert cast.adversary_name == "Russia" and cast.label("RUS") == "Russia (RUS)"
    assert set(cast.key_actors) == {"RUS", "USA", "FRA", "GBR", "POL", "DEU", "CHN", "UKR"}
    assert cast.key_actors[:3] == ("RUS", "USA", "FRA") and cast.members == baseline.members
    assert cast.clash_probability(52) == "P(direct clash between Russia and the coalition within 52 weeks)"
    assert cast.guarantee == "guarantee credibility G of the guarantor (United States)"


def test_without_a_stored_scenario_the_labels_name_roles_not_states():
    cast = cast_of(None)
    assert cast.key_actors == () and cast.name("S1") == "S1"
    assert cast.clash == "direct clash between the adversary and the coalition"
    assert cast.guarantee == "guarantee credibility G of the guarantor"


def test_the_shared_cast_keeps_only_what_every_scenario_agrees_on():
    a = Cast(adversary="X", guarantor="G", names={"X": "Xland", "G": "Gland"})
    b = Cast(adversary="Y", guarantor="G", names={"Y": "Yland", "G": "Gland"})
    both = shared_cast([a, b])
    assert both.adversary is None and both.adversary_name == "the adversary"
    assert both.guarantor == "G" and both.guarantor_name == "Gland"
    assert shared_cast([a, a]) == a and shared_cast([]) == Cast()
    renamed = Cast(adversary="X", names={"X": "Other name"})
    assert shared_cast([a, renamed]).adversary is None  # one id, two names: neither is right for both


def test_a_run_report_labels_the_scenario_by_its_own_states(other_run):
    from sim.report.run import build_report, read_run, run_figures
    run, config = read_run(other_run)
    text = reader_text(build_report(run, config))
    assert leaks(text) == []
    assert "P(direct clash between State 0 and the coalition within 6 weeks)" in text
    figures = {e.name: e.figure for e in run_figures(run, config)}
    assert figures["guarantee"].layout.title.text.startswith("Guarantee credibility G of the guarantor (State 1)")
    assert figures["occupancy"].data[0].name == "S000"  # the adversary first
    fan = {t.name: t for t in figures["levels"].data if t.name}
    assert list(fan)[:3] == ["S000", "S001", "S002"]  # the roles lead the key actors
    network = {t.name: t for t in figures["network"].data if t.name}
    assert {"East state", "West state", "Union member (ring)"} <= set(network)
    assert (network["East state"].x[0], network["East state"].y[0]) == (0.0, 0.0)  # the adversary in the middle


def test_a_comparison_names_the_adversary_the_runs_share(other_run):
    from sim.report.run import build_comparison, comparison_figures, read_run
    runs = [(other_run, *read_run(other_run)), (other_run, *read_run(other_run))]
    assert leaks(reader_text(build_comparison(runs))) == []
    figures = {e.name: e.figure for e in comparison_figures(runs)}
    assert figures["adversary-level"].layout.title.text.startswith("Escalation level of State 0 by week")
    assert figures["adversary-level"].data  # the adversary's own rows were found


def test_a_sweep_report_names_the_scenario_it_loads(tmp_path, other_world):
    from experiments.points import scenario_raw
    from sim.report.sweep import build_sweep_report
    path = tmp_path / "other_world.yaml"
    path.write_text(json.dumps(scenario_raw(other_world)))
    rows = [{"job": 0, "point": i, "scenario": other_world.name, "states.S003.x0": x, "status": "ok", "error": "",
             "replicates": 100, "p_clash": 0.1 + 0.2 * x, "p_clash_lo": 0.05 + 0.2 * x, "p_clash_hi": 0.15 + 0.2 * x}
            for i, x in enumerate((0.5, 1.0, 1.5))]
    page = build_sweep_report(pd.DataFrame(rows), {"points": 3, "points_ok": 3}, "other",
                              plan={"jobs": [{"job": 0, "scenario": str(path)}]})
    text = reader_text(page)
    assert leaks(text) == []
    assert "P(direct clash between State 0 and the coalition within 6 weeks)" in text


def test_the_answer_of_a_stored_scenario_names_its_adversary(other_world):
    manifest = {"horizon": 6, "headline": {"p_clash": 0.2, "p_clash_lo": 0.1, "p_clash_hi": 0.3}}
    assert run_answer(manifest, (), cast_of(scenario_dict(other_world))).startswith(
        "P(direct clash between State 0 and the coalition within 6 weeks) is 20.0%")
