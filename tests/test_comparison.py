"""Comparisons that refuse to mislead: distinct names, a banner for mismatched runs, tables that fit."""
import re

import pytest

import sim
from sim.scenario.identity import override_items, run_label
from sim.report.run import build_comparison, mismatches, read_runs


@pytest.fixture(scope="module")
def runs(tmp_path_factory, baseline):
    from sim.pipeline import run_to_directory
    changes = {"leaders.putin.resolve": 1.2}
    other = sim.load_scenario("baseline", changes)
    a = run_to_directory(baseline, 60, 2, tmp_path_factory.mktemp("a"), report=False)
    b = run_to_directory(other, 80, 3, tmp_path_factory.mktemp("b"), report=False,
                         label=run_label(other.name, changes), overrides=override_items(changes))
    c = run_to_directory(baseline, 60, 2, tmp_path_factory.mktemp("c"), report=False)
    return a, b, c


def test_columns_carry_each_runs_name(runs):
    a, b, _ = runs
    text = build_comparison(read_runs([a, b]))
    assert "<h1>Scenario comparison: baseline, baseline+putin.resolve=1.2</h1>" in text
    assert "<td>baseline+putin.resolve=1.2</td>" in text


def test_a_banner_names_what_differs_besides_the_scenario(runs):
    a, b, _ = runs
    differ = mismatches(read_runs([a, b]))
    assert [d.split(" (")[0] for d in differ] == ["seed", "replicates", "overrides"]
    text = build_comparison(read_runs([a, b]))
    banner = re.search(r'<div class="banner">(.*?)</div>', text).group(1)
    assert "seed (2; 3)" in banner and "replicates (60; 80)" in banner and "leaders.putin.resolve=1.2" in banner


def test_no_banner_when_runs_differ_only_in_scenario(runs):
    a, _, c = runs
    assert mismatches(read_runs([a, c])) == []
    assert 'class="banner"' not in build_comparison(read_runs([a, c]))


def test_horizon_and_model_version_mismatches_are_named(runs):
    a, _, c = runs
    loaded = read_runs([a, c])
    loaded[1][1]["manifest"] = {**loaded[1][1]["manifest"], "horizon": 26, "versions": {"escalation-sim": "0.0.1"}}
    assert [d.split(" (")[0] for d in mismatches(loaded)] == ["horizon", "model version"]


def test_the_answer_lists_every_run_with_the_tables_numbers(runs):
    a, b, _ = runs
    text = build_comparison(read_runs([a, b]))
    answer = re.search(r'<p class="answer">(.*?)</p>', text).group(1)
    headline = text[text.index("<h2>Headline</h2>"):text.index("<h2>Runs</h2>")]
    numbers = re.findall(r"\d+\.\d%", answer)
    assert len(numbers) == 6 and all(n in headline for n in numbers)


def test_tables_wrap_inside_the_page(runs):
    a, b, _ = runs
    text = build_comparison(read_runs([a, b]))
    assert text.count('<div class="tablewrap">') == 2
    assert re.search(r"\.tablewrap\{[^}]*overflow-x:auto", text)
