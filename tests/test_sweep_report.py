"""Sweep figures that cannot mislead, and a report that opens with its answer."""
import re

import plotly.graph_objects as go

from sim.report.sweep import build_sweep_report, param_labels, scenario_baselines, sweep_figures
from sim.report.views import sweep as sv
from sim.report.views.page import FigureEntry, page

from tests.test_answer import A, B, grid

PLAN = {"labels": {A: {"label": "US guarantee ceiling", "unit": "G_base"}, B: {"label": "Russian resolve"}},
        "replicates": 1000, "seed": 1, "seed_policy": "per_point", "jobs": [{"scenario": "baseline"}]}
MANIFEST = {"jobs_ok": 15, "points_ok": 15, "points": 15, "swept": [A, B]}


def test_heatmap_ticks_are_the_swept_values():
    fig = sv.sweep_heatmap(grid(lambda a, b: 0.1 + 0.3 * a), A, B, "baseline")
    assert list(fig.layout.xaxis.tickvals) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert list(fig.layout.xaxis.ticktext) == ["0", "0.25", "0.5", "0.75", "1"]
    assert list(fig.layout.yaxis.tickvals) == [0.5, 1.0, 1.5]


def test_a_flat_marginal_is_drawn_on_an_axis_from_zero():
    fig = sv.sweep_line(grid(lambda a, b: 0.17 + 0.04 * (b == 1.5)), B)
    assert fig.layout.yaxis.range[0] == 0


def test_every_marginal_shares_one_probability_axis():
    table = grid(lambda a, b: 0.05 + 0.5 * a)
    entries = [e for e in sweep_figures(table, labels={A: "guarantee", B: "resolve"}) if e.name.startswith("line")]
    assert len(entries) == 2 and entries[0].figure.layout.yaxis.range == entries[1].figure.layout.yaxis.range
    assert entries[0].figure.layout.yaxis.range[0] == 0


def test_labels_and_units_replace_paths_and_fall_back_to_them():
    labels = param_labels(PLAN, [A, B, "ladder.5.risk"])
    assert labels == {A: "US guarantee ceiling (G_base)", B: "Russian resolve", "ladder.5.risk": "ladder.5.risk"}
    fig = sv.sweep_heatmap(grid(lambda a, b: 0.2), A, B, "baseline", labels)
    assert fig.layout.xaxis.title.text == "US guarantee ceiling (G_base)"
    assert fig.layout.yaxis.title.text == "Russian resolve"


def test_the_baseline_is_marked_on_every_sweep_figure():
    baselines = scenario_baselines(PLAN, grid(lambda a, b: 0.2), [A, B])
    values = baselines["baseline"]["values"]
    assert set(values) == {A, B} and baselines["baseline"]["horizon"] > 0
    entries = sweep_figures(grid(lambda a, b: 0.1 + 0.2 * a), labels={A: A, B: B}, baselines=baselines)
    for entry in entries:
        if entry.name.startswith("line"):
            assert any(s.type == "line" and s.line.dash == "dash" for s in entry.figure.layout.shapes), entry.name
        if entry.name.startswith("heatmap"):
            ring = [t for t in entry.figure.data if t.name == "baseline"]
            assert ring and (ring[0].x[0], ring[0].y[0]) == (values[A], values[B])


def test_effect_sizes_stand_beside_the_marginals():
    entries = sweep_figures(grid(lambda a, b: 0.1 + 0.2 * a), labels={A: "guarantee", B: "resolve"})
    names = [e.name for e in entries]
    assert "effects" in names and names.index("effects") < min(i for i, n in enumerate(names) if n.startswith("line"))
    bars = entries[names.index("effects")].figure.data[0]
    assert list(bars.y) == ["resolve", "guarantee"]  # largest on top (plotly draws the last bar on top)
    assert abs(bars.x[-1] - 0.2) < 1e-9 and bars.base[-1] > 0


def test_the_report_opens_with_the_answer_and_its_table():
    text = build_sweep_report(grid(lambda a, b: 0.01 + 0.5 * a), MANIFEST, "gvr", plan=PLAN)
    answer = re.search(r'<p class="answer">(.*?)</p>', text)
    assert answer and text.index('class="answer"') < text.index("<nav>")
    assert "as US guarantee ceiling (G_base) goes from 0 to 1" in answer.group(1)
    effects = re.search(r'<table class="effects">(.*?)</table>', text).group(1)
    for number in re.findall(r"\d+(?:\.\d+)?%", answer.group(1)):
        assert number in effects


def test_contents_never_list_two_figures_alike():
    figures = [FigureEntry(f"f{i}", sv.sweep_heatmap(grid(lambda a, b: 0.2), A, B, s), "c")
               for i, s in enumerate(("baseline", "baseline", "other"))]
    contents = re.findall(r'<li><a href="#f\d">(.*?)</a></li>', page("t", "", figures, ""))
    assert len(contents) == 3 and len(set(contents)) == 3
    noted = FigureEntry("n", go.Figure(layout=dict(title="Outcomes by the horizon (bars: probability; whiskers: CI)")), "")
    assert re.findall(r'<li><a href="#n">(.*?)</a></li>', page("t", "", [noted], "")) == ["Outcomes by the horizon"]


def test_parallel_coordinates_use_short_distinct_axis_titles():
    table = grid(lambda a, b: 0.2)
    fig = sv.parallel_coordinates(table, [A, B])
    titles = [d.label for d in fig.data[0].dimensions]
    assert titles[:2] == ["domestic.guarantee_base", "putin.resolve"] and len(set(titles)) == len(titles)
