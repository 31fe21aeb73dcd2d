"""The answer sentences: generated from the numbers, with intervals, the largest effect first."""
import re

import numpy as np
import pandas as pd

from sim.report.answer import effect_table, headline_line, percent, run_answer, sweep_answer
from sim.report.views.cast import Cast
from sim.results.stats import wilson_interval

A, B = "domestic.guarantee_base", "leaders.putin.resolve"


def grid(p_of, replicates=1000):
    rows = []
    for i, (a, b) in enumerate((a, b) for a in (0.0, 0.25, 0.5, 0.75, 1.0) for b in (0.5, 1.0, 1.5)):
        p = p_of(a, b)
        lo, hi = wilson_interval(round(p * replicates), replicates)
        rows.append({"job": i, "point": 0, "scenario": "baseline", A: a, B: b, "status": "ok", "error": "",
                     "replicates": replicates, "p_clash": p, "p_clash_lo": float(lo), "p_clash_hi": float(hi)})
    return pd.DataFrame(rows)


CAST = Cast(adversary="RUS", names={"RUS": "Russia"})
MANIFEST = {"scenario": "baseline", "label": "baseline+putin.resolve=1.2", "replicates": 2000, "horizon": 52,
            "headline": {"p_clash": 0.183, "p_clash_lo": 0.166, "p_clash_hi": 0.2, "p_clash_incident": 0.15,
                         "p_clash_deliberate": 0.033, "median_max_rung": 4.0, "median_deployed_peak": 12.0}}


def test_the_run_sentence_gives_the_clash_probability_its_interval_and_its_causes():
    text = run_answer(MANIFEST, ["r0", "r1", "r2", "r3", "forward deployment"], CAST)
    assert text.startswith("P(direct clash between Russia and the coalition within 52 weeks) is 18.3% "
                           "(95% CI 16.6%–20.0%)")
    assert "15.0% of replicates by incident and 3.3% by deliberate attack" in text
    assert "rung reached is 4 (forward deployment)" in text and "12 coalition members" in text


def test_the_sentences_name_the_adversary_of_the_stored_scenario_or_its_role():
    other = Cast(adversary="S000", names={"S000": "State 0"})
    assert run_answer(MANIFEST, (), other).startswith("P(direct clash between State 0 and the coalition within 52")
    assert run_answer(MANIFEST).startswith("P(direct clash between the adversary and the coalition within 52")
    assert sweep_answer(grid(lambda a, b: 0.1 * a), [A], {}, 8, other).startswith(
        "P(direct clash between State 0 and the coalition within 8 weeks)")


def test_the_terminal_line_names_the_run_and_its_interval():
    line = headline_line(MANIFEST)
    assert line.startswith("baseline+putin.resolve=1.2: P(clash) 0.183 [0.166, 0.200]")
    assert "median highest rung 4" in line and "deployed at peak 12" in line


def test_the_sweep_sentence_names_the_largest_effect_and_bounds_the_others():
    table = grid(lambda a, b: 0.01 + 0.5 * a + 0.02 * (b == 1.5))
    labels = {A: "the guarantee ceiling", B: "Russian resolve"}
    text = sweep_answer(table, [B, A], labels, 52, CAST)
    pooled_low = table[table[A] == 0.0]
    p_low = (pooled_low.p_clash * pooled_low.replicates).sum() / pooled_low.replicates.sum()
    assert text.startswith(f"P(direct clash between Russia and the coalition within 52 weeks) rises from "
                           f"{percent(p_low)} (95% CI ")
    assert "as the guarantee ceiling goes from 0 to 1" in text
    assert re.search(r"Russian resolve moves it by at most 2 points\.$", text), text


def test_a_falling_effect_says_falls():
    text = sweep_answer(grid(lambda a, b: 0.6 - 0.5 * a), [A, B], {}, 26)
    assert f" falls from 60% " in text and f"as {A} goes from 0 to 1" in text and "within 26 weeks" in text


def test_effect_sizes_are_the_range_of_the_pooled_marginal():
    table = grid(lambda a, b: 0.1 + 0.2 * b)
    effects = effect_table(table, [A, B])
    assert list(effects["param"]) == [B, A]
    assert np.isclose(effects.loc[0, "effect"], 0.2) and np.isclose(effects.loc[1, "effect"], 0.0)


def test_a_sweep_over_scenarios_only_compares_them():
    table = pd.concat([grid(lambda a, b: 0.1).assign(scenario="baseline"),
                       grid(lambda a, b: 0.3).assign(scenario="russia_resolute")])
    text = sweep_answer(table, [], {}, 52)
    assert "ranges from 10%" in text and "in baseline to 30%" in text and "russia_resolute" in text
