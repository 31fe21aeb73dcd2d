"""Figures of result tables: what they plot, and a message instead of an exception when there is nothing."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from sim.report import views
from sim.report.views.common import BAND_QUANTILES, KEY_PALETTE, ROLE_COLOURS, quantile_columns, rung_colours
from sim.report.views.export import ExportError, chromium_path, export_figures, static_copy
from sim.results.stats import wilson_interval

RUNGS = [{"name": n, "threshold": t} for n, t in (("calm", 0.0), ("warnings", 1.0), ("posturing", 2.0), ("strikes", 3.0))]
NAMES = [r["name"] for r in RUNGS]
WEEKS = np.arange(6)


def steps_table(actors=("RUS", "USA", "FRA")) -> pd.DataFrame:
    rows = []
    for w in WEEKS:
        for i, a in enumerate(actors):
            m = 0.5 + 0.3 * w + i
            occ = np.zeros(len(RUNGS))
            occ[min(int(m), len(RUNGS) - 1)] = 1.0
            rows.append({"week": w, "actor": a, "q05": m - 0.4, "q25": m - 0.2, "q50": m, "q75": m + 0.2,
                         "q95": m + 0.4, **{f"p_rung_{r}": occ[r] for r in range(len(RUNGS))}})
    return pd.DataFrame(rows)


def weekly_table(n: int = 100) -> pd.DataFrame:
    clash = np.minimum(WEEKS * 0.05, 1.0)
    lo, hi = wilson_interval(clash * n, n)
    table = {"week": WEEKS, "p_clash": clash, "p_clash_lo": lo, "p_clash_hi": hi,
             **{f"p_crossed_{r}": np.minimum(1.0, WEEKS * 0.2 / (r + 1) + (r == 0)) for r in range(len(RUNGS))}}
    for name in ("deployed", "guarantee", "capital"):
        for j, q in enumerate(("q05", "q25", "q50", "q75", "q95")):
            table[f"{name}_{q}"] = 0.1 + 0.1 * j + 0.0 * WEEKS
    return pd.DataFrame(table)


def deployed_table() -> pd.DataFrame:
    rows = [{"week": w, "n_deployed": n, "share": 1.0 if n == min(w, 3) else 0.0} for w in WEEKS for n in range(5)]
    return pd.DataFrame(rows)


def members_table() -> pd.DataFrame:
    return pd.DataFrame([{"week": w, "actor": a, "commitment_mean": c + 0.01 * w, "deployed_share": c}
                         for w in WEEKS for a, c in (("FRA", 0.7), ("DEU", 0.1), ("POL", 0.4))])


def events_table() -> pd.DataFrame:
    return pd.DataFrame({"week": [1, 2, 3, 4], "actor": ["RUS", "FRA", "USA", "RUS"],
                         "kind": ["action", "deploy", "action", "clash"],
                         "detail": ["Russian President: warn", "France deploys", "US President: hold", "clash"],
                         "goldstein": [-2.0, np.nan, 0.0, np.nan], "level": [1.0, 2.0, 1.5, 3.2]})


SCENARIO = {
    "states": [{"id": "RUS", "name": "Russia", "bloc": "SCO", "capability": 0.6, "groups": ["SCO"]},
               {"id": "USA", "name": "United States", "bloc": "NATO", "capability": 1.0, "groups": ["NATO"]},
               {"id": "FRA", "name": "France", "bloc": "NATO", "capability": 0.25, "groups": ["NATO", "EU"]}],
    "reactions": [{"actor": "RUS", "responds_to": "USA", "k": 0.1}, {"actor": "FRA", "responds_to": "RUS", "k": 0.3}],
    "roles": {"adversary": "RUS", "guarantor": "USA", "coalition_lead": "FRA"}, "ladder": RUNGS,
}
CAST = views.cast_of(SCENARIO)

FIGURES = {
    "fan": lambda t: views.fan_chart(t["steps"], RUNGS),
    "occupancy": lambda t: views.occupancy_heatmap(t["steps"], NAMES),
    "crossing": lambda t: views.crossing_chart(t["weekly"], NAMES, 100),
    "survival": lambda t: views.survival_chart(t["weekly"]),
    "deployment": lambda t: views.deployment_chart(t["deployed"], t["weekly"]),
    "commitment": lambda t: views.commitment_chart(t["members"], {"FRA": 0.65}),
    "guarantee": lambda t: views.guarantee_chart(t["weekly"]),
    "network": lambda t: views.network_chart(SCENARIO, t["steps"]),
    "timeline": lambda t: views.timeline_chart(t["events"]),
    "outcomes": lambda t: views.outcome_comparison({"a": t["weekly"], "b": t["weekly"]}, {"a": 100, "b": 100}, NAMES),
    "clash": lambda t: views.clash_comparison({"a": t["weekly"]}),
    "levels": lambda t: views.level_comparison({"a": t["steps"]}, "RUS"),
    "final": lambda t: views.final_state_comparison({"a": t["weekly"]}),
}


def tables() -> dict:
    return {"steps": steps_table(), "weekly": weekly_table(), "deployed": deployed_table(),
            "members": members_table(), "events": events_table()}


def is_message(fig: go.Figure) -> bool:
    return not fig.data and bool(fig.layout.annotations) and fig.layout.annotations[0].text.startswith("No ")


@pytest.mark.parametrize("name", FIGURES)
def test_figures_plot_their_tables(name):
    fig = FIGURES[name](tables())
    assert isinstance(fig, go.Figure) and fig.data and not is_message(fig)
    assert fig.layout.title.text


@pytest.mark.parametrize("name", FIGURES)
@pytest.mark.parametrize("empty", [pd.DataFrame(), None], ids=["empty", "none"])
def test_empty_tables_give_a_message_figure(name, empty):
    fig = FIGURES[name]({k: empty for k in tables()})
    assert is_message(fig), name


@pytest.mark.parametrize("name", [n for n in FIGURES if n not in ("network",)])
def test_tables_missing_columns_give_a_message_figure(name):
    stripped = {k: t[["week"]] if "week" in t else t for k, t in tables().items()}
    assert is_message(FIGURES[name](stripped)), name


def test_fan_chart_draws_median_and_names_rungs():
    fig = views.fan_chart(steps_table(), RUNGS, cast=CAST)
    medians = {t.name: t for t in fig.data if t.name}
    assert set(medians) == {"RUS", "USA", "FRA"}
    assert list(medians["RUS"].y) == pytest.approx(0.5 + 0.3 * WEEKS)
    assert medians["RUS"].line.color == ROLE_COLOURS["adversary"]
    assert medians["RUS"].hovertemplate.startswith("<b>Russia (RUS)</b>")
    assert [t.split(" ", 1)[1] for t in fig.layout.yaxis2.ticktext] == NAMES


def test_occupancy_buttons_show_one_actor_at_a_time():
    fig = views.occupancy_heatmap(steps_table(), NAMES, ["USA", "RUS"])
    assert [t.name for t in fig.data] == ["USA", "RUS"] and [t.visible for t in fig.data] == [True, False]
    assert fig.layout.updatemenus[0].buttons[1].args[0]["visible"] == [False, True]
    assert fig.data[0].z.shape == (len(RUNGS), len(WEEKS))


def test_crossing_bands_hold_the_curve_and_need_the_replicate_count():
    weekly = weekly_table()
    with_bands = views.crossing_chart(weekly, NAMES, 100)
    without = views.crossing_chart(weekly, NAMES)
    assert len(with_bands.data) > len(without.data)
    curve = next(t for t in with_bands.data if t.name == "2 posturing")
    band = with_bands.data[list(with_bands.data).index(curve) - 1]
    upper, lower = np.array(band.y[:len(WEEKS)]), np.array(band.y[len(WEEKS):])[::-1]
    assert np.all(lower <= np.array(curve.y) + 1e-9) and np.all(np.array(curve.y) <= upper + 1e-9)


def test_survival_is_one_minus_clash_probability():
    weekly = weekly_table()
    fig = views.survival_chart(weekly)
    line = next(t for t in fig.data if t.name == "no clash yet")
    assert list(line.y) == pytest.approx(1 - weekly["p_clash"])


def test_commitment_rows_sorted_most_committed_on_top():
    fig = views.commitment_chart(members_table(), {"FRA": 0.65})
    assert list(fig.data[0].y) == ["DEU", "POL", "FRA (θ↑ 0.65)"]  # plotly draws the first row at the bottom


def test_network_edges_follow_reaction_times_source_level():
    steps = steps_table()
    fig = views.network_chart(SCENARIO, steps, week=2)
    assert len(fig.frames) == len(WEEKS) and len(fig.layout.sliders[0].steps) == len(WEEKS)
    assert fig.layout.sliders[0].active == 2
    level = steps.set_index(["week", "actor"])["q50"]
    pressure = {w: [0.1 * level[w, "USA"], 0.3 * level[w, "RUS"]] for w in WEEKS}
    scale = max(max(p) for p in pressure.values())
    for frame in fig.frames:
        w = int(frame.name)
        assert [t.line.width for t in frame.data[:2]] == pytest.approx([0.4 + 9 * p / scale for p in pressure[w]], abs=0.01)
    nodes = {t.name: t for t in fig.data if t.name and t.name.endswith(" state")}
    assert set(nodes) == {"SCO state", "NATO state"}
    assert nodes["SCO state"].marker.color == ROLE_COLOURS["adversary"]
    assert nodes["NATO state"].marker.color == ROLE_COLOURS["guarantor"]
    assert (nodes["SCO state"].x[0], nodes["SCO state"].y[0]) == (0.0, 0.0)  # the adversary sits in the middle


def test_network_without_scenario_structure_says_so():
    assert is_message(views.network_chart({}, steps_table()))


def test_single_replicate_tables_plot():
    one = tables()
    one["weekly"] = weekly_table(n=1)
    for name, make in FIGURES.items():
        assert not is_message(make(one)), name


def test_outcome_comparison_whiskers_are_wilson_intervals():
    weekly = weekly_table()
    fig = views.outcome_comparison({"a": weekly}, {"a": 100}, NAMES)
    bar = fig.data[0]
    p = float(weekly["p_crossed_3"].iloc[-1])
    lo, hi = wilson_interval(p * 100, 100)
    i = [x.startswith("reached rung 3") for x in bar.x].index(True)
    assert bar.error_y.array[i] == pytest.approx(hi - p) and bar.error_y.arrayminus[i] == pytest.approx(p - lo)


def test_colours_are_consistent_across_figures():
    cast = views.Cast(adversary="X", guarantor="G", coalition_lead="L", leaders=("K1", "G", "K2"))
    assert views.actor_colours(["G", "L"], cast)["L"] == views.actor_colours(["L"], cast)["L"] \
        == ROLE_COLOURS["coalition_lead"]
    assert views.actor_colours([], cast)["K2"] == KEY_PALETTE[1]  # key actors in the order of leaders
    a = views.actor_colours(["X", "NLD", "BEL"], cast)
    reserved = {*ROLE_COLOURS.values(), *KEY_PALETTE}
    assert a["X"] == ROLE_COLOURS["adversary"] and a["NLD"] not in reserved and a["NLD"] != a["BEL"]
    roles = views.Cast(adversary="X", guarantor="G", blocs={"X": "B3", "G": "B1"})
    blocs = views.bloc_colours(["B1", "B2", "B3"], roles)
    assert blocs["B3"] == ROLE_COLOURS["adversary"] and blocs["B1"] == ROLE_COLOURS["guarantor"]
    assert blocs["B2"] not in ROLE_COLOURS.values()
    assert rung_colours(9) == rung_colours(9) and len(set(rung_colours(9))) == 9
    assert views.scenario_colours(["a", "b"])["a"] == views.scenario_colours(["a"])["a"]


def test_views_read_the_quantile_columns_the_result_tables_write():
    from sim.results import columns
    assert set(BAND_QUANTILES) <= set(columns.QUANTILES)
    assert quantile_columns() == ("q05", "q25", "q50", "q75", "q95")
    assert quantile_columns("guarantee")[2] == columns.quantile(0.5, "guarantee") == "guarantee_q50"


def test_static_copy_drops_controls_and_names_the_week():
    fig = views.network_chart(SCENARIO, steps_table(), week=3)
    still = static_copy(fig)
    assert not still.frames and not still.layout.sliders and not still.layout.updatemenus
    assert still.layout.title.text.endswith("week 3")
    assert fig.layout.sliders  # the original keeps its slider


def test_export_rejects_unknown_format_and_missing_browser(tmp_path, monkeypatch):
    with pytest.raises(ExportError, match="format"):
        export_figures([("x", go.Figure())], tmp_path, "jpg")
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    with pytest.raises(ExportError, match="Chromium"):
        chromium_path()
