"""The baseline report in a real browser: headless Debian Chromium driven by Playwright, network blocked.

Playwright's bundled browsers are never installed: it drives the system's
``/usr/bin/chromium`` (``make browser`` installs it). Screenshots at 1400 px wide
land in ``tests/artifacts/`` for a person to look at.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTH = 1400
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run",
        "--disable-domain-reliability", "--metrics-recording-only"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium is absent (make browser installs it)")

# Marks that exist only when a trace really drew data: lines, markers, fills, heatmap images, bars, boxes.
DATA_MARKS = (".scatterlayer .js-line, .scatterlayer .point, .scatterlayer .js-fill, .heatmaplayer image, "
              ".barlayer .point, .boxlayer .box")
LABELS = ".xtick text, .ytick text, .y2tick text, .legendtext, .g-gtitle text, .g-xtitle text, .g-ytitle text, " \
         ".g-y2title text, .slider-label, .slider-current-value, .updatemenu-item-text, .annotation-text"


@pytest.fixture(scope="module")
def report(tmp_path_factory, baseline):
    from sim.pipeline import run_to_directory
    from sim.report.run import read_run, run_figures
    out = run_to_directory(baseline, 300, 5, tmp_path_factory.mktemp("browser"))
    names = [e.name for e in run_figures(*read_run(out))]
    return out / "report.html", names


@pytest.fixture(scope="module")
def page(report):
    from playwright.sync_api import sync_playwright
    path, _ = report
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": WIDTH, "height": 900}, device_scale_factor=1,
                                      service_workers="block")
        tab = context.new_page()
        tab.blocked, tab.errors = [], []
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL_SCHEMES)
                      else (tab.blocked.append(route.request.url), route.abort()))
        tab.on("request", lambda req: None if req.url.startswith(LOCAL_SCHEMES) else tab.blocked.append(req.url))
        tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
        tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
        tab.goto(path.as_uri(), wait_until="load")
        tab.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout"
                              " && gd.querySelector('.main-svg'))")
        yield tab
        context.close()
        browser.close()


def test_opens_offline_without_errors(page):
    assert page.title().endswith("escalation report")
    assert page.blocked == [], f"the report tried to reach the network: {sorted(set(page.blocked))[:5]}"
    assert page.errors == [], page.errors


def test_every_figure_renders_data(page, report):
    _, names = report
    counts = page.evaluate(f"""names => names.map(n => {{
        const gd = document.getElementById('figure-' + n);
        return gd ? gd.querySelectorAll('.plotly .main-svg').length && gd.querySelectorAll({json.dumps(DATA_MARKS)}).length
                  : -1; }})""", names)
    assert all(c > 0 for c in counts), dict(zip(names, counts))


def test_screenshots_at_1400px(page, report):
    _, names = report
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "report-1400.png"), full_page=True)
    for name in names:
        page.locator(f"#{name}").screenshot(path=str(ARTIFACTS / f"figure-{name}.png"))
    shots = [ARTIFACTS / f"figure-{n}.png" for n in names]
    assert all(p.stat().st_size > 5_000 for p in shots)


def test_hover_shows_a_tooltip(page):
    gd = "document.getElementById('figure-levels')"
    page.locator("#figure-levels").scroll_into_view_if_needed()
    x, y = page.evaluate(f"""() => {{
        const gd = {gd}, L = gd._fullLayout, d = gd._fullData, i = d.findIndex(t => t.name === 'RUS');
        const k = Math.floor(d[i].x.length / 2), box = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return [box.left + L.xaxis.l2p(d[i].x[k]), box.top + L.yaxis.l2p(d[i].y[k])]; }}""")
    page.mouse.move(x, y)
    tooltip = page.locator("#figure-levels .hoverlayer .hovertext")
    tooltip.first.wait_for(state="visible", timeout=5000)
    assert "median level" in tooltip.first.text_content()


def test_week_slider_changes_the_network(page):
    page.locator("#figure-network").scroll_into_view_if_needed()
    state = """() => { const gd = document.getElementById('figure-network');
        return {active: gd._fullLayout.sliders[0].active,
                label: [...gd.querySelectorAll('.slider-group text')].map(e => e.textContent).find(s => s.startsWith('week ')),
                widths: gd.data.map(t => t.line ? t.line.width : null)}; }"""
    before = page.evaluate(state)
    rail = page.locator("#figure-network .slider-rail-rect").bounding_box()
    page.mouse.click(rail["x"] + rail["width"] * 0.2, rail["y"] + rail["height"] / 2)
    page.wait_for_function(f"() => ({state})().active !== {before['active']}", timeout=5000)
    page.wait_for_timeout(300)
    after = page.evaluate(state)
    assert after["label"] != before["label"] and after["label"].startswith("week ")
    assert after["widths"] != before["widths"]


def test_labels_and_legends_do_not_overlap(page, report):
    """Readability at 1400 px: no two labels collide and no legend covers a plot area."""
    _, names = report
    problems = page.evaluate(f"""names => {{
        const out = [], hit = (a, b, m) => a.left + m < b.right && b.left + m < a.right && a.top + m < b.bottom && b.top + m < a.bottom;
        for (const n of names) {{
            const gd = document.getElementById('figure-' + n);
            const boxes = [...gd.querySelectorAll({json.dumps(LABELS)})].filter(e => e.textContent.trim())
                .map(e => [e.textContent.trim(), e.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++)
                if (hit(boxes[i][1], boxes[j][1], 1)) out.push(`${{n}}: '${{boxes[i][0]}}' overlaps '${{boxes[j][0]}}'`);
            const legend = gd.querySelector('.legend');
            if (legend) for (const area of gd.querySelectorAll('.nsewdrag'))
                if (hit(legend.getBoundingClientRect(), area.getBoundingClientRect(), 2)) out.push(`${{n}}: legend over plot`);
        }}
        return out; }}""", names)
    assert problems == [], "\n".join(problems)
