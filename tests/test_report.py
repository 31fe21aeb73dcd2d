"""The report and its figures: self-contained, rebuilt from stored tables, robust to empty input."""
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

import sim
from sim import views
from sim.report import build_report, write_report
from sim.results import load_run


@pytest.fixture(scope="module")
def stored(tmp_path_factory, baseline):
    from sim.pipeline import run_to_directory
    out = tmp_path_factory.mktemp("report")
    return run_to_directory(baseline, 200, 2, out)


def test_report_is_self_contained(stored):
    text = (stored / "report.html").read_text()
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", text)  # plotly.js is inlined, nothing is fetched
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*[\"']https?:", text)
    assert text.count('class="figure"') == 5
    assert "P(direct NATO-Russia clash within 52 weeks)" in text


def test_report_rebuilds_from_stored_tables(stored):
    (stored / "report.html").unlink()
    path = write_report(stored)
    assert path.is_file() and path.stat().st_size > 1_000_000


@pytest.mark.parametrize("make", [
    lambda: views.fan_chart(pd.DataFrame(), []),
    lambda: views.crossing_chart(pd.DataFrame(), []),
    lambda: views.deployment_chart(pd.DataFrame()),
    lambda: views.guarantee_chart(pd.DataFrame()),
    lambda: views.timeline_chart(pd.DataFrame()),
])
def test_empty_tables_give_a_message_figure(make):
    fig = make()
    assert isinstance(fig, go.Figure)
    assert fig.layout.annotations and "No " in fig.layout.annotations[0].text


def test_single_replicate_run_reports(tmp_path, baseline):
    from sim.pipeline import run_to_directory
    out = run_to_directory(baseline, 1, 2, tmp_path / "one")
    assert "escalation report" in build_report(load_run(out))


def test_actor_colours_are_stable():
    a = views.actor_colours(["RUS", "USA", "XYZ"])
    b = views.actor_colours(["XYZ", "USA", "RUS", "FRA"])
    assert a["RUS"] == b["RUS"] and a["USA"] == b["USA"]
