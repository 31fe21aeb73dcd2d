"""``sweep_report.html``: a self-contained offline page of a sweep table's figures."""
from __future__ import annotations

import html
import itertools
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from .answer import effect_table, percent, points, sweep_answer, value_text
from sim.files import atomic_write_text
from sim.results.sweep import REPORT_FILE, TABLE_FILE, read_plan, swept_params
from .views import sweep as sv
from sim.report.views.cast import Cast, cast_of, shared_cast
from sim.report.views.page import FigureEntry, meta_list, page, table

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


def sensitivity_figures(sensitivity: pd.DataFrame | None, cast: Cast | None = None) -> list[FigureEntry]:
    """One bar chart per scenario and outcome of a Saltelli or Morris design's indices (``sensitivity.parquet``)."""
    if sensitivity is None or sensitivity.empty:
        return []
    entries = []
    groups = sensitivity[["scenario", "group"]].drop_duplicates().head(MAX_SCENARIOS).itertuples(index=False)
    for scenario, group in groups:
        for outcome in dict.fromkeys(sensitivity["outcome"]):
            method = sensitivity.loc[sensitivity["outcome"] == outcome, "method"].iloc[0]
            figure = sv.sensitivity_bars(sensitivity, outcome, scenario, group, cast)
            entries.append(FigureEntry(f"sensitivity-{len(entries)}", figure, SENSITIVITY_CAPTIONS[method]))
    return entries


def _label_text(spec) -> str:
    if isinstance(spec, dict):
        label, unit = spec.get("label"), spec.get("unit")
        return f"{label} ({unit})" if label and unit else str(label or "")
    return str(spec or "")


def param_labels(plan: dict, params: Sequence[str]) -> dict[str, str]:
    """Human labels of swept paths from the experiment's ``labels`` (``label`` and ``unit``); the path otherwise."""
    given = {path: _label_text(spec) for path, spec in (plan.get("labels") or {}).items()}
    return {p: given.get(p) or p for p in params}


def _value_at(raw: Any, dotted: str) -> Any:
    """The value at a dotted override path of a raw scenario (records by id, name or position)."""
    node = raw
    for part in dotted.split("."):
        if isinstance(node, list):
            keys = [r.get("id", r.get("name")) if isinstance(r, dict) else None for r in node]
            node = node[keys.index(part)] if part in keys else node[int(part)]
        else:
            node = node[part]
    return node


def scenario_baselines(plan: dict, frame: pd.DataFrame, params: Sequence[str]) -> dict[str, dict]:
    """Per scenario name: its own values of the swept paths (what the figures mark as baseline), its horizon
    and its cast (:func:`sim.report.views.cast.cast_of`: the roles and names the figures and the answer use)."""
    from sim.scenario.load import load_scenario
    from sim.scenario.build import scenario_raw
    refs = [job.get("scenario") for job in plan.get("jobs") or []] or list(frame["scenario"].dropna().astype(str))
    out: dict[str, dict] = {}
    for ref in dict.fromkeys(r for r in refs if r):
        try:
            scenario = load_scenario(ref)
        except Exception:  # a scenario that no longer loads has no baseline to mark; the figures still draw
            continue
        raw, values = scenario_raw(scenario), {}
        for path in params:
            try:
                value = _value_at(raw, path)
            except (KeyError, IndexError, ValueError, TypeError):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values[path] = float(value)
        out[scenario.name] = {"values": values, "horizon": scenario.horizon, "cast": cast_of(raw)}
    return out


def sweep_cast(baselines: dict) -> Cast:
    """The roles and names every scenario of the sweep shares (see :func:`scenario_baselines`)."""
    return shared_cast([b["cast"] for b in baselines.values() if "cast" in b])


def sweep_figures(frame: pd.DataFrame, sensitivity: pd.DataFrame | None = None, labels: dict | None = None,
                  baselines: dict | None = None) -> list[FigureEntry]:
    """The figures a sweep table calls for: indices, effect sizes, scenarios compared, marginals, heatmaps.

    Every marginal shares one probability axis from 0; the baseline of the first
    scenario is marked on every marginal and heatmap.
    """
    swept = swept_params(frame)
    labels = {**{p: p for p in swept}, **(labels or {})}
    scenarios = list(dict.fromkeys(frame.loc[frame["status"] == "ok", "scenario"]))
    baselines = baselines or {}
    first = (baselines.get(scenarios[0]) if scenarios else None) or {}
    cast = sweep_cast(baselines)
    entries = sensitivity_figures(sensitivity, cast)
    if swept:
        entries.append(FigureEntry("effects", sv.effect_bars(effect_table(frame, swept, labels), cast),
                                   "Effect size of each parameter: the bar runs from the lowest to the highest clash "
                                   "probability over the parameter's values, pooled over the other parameters."))
    if len(swept) >= 3:  # many parameters: rank them first
        entries.append(FigureEntry("tornado", sv.sensitivity_tornado(frame, swept, labels, cast),
                                   "How much each parameter moves the clash probability: mean over the points in its "
                                   "lowest fifth against its highest fifth, around the overall mean."))
        entries.append(FigureEntry("parallel", sv.parallel_coordinates(frame, swept, labels, cast),
                                   "Every finished point as a line through its parameter values; drag on an axis to "
                                   "select a range."))
    if len(scenarios) > 1 or not swept:
        entries.append(FigureEntry("scenarios", sv.scenario_bars(frame, cast),
                                   "Clash probability of each scenario pooled over its points, with 95% Wilson intervals."))
    y_range = sv.probability_range(frame, swept[:MAX_LINES])
    for x in swept[:MAX_LINES]:
        entries.append(FigureEntry(f"line-{len(entries)}", sv.sweep_line(frame, x, labels[x],
                                                                         first.get("values", {}).get(x), y_range, cast),
                                   f"Clash probability against {labels[x]}, pooled over the other parameters; bands are "
                                   "95% Wilson intervals; every marginal shares this axis from 0; dashed: the "
                                   "scenario's own value."))
    for scenario in scenarios[:MAX_SCENARIOS]:
        own = (baselines.get(scenario) or {}).get("values")
        for x, y in list(itertools.combinations(swept, 2))[:MAX_PAIRS]:
            heatmap = sv.sweep_heatmap(frame, x, y, scenario, labels, own, cast)
            entries.append(FigureEntry(f"heatmap-{len(entries)}", heatmap,
                                       f"Clash probability over {labels[x]} and {labels[y]} in {scenario}, pooled over "
                                       "any other parameter; ticks are the swept values, the ring the scenario's own "
                                       "values; hover a cell for its 95% interval and replicate count."))
    return entries


