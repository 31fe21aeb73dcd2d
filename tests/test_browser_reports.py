"""One report of each kind (run, sweep, comparison) in headless Chromium at 1400 px.

Checks what a reader sees first: nothing wider than the window, the answer sentence
present with the numbers of the page's own table or cards, and heatmap ticks at the
swept values. Screenshots land in ``tests/artifacts/`` (see tests/test_browser.py for
how Debian's Chromium is driven offline).
"""
from __future__ import annotations

import math
import re

import pytest

import sim
from sim.scenario.identity import override_items, run_label

from tests.test_answer import A, B, grid
from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM, LOCAL_SCHEMES, WIDTH
from tests.test_sweep_report import MANIFEST, PLAN

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is absent (make browser installs it)")
PERCENT = r"\d+(?:\.\d+)?%"


@pytest.fixture(scope="module")
def reports(tmp_path_factory, baseline):
    from sim.pipeline import run_to_directory
    from sim.report.run import write_comparison
    from sim.report.sweep import build_sweep_report
    out = tmp_path_factory.mktemp("kinds")
    changes = {"leaders.putin.resolve": 1.2}
    other = sim.load_scenario("baseline", changes)
    run = run_to_directory(other, 300, 5, out / "run", label=run_label(other.name, changes),
                           overrides=override_items(changes))
    plain = run_to_directory(baseline, 200, 6, out / "plain", report=False)
    sweep = out / "sweep_report.html"
    sweep.write_text(build_sweep_report(grid(lambda a, b: 0.01 + 0.5 * a + 0.02 * b), MANIFEST, "gvr", plan=PLAN))
    return {"run": run / "report.html", "sweep": sweep,
            "comparison": write_comparison([run, plain], out / "comparison.html")}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, path):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, device_scale_factor=1,
                                  service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL_SCHEMES)
                  else route.abort())
    tab = context.new_page()
    tab.goto(path.as_uri(), wait_until="load")
    tab.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout"
                          " && gd.querySelector('.main-svg'))")
    return context, tab


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth, out = [];
    if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth);
    for (const e of document.querySelectorAll('body *')) {
        if (e.closest('.tablewrap, pre, details:not([open])')) continue;   // scroll inside their own box
        const r = e.getBoundingClientRect();
        if (r.width && r.right > width + 1) out.push(`${e.tagName}.${e.className.baseVal ?? e.className} ${r.right}`);
    }
    return out.slice(0, 5); }"""


@pytest.mark.parametrize("kind, numbers_in", [("run", ".cards"), ("sweep", "table.effects"),
                                               ("comparison", "table.headline")])
def test_answer_first_and_nothing_wider_than_the_window(browser, reports, kind, numbers_in):
    context, tab = open_page(browser, reports[kind])
    try:
        assert tab.evaluate(OVERFLOW) == []
        answer = tab.locator("p.answer").first
        assert answer.is_visible() and answer.bounding_box()["y"] < 900  # on the first screen
        text = answer.text_content()
        assert text.startswith("P(direct clash between Russia and the coalition within ")
        numbers = re.findall(PERCENT, text)
        shown = " ".join(tab.locator(numbers_in).all_text_contents())
        assert numbers and all(n in shown for n in numbers), (numbers, shown[:300])
        if kind != "sweep":
            assert "baseline+putin.resolve=1.2" in tab.locator("h1").text_content()
        ARTIFACTS.mkdir(exist_ok=True)
        tab.evaluate("() => window.scrollTo(0, 0)")
        tab.screenshot(path=str(ARTIFACTS / f"{kind}-1400.png"), full_page=True)
    finally:
        context.close()


def test_heatmap_ticks_are_the_swept_values(browser, reports):
    context, tab = open_page(browser, reports["sweep"])
    try:
        heatmap = tab.locator("[id^=figure-heatmap]").first
        heatmap.scroll_into_view_if_needed()
        xs = [t.strip() for t in heatmap.locator(".xtick text").all_text_contents()]
        ys = [t.strip() for t in heatmap.locator(".ytick text").all_text_contents()]
        assert xs == ["0", "0.25", "0.5", "0.75", "1"] and ys == ["0.5", "1", "1.5"]
        assert tab.locator("[id^=figure-heatmap] .scatterlayer .point").count() == 1  # the baseline ring
    finally:
        context.close()


def test_a_comparison_of_mismatched_runs_shows_its_banner(browser, reports):
    context, tab = open_page(browser, reports["comparison"])
    try:
        banner = tab.locator(".banner")
        assert banner.is_visible() and "replicates (300; 200)" in banner.text_content()
    finally:
        context.close()


def test_parallel_coordinate_titles_do_not_collide(browser, tmp_path):
    """Ten parameters with long labels side by side (the lhs_global report) stay readable at 1400 px."""
    import numpy as np
    import pandas as pd
    from sim.report.sweep import build_sweep_report
    rng = np.random.default_rng(1)
    paths = [f"states.S{i}.coalition.deploy_threshold" for i in range(10)]
    frame = pd.DataFrame({p: rng.uniform(0, 1, 200) for p in paths}).assign(
        job=0, point=range(200), scenario="toy", status="ok", error="", replicates=100, p_clash=0.3,
        p_clash_lo=0.2, p_clash_hi=0.4)
    plan = {"labels": {p: {"label": f"deploy threshold of state number {i}", "unit": "commitment"}
                       for i, p in enumerate(paths)}}
    path = tmp_path / "lhs.html"
    path.write_text(build_sweep_report(frame, {"swept": paths}, "lhs", plan=plan))
    context, tab = open_page(browser, path)
    try:
        boxes = tab.evaluate("""() => [...document.querySelectorAll('#figure-parallel .axis-title')]
            .map(e => e.getBoundingClientRect()).map(r => [r.left, r.right, r.top, r.bottom])""")
        angle = tab.evaluate("() => document.getElementById('figure-parallel')._fullData[0].labelangle")
        assert len(boxes) == 11
        for a, b in zip(boxes, boxes[1:]):
            if angle:  # parallel slanted lines of text: apart by the offset times sin(angle), over a line's height
                assert (b[0] - a[0]) * math.sin(math.radians(abs(angle))) > 14, (a, b, angle)
            else:
                assert a[1] <= b[0] + 1, (a, b)
    finally:
        context.close()
