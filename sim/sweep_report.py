"""``sweep_report.html``: a self-contained offline page of a sweep table's figures."""
from __future__ import annotations

import html
import itertools
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .results import atomic_write_text
from .sweep import REPORT_FILE, swept_params
from .views import sweep as sv
from .views.page import FigureEntry, meta_list, page, table

MAX_PAIRS = 6       # heatmaps per scenario
MAX_SCENARIOS = 4   # scenarios that get their own heatmaps
MAX_LINES = 10
MAX_ERRORS = 50


SENSITIVITY_CAPTIONS = {
    "sobol": "Sobol indices from the Saltelli design (SALib): first order is the share of the outcome's variance a "
             "parameter explains alone, total adds its interactions; bars are 95% bootstrap intervals. Indices "
             "describe the outcome over the design's box, at its replicate noise.",
    "morris": "Morris screening (SALib): mean absolute elementary effect of moving each parameter across its range; "
              "a parameter near zero can be fixed. Bars are 95% bootstrap intervals.",
}


def sensitivity_figures(sensitivity: pd.DataFrame | None) -> list[FigureEntry]:
    """One bar chart per scenario and outcome of a Saltelli or Morris design's indices (``sensitivity.parquet``)."""
    if sensitivity is None or sensitivity.empty:
        return []
    entries = []
    groups = sensitivity[["scenario", "group"]].drop_duplicates().head(MAX_SCENARIOS).itertuples(index=False)
    for scenario, group in groups:
        for outcome in dict.fromkeys(sensitivity["outcome"]):
            method = sensitivity.loc[sensitivity["outcome"] == outcome, "method"].iloc[0]
            figure = sv.sensitivity_bars(sensitivity, outcome, scenario, group)
            entries.append(FigureEntry(f"sensitivity-{len(entries)}", figure, SENSITIVITY_CAPTIONS[method]))
    return entries


def sweep_figures(frame: pd.DataFrame, sensitivity: pd.DataFrame | None = None) -> list[FigureEntry]:
    """The figures a sweep table calls for: indices, scenarios compared, one line per parameter, heatmaps."""
    swept = swept_params(frame)
    scenarios = list(dict.fromkeys(frame.loc[frame["status"] == "ok", "scenario"]))
    entries = sensitivity_figures(sensitivity)
    if len(swept) >= 3:  # many parameters: rank them first
        entries.append(FigureEntry("tornado", sv.sensitivity_tornado(frame, swept),
                                   "How much each parameter moves the clash probability: mean over the points in its "
                                   "lowest fifth against its highest fifth, around the overall mean."))
        entries.append(FigureEntry("parallel", sv.parallel_coordinates(frame, swept),
                                   "Every finished point as a line through its parameter values; drag on an axis to "
                                   "select a range."))
    if len(scenarios) > 1 or not swept:
        entries.append(FigureEntry("scenarios", sv.scenario_bars(frame),
                                   "Clash probability of each scenario pooled over its points, with 95% Wilson intervals."))
    for x in swept[:MAX_LINES]:
        entries.append(FigureEntry(f"line-{len(entries)}", sv.sweep_line(frame, x),
                                   f"Clash probability against {x}, pooled over the other parameters; "
                                   "bands are 95% Wilson intervals."))
    for scenario in scenarios[:MAX_SCENARIOS]:
        for x, y in list(itertools.combinations(swept, 2))[:MAX_PAIRS]:
            entries.append(FigureEntry(f"heatmap-{len(entries)}", sv.sweep_heatmap(frame, x, y, scenario),
                                       f"Clash probability over {x} and {y} in {scenario}, pooled over any other "
                                       "parameter; hover a cell for its 95% interval and replicate count."))
    return entries


def build_sweep_report(frame: pd.DataFrame, manifest: dict, name: str,
                       sensitivity: pd.DataFrame | None = None) -> str:
    meta = meta_list([
        ("jobs", f"{manifest.get('jobs_ok', 0)} ok, {manifest.get('jobs_failed', 0)} failed, "
                 f"{manifest.get('jobs_missing', 0)} missing"),
        ("points", f"{manifest.get('points_ok', 0)} ok of {manifest.get('points', 0)}"),
        ("replicate runs", f"{manifest.get('replicate_runs', 0):,}"),
        ("wall time", f"{manifest.get('wall_time_s')} s"),
        ("throughput", f"{manifest.get('replicate_runs_per_s')} replicate runs/s"),
        ("swept", ", ".join(manifest.get("swept", [])) or "scenarios only"),
        ("commit", manifest.get("git_commit")),
        ("built", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
    ])
    header = f"<h1>Sweep: {html.escape(name)}</h1>{meta}"
    failed = frame[frame["status"] != "ok"]
    footer = ""
    if len(failed):
        rows = [(r.job, r.point, r.scenario, r.status, r.error) for r in failed.head(MAX_ERRORS).itertuples()]
        footer = (f"<h2>Points without a result ({len(failed)})</h2>"
                  + table(["job", "point", "scenario", "status", "error"], rows))
    return page(f"{name} - sweep report", header, sweep_figures(frame, sensitivity), footer)


def write_sweep_report(sweep_dir, frame: pd.DataFrame, manifest: dict, sensitivity: pd.DataFrame | None = None) -> Path:
    """Write ``sweep_report.html`` into ``sweep_dir`` from the sweep table and its indices, if any (no simulation)."""
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / REPORT_FILE
    atomic_write_text(path, build_sweep_report(frame, manifest, sweep_dir.name, sensitivity))
    return path