def answer_block(frame: pd.DataFrame, labels: dict, horizon, cast: Cast | None = None) -> str:
    """The answer sentence and the table of numbers it is made of."""
    swept = swept_params(frame)
    effects = effect_table(frame, swept, labels)
    text = f'<p class="answer">{html.escape(sweep_answer(frame, swept, labels, horizon, cast))}</p>'
    if effects.empty:
        return text
    def cell(p, lo, hi, at):
        return f"{percent(p)} ({percent(lo)}–{percent(hi)}) at {value_text(at)}"
    rows = [(r.label, f"{value_text(r.low_value)} to {value_text(r.high_value)}",
             cell(r.p_min, r.p_min_lo, r.p_min_hi, r.at_min), cell(r.p_max, r.p_max_lo, r.p_max_hi, r.at_max),
             f"{points(r.effect)} points") for r in effects.itertuples()]
    return text + table(["parameter", "swept values", "lowest P(clash) (95% CI), at", "highest P(clash) (95% CI), at",
                         "range"], rows, css="effects")


def sweep_answer_of(sweep_dir) -> str:
    """The answer sentence of an aggregated sweep directory (what the terminal prints at the end)."""
    sweep_dir = Path(sweep_dir)
    frame, plan = pd.read_parquet(sweep_dir / TABLE_FILE), read_plan(sweep_dir)
    swept = swept_params(frame)
    labels = param_labels(plan, swept)
    baselines = scenario_baselines(plan, frame, swept)
    horizon = plan.get("horizon") or next((b["horizon"] for b in baselines.values()), None)
    return sweep_answer(frame, swept, labels, horizon, sweep_cast(baselines))


def build_sweep_report(frame: pd.DataFrame, manifest: dict, name: str,
                       sensitivity: pd.DataFrame | None = None, plan: dict | None = None) -> str:
    plan = plan or {}
    swept = swept_params(frame)
    labels = param_labels(plan, swept)
    baselines = scenario_baselines(plan, frame, swept) if len(frame) else {}
    scenarios = list(dict.fromkeys(frame.loc[frame["status"] == "ok", "scenario"])) if len(frame) else []
    horizon = plan.get("horizon") or next((baselines[s]["horizon"] for s in scenarios if s in baselines), None)
    meta = meta_list([
        ("jobs", f"{manifest.get('jobs_ok', 0)} ok, {manifest.get('jobs_failed', 0)} failed, "
                 f"{manifest.get('jobs_missing', 0)} missing"),
        ("points", f"{manifest.get('points_ok', 0)} ok of {manifest.get('points', 0)}"),
        ("replicates", f"{plan.get('replicates', '?')} per point, seed {plan.get('seed', '?')} "
                       f"({plan.get('seed_policy', '?')})"),
        ("horizon", f"{horizon} weeks" if horizon else "?"),
        ("replicate runs", f"{manifest.get('replicate_runs', 0):,}"),
        ("wall time", f"{manifest.get('wall_time_s')} s"),
        ("throughput", f"{manifest.get('replicate_runs_per_s')} replicate runs/s"),
        ("swept", (", ".join(labels.get(p, p) for p in manifest.get("swept", [])) if len(manifest.get("swept", [])) <= 4
                   else f"{len(manifest['swept'])} parameters (table above)") or "scenarios only"),
        ("commit", manifest.get("git_commit")),
        ("built", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
    ])
    header = f"<h1>Sweep: {html.escape(name)}</h1>{answer_block(frame, labels, horizon, sweep_cast(baselines))}{meta}"
    failed = frame[frame["status"] != "ok"]
    footer = ""
    if len(failed):
        rows = [(r.job, r.point, r.scenario, r.status, r.error) for r in failed.head(MAX_ERRORS).itertuples()]
        footer = (f"<h2>Points without a result ({len(failed)})</h2>"
                  + table(["job", "point", "scenario", "status", "error"], rows))
    return page(f"{name} - sweep report", header, sweep_figures(frame, sensitivity, labels, baselines), footer)


def write_sweep_report(sweep_dir, frame: pd.DataFrame, manifest: dict, sensitivity: pd.DataFrame | None = None) -> Path:
    """Write ``sweep_report.html`` into ``sweep_dir`` from the sweep table and its indices, if any (no simulation)."""
    sweep_dir = Path(sweep_dir)
    path = sweep_dir / REPORT_FILE
    atomic_write_text(path, build_sweep_report(frame, manifest, sweep_dir.name, sensitivity, read_plan(sweep_dir)))
    return path
