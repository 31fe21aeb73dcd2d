"""A self-contained offline HTML report of one run directory's tables."""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from . import views
from .results import atomic_write_text, load_run


def _rungs(manifest: dict, config: dict | None) -> list[dict]:
    if config and config.get("ladder"):
        return [{"name": r["name"], "threshold": float(r["threshold"])} for r in config["ladder"]]
    return [{"name": n, "threshold": float(i)} for i, n in enumerate(manifest.get("rungs", []))]


def build_report(run: dict, config: dict | None = None) -> str:
    """HTML text for ``run`` (as returned by :func:`sim.results.load_run`)."""
    m = run["manifest"]
    rungs = _rungs(m, config)
    names = [r["name"] for r in rungs]
    h = m.get("headline", {})
    figures = [
        (views.fan_chart(run.get("steps"), rungs),
         "Levels of the key actors: the line is the median over replicates, bands hold 50% and 90% of them."),
        (views.crossing_chart(run.get("weekly"), names),
         "Share of replicates in which some tracked actor has reached each rung by a given week; "
         "dashed: a direct NATO-Russia clash, with its 95% Wilson interval."),
        (views.deployment_chart(run.get("deployed")),
         "How many coalition members have force-blocking units deployed, as a distribution over replicates."),
        (views.guarantee_chart(run.get("weekly")),
         "US guarantee credibility G and the president's political capital P (median and 90% band)."),
        (views.timeline_chart(run.get("events")),
         "One replicate told as a story: leaders' actions (holds omitted), deployments, scheduled events, clash."),
    ]
    parts = []
    for i, (fig, caption) in enumerate(figures):
        fig.update_layout(template="plotly_white", margin=dict(l=60, r=30, t=60, b=60))
        div = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=f"figure-{i}",
                          config={"displaylogo": False, "responsive": True})
        parts.append(f'<section class="figure">{div}<p class="caption">{html.escape(caption)}</p></section>')
    headline = (f"P(direct NATO-Russia clash within {m.get('steps')} weeks) = {h.get('p_clash', float('nan')):.3f} "
                f"(95% CI {h.get('p_clash_lo', float('nan')):.3f}-{h.get('p_clash_hi', float('nan')):.3f}); "
                f"median coalition members deployed at peak {h.get('median_deployed_peak', float('nan')):.0f}, "
                f"at the end {h.get('median_deployed_final', float('nan')):.0f}; "
                f"median highest rung {h.get('median_max_rung', float('nan')):.0f}"
                + (f" ({names[int(h['median_max_rung'])]})" if names and "median_max_rung" in h else "") + ".")
    version = m.get("versions", {}).get("escalation-sim", "?")
    created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    config_text = html.escape(json.dumps(config, indent=2)) if config else "(not stored)"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(str(m.get('scenario')))} - escalation report</title>
<script type="text/javascript">{get_plotlyjs()}</script>
<style>body{{font-family:system-ui,sans-serif;max-width:1300px;margin:auto;padding:1em;color:#222}}
.caption{{color:#555;margin-top:0}} .headline{{font-size:1.15em;background:#f4f6f8;padding:.8em;border-radius:6px}}
pre{{background:#f7f7f7;padding:1em;overflow:auto;max-height:30em}} dl{{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}}</style>
</head><body>
<h1>Scenario: {html.escape(str(m.get('scenario')))}</h1>
<dl><dt>seed</dt><dd>{m.get('seed')}</dd><dt>replicates</dt><dd>{m.get('replicates')}</dd>
<dt>horizon</dt><dd>{m.get('steps')} weeks</dd><dt>version</dt><dd>{html.escape(version)}</dd>
<dt>commit</dt><dd>{html.escape(str(m.get('git_commit')))}</dd><dt>report built</dt><dd>{created}</dd></dl>
<p class="headline">{html.escape(headline)}</p>
{''.join(parts)}
<h2>Resolved scenario</h2><details><summary>show</summary><pre>{config_text}</pre></details>
</body></html>"""


def write_report(run_dir, config: dict | None = None) -> Path:
    """Build ``report.html`` in ``run_dir`` from its stored tables (no simulation)."""
    run_dir = Path(run_dir)
    if config is None and (run_dir / "scenario.json").is_file():
        config = json.loads((run_dir / "scenario.json").read_text())
    path = run_dir / "report.html"
    atomic_write_text(path, build_report(load_run(run_dir), config))
    return path
