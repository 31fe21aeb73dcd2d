"""The report: self-contained, rebuilt from stored tables, compared across runs, exported; and its CLI."""
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.report import main as report_main
from sim.report.run import build_comparison, build_report, read_run, run_figures, write_report
from sim.results.storage import load_run

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def stored(tmp_path_factory, baseline):
    from sim.pipeline import run_to_directory
    out = tmp_path_factory.mktemp("report")
    return run_to_directory(baseline, 200, 2, out)


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    import sim
    from sim.pipeline import run_to_directory
    scenario = sim.load_scenario("no_us_guarantee")
    return run_to_directory(scenario, 200, 2, tmp_path_factory.mktemp("other"), report=False)


def test_report_is_self_contained(stored):
    text = (stored / "report.html").read_text()
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", text)  # plotly.js is inlined, nothing is fetched
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*[\"']https?:", text)
    assert text.count('class="figure"') == len(run_figures(*read_run(stored))) == 9
    for needle in ("Scenario: baseline", "P(direct clash between Russia and the coalition within 52 weeks)", "replicates",
                   "report built", "Resolved scenario", "&quot;ladder&quot;"):
        assert needle in text


def test_every_figure_has_a_caption_and_data(stored):
    for entry in run_figures(*read_run(stored)):
        assert entry.caption.endswith(".") and entry.figure.data, entry.name


def test_report_rebuilds_from_stored_tables(stored):
    (stored / "report.html").unlink()
    path = write_report(stored)
    assert path.is_file() and path.stat().st_size > 1_000_000


def test_report_size_does_not_grow_with_replicates(stored):
    """Pages plot statistics, never replicates: a 100,000-row summary changes nothing."""
    run, config = read_run(stored)
    small = build_report(run, config)
    big = dict(run, summary=pd.concat([run["summary"]] * 500, ignore_index=True))
    assert len(big["summary"]) == 100_000
    assert abs(len(build_report(big, config)) - len(small)) < 100
    assert len(small) < 10_000_000


def test_single_replicate_run_reports(tmp_path, baseline):
    from sim.pipeline import run_to_directory
    out = run_to_directory(baseline, 1, 2, tmp_path / "one")
    assert "escalation report" in build_report(*read_run(out))


def test_comparison_report(stored, other):
    text = build_comparison([(stored, *read_run(stored)), (other, *read_run(other))])
    assert "Scenario comparison: baseline, no_us_guarantee" in text
    assert text.count('class="figure"') == 4


def test_cli_rebuilds_and_compares(stored, other, tmp_path, capsys):
    assert report_main([str(stored), "--out", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").stat().st_size > 1_000_000
    assert report_main([str(stored), str(other), "--out", str(tmp_path / "c.html")]) == 0
    assert "comparison report:" in capsys.readouterr().out
    assert 'class="figure"' in (tmp_path / "c.html").read_text()


@pytest.mark.parametrize("damage, message", [
    (lambda d: shutil.rmtree(d), "no such directory"),
    (lambda d: (d / "manifest.json").unlink(), "not a run directory (no manifest.json)"),
    (lambda d: (d / "steps.parquet").unlink(), "incomplete run directory (missing steps.parquet)"),
])
def test_cli_rejects_a_missing_or_incomplete_run_dir(stored, tmp_path, capsys, damage, message):
    broken = tmp_path / "run"
    shutil.copytree(stored, broken)
    damage(broken)
    assert report_main([str(broken)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("escalate-report: error: ") and message in err and "\n" not in err


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is absent (make browser installs it)")
def test_cli_exports_every_figure(stored, tmp_path, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert report_main([str(stored), "--format", "svg", "--out", str(tmp_path / "svg")]) == 0
    files = sorted((tmp_path / "svg").iterdir())
    assert [f.name.split("-", 1)[1] for f in files] == [f"{e.name}.svg" for e in run_figures(*read_run(stored))]
    assert all(f.read_text().startswith("<svg") and "main-svg" in f.read_text() for f in files)
    assert report_main([str(stored), "--format", "pdf", "--out", str(tmp_path / "pdf")]) == 0
    assert all(f.read_bytes().startswith(b"%PDF") for f in (tmp_path / "pdf").iterdir())


def test_load_run_has_every_table(stored):
    run = load_run(stored)
    assert {"steps", "weekly", "deployed", "members", "events", "summary"} <= set(run)
    assert np.isfinite(run["weekly"]["p_clash"]).all()


def test_report_shows_the_share_of_assumed_numbers_beside_the_headline(stored):
    from sim.scenario.sources import assumption_summary, number_sources
    manifest = read_run(stored)[0]["manifest"]
    assert manifest["sources"] == assumption_summary(number_sources("baseline"))
    text = (stored / "report.html").read_text()
    headline, note = text.index("<h2>Headline</h2>"), text.index('class="sources"')
    assert headline < note < text.index('class="figure"')
    assert f"{manifest['sources']['assumed_share']:.0%} of the scenario file's {manifest['sources']['numbers']}" in text


def test_sources_note_is_left_out_without_sources():
    from sim.report.run import sources_note
    assert sources_note({}) == "" and sources_note({"sources": {"numbers": 0}}) == ""
    note = sources_note({"scenario_file": "s.yaml", "sources": {"numbers": 4, "assumed_share": 0.25, "cited": 2,
                                                                 "calibrated": 1}})
    assert "25% of the scenario file's 4 numbers are assumptions (2 cited, 1 calibrated)" in note
