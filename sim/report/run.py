"""Reports of stored runs: a self-contained offline HTML page, or every figure as a static image.

Everything here reads the tables of a run directory (see ``docs/outputs.md``) and
never simulates; the pages plot statistics of the replicates, never the replicates,
so their size does not grow with the number of replicates.
"""
from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from . import views
from .answer import interval, percent, run_answer
from sim.results.storage import COMPLETE_FILE, load_run, read_complete
from sim.files import atomic_write_text
from sim.report.views.cast import Cast, cast_of, shared_cast
from sim.report.views.page import FigureEntry, cards, config_block, meta_list, page, table

REQUIRED_TABLES = ("steps", "weekly", "deployed", "members", "events")


class RunDirError(ValueError):
    """A path that is not a complete run directory."""


def check_run_dir(run_dir, *, require_complete: bool = True) -> Path:
    """The directory if it holds a finished run (its ``COMPLETE`` marker) and every table a report needs.

    Else a one-line RunDirError. ``require_complete=False`` serves the run itself,
    which writes its report before marking the directory complete.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunDirError(f"{run_dir}: no such directory")
    if not (run_dir / "manifest.json").is_file():
        raise RunDirError(f"{run_dir}: not a run directory (no manifest.json)")
    absent = [f"{t}.parquet" for t in REQUIRED_TABLES if not (run_dir / f"{t}.parquet").is_file()]
    if absent:
        raise RunDirError(f"{run_dir}: incomplete run directory (missing {', '.join(absent)})")
    if require_complete and read_complete(run_dir) is None:
        raise RunDirError(f"{run_dir}: incomplete run directory (no {COMPLETE_FILE} marker: the run was "
                          "interrupted or is still writing)")
    return run_dir


def read_run(run_dir, *, require_complete: bool = True) -> tuple[dict, dict | None]:
    """The stored tables and manifest of ``run_dir`` and its resolved scenario (None if not stored)."""
    run_dir = check_run_dir(run_dir, require_complete=require_complete)
    try:
        run = load_run(run_dir)
        scenario = run_dir / "scenario.json"
        config = json.loads(scenario.read_text()) if scenario.is_file() else None
    except (OSError, ValueError) as err:
        raise RunDirError(f"{run_dir}: unreadable run directory ({err})") from None
    run["run_date"] = datetime.fromtimestamp((run_dir / "manifest.json").stat().st_mtime, timezone.utc)
    return run, config


def rungs_of(manifest: dict, config: dict | None) -> list[dict]:
    if config and config.get("ladder"):
        return [{"name": r["name"], "threshold": float(r["threshold"])} for r in config["ladder"]]
    return [{"name": n, "threshold": float(i)} for i, n in enumerate(manifest.get("rungs", []))]


def run_figures(run: dict, config: dict | None = None) -> list[FigureEntry]:
    """Every figure of one run, in report order, with its caption; names and roles come from ``config``."""
    m = run["manifest"]
    rungs = rungs_of(m, config)
    names = [r["name"] for r in rungs]
    actors = m.get("actors") or []
    thresholds = {s["id"]: float(s["coalition"]["deploy_threshold"]) for s in (config or {}).get("states", [])
                  if s.get("coalition")}
    cast = cast_of(config)
    return [
        FigureEntry("levels", views.fan_chart(run.get("steps"), rungs, all_actors=actors, cast=cast),
                    "Levels of the key actors: the line is the median over replicates, the bands hold 50% and 90% "
                    "of them, and the shaded strips are the rungs of the ladder."),
        FigureEntry("occupancy", views.occupancy_heatmap(run.get("steps"), names, cast=cast),
                    "Share of replicates in which the chosen actor stands on each rung, week by week "
                    "(buttons pick the actor)."),
        FigureEntry("crossing", views.crossing_chart(run.get("weekly"), names, m.get("replicates"), cast),
                    "Share of replicates in which some tracked actor has reached each rung by a given week, "
                    f"with 95% Wilson bands; dashed: a {cast.clash}."),
        FigureEntry("time-to-clash", views.survival_chart(run.get("weekly"), cast),
                    "Survival curve of the time to the first direct clash: the share of replicates still without "
                    "one at each week, with its 95% Wilson band."),
        FigureEntry("deployed", views.deployment_chart(run.get("deployed"), run.get("weekly")),
                    "How many coalition members have force-blocking units deployed, as a distribution over "
                    "replicates by week, with the median in orange."),
        FigureEntry("commitment", views.commitment_chart(run.get("members"), thresholds),
                    "Mean commitment m of each coalition member by week (buttons switch to the share of replicates "
                    "in which it is deployed); θ↑ is the commitment at which it deploys."),
        FigureEntry("guarantee", views.guarantee_chart(run.get("weekly"), cast),
                    f"The {cast.guarantee} and its leader's political capital P: median with 50% and 90% "
                    "bands over replicates."),
        FigureEntry("network", views.network_chart(config or {}, run.get("steps")),
                    "Who pushes whom: edge width is the reaction k_ij times the median level of the pushing state "
                    "that week (slider or ▶ to move through the weeks); node size is capability, colour the bloc."),
        FigureEntry("narrative", views.timeline_chart(run.get("events"), cast),
                    "One replicate told as a story by the Mesa model: leaders' actions (holds left out), "
                    "deployments, scheduled events and any clash; hover for details."),
    ]


def _fmt(value, spec: str, default: str = "–") -> str:
    try:
        return format(float(value), spec)
    except (TypeError, ValueError):
        return default


def headline_cards(manifest: dict, rung_names: Sequence[str], cast: Cast | None = None) -> str:
    h = manifest.get("headline", {})
    cast = cast or Cast()
    rung = h.get("median_max_rung")
    rung_name = rung_names[int(rung)] if rung is not None and 0 <= int(rung) < len(rung_names) else ""
    return cards([
        (_fmt(h.get("p_clash"), ".1%"), cast.clash_probability(_horizon(manifest)),
         f"95% CI {_fmt(h.get('p_clash_lo'), '.1%')}–{_fmt(h.get('p_clash_hi'), '.1%')}"
         + (f"; incident {_fmt(h['p_clash_incident'], '.1%')}, deliberate {_fmt(h['p_clash_deliberate'], '.1%')}"
            if "p_clash_incident" in h and "p_clash_deliberate" in h else "")),
        (_fmt(rung, ".0f"), "median highest rung reached", rung_name),
        (_fmt(h.get("median_deployed_peak"), ".0f"), "median coalition members deployed at peak",
         f"at the horizon: {_fmt(h.get('median_deployed_final'), '.0f')}"),
        (_fmt(h.get("mean_us_guarantee_final"), ".2f"), f"mean {cast.guarantee} at the horizon", "on [0, 1]"),
        (_fmt(h.get("p_deescalated"), ".1%"), "P(de-escalated)", "back to the de-escalation rung or below"),
        (_fmt(h.get("p_diverged"), ".2%"), "P(diverged)", "a level left the numeric range"),
    ])


def sources_note(manifest: dict) -> str:
    """How much of the scenario is assumed: the share of its numbers whose size no source gives."""
    s = manifest.get("sources")
    if not s or not s.get("numbers"):
        return ""
    return (f'<p class="sources">{s["assumed_share"]:.0%} of the scenario file\'s {s["numbers"]} numbers are '
            f'assumptions ({s["cited"]} cited, {s["calibrated"]} calibrated); '
            f'<code>escalate-scenario sources {html.escape(str(manifest.get("scenario_file")))}</code> lists them.</p>')


def run_name(manifest: dict) -> str:
    """The run's label (the scenario's name plus a tag of its overrides); older runs stored only the name."""
    return str(manifest.get("label") or manifest.get("scenario"))


def overrides_note(manifest: dict) -> str:
    """The overrides a run applied to its scenario, listed in full (the label shortens them)."""
    items = manifest.get("overrides") or []
    if not items:
        return ""
    listed = "".join(f"<li><code>{html.escape(str(o))}</code></li>" for o in items)
    return (f"<p>Overrides applied to <b>{html.escape(str(manifest.get('scenario')))}</b>, whose description "
            f'follows:</p><ul class="overrides">{listed}</ul>')


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def build_report(run: dict, config: dict | None = None) -> str:
    """HTML text for ``run`` (as returned by :func:`sim.results.load_run`)."""
    m = run["manifest"]
    names = [r["name"] for r in rungs_of(m, config)]
    cast = cast_of(config)
    run_date = run.get("run_date")
    header = (f"<h1>Scenario: {html.escape(run_name(m))}</h1>"
              + f'<p class="answer">{html.escape(run_answer(m, names, cast))}</p>'
              + overrides_note(m)
              + (f"<p>{html.escape(config['description'])}</p>" if config and config.get("description") else "")
              + meta_list([("seed", m.get("seed")), ("replicates", f"{m.get('replicates', 0):,}"),
                           ("horizon", f"{_horizon(m)} weeks"),
                           ("version", m.get("versions", {}).get("escalation-sim", "?")),
                           ("commit", (m.get("git_commit") or "?")[:12]),
                           ("run", run_date.strftime("%Y-%m-%d %H:%M UTC") if run_date else "?"),
                           ("report built", _now())])
              + "<h2>Headline</h2>" + headline_cards(m, names, cast) + sources_note(m))
    footer = ("<h2>Resolved scenario</h2>" + config_block("show the scenario as run (after extends, set and overrides)",
                                                         config)
              + config_block("show the manifest", {k: v for k, v in m.items() if k != "headline"}))
    return page(f"{run_name(m)} - escalation report", header, run_figures(run, config), footer)


def write_report(run_dir, config: dict | None = None, out=None, *, require_complete: bool = True) -> Path:
    """Build ``report.html`` (or ``out``) from the stored tables of ``run_dir``; no simulation."""
    run, stored = read_run(run_dir, require_complete=require_complete)
    path = Path(out) if out else Path(run_dir) / "report.html"
    atomic_write_text(path, build_report(run, config if config is not None else stored))
    return path


def _labels(runs: Sequence[tuple[Path, dict, dict | None]]) -> list[str]:
    """Scenario names, made unique with the run directory's name where two runs share one."""
    names = [run_name(run["manifest"]) for _, run, _ in runs]
    return [n if names.count(n) == 1 else f"{n} ({path.name})" for n, (path, _, _) in zip(names, runs)]


def comparison_figures(runs: Sequence[tuple[Path, dict, dict | None]]) -> list[FigureEntry]:
    labels = _labels(runs)
    first_run, first_config = runs[0][1], runs[0][2]
    names = [r["name"] for r in rungs_of(first_run["manifest"], first_config)]
    casts = {lab: cast_of(config) for lab, (_, _, config) in zip(labels, runs)}
    shared = shared_cast(list(casts.values()))
    weekly = {lab: run.get("weekly") for lab, (_, run, _) in zip(labels, runs)}
    return [
        FigureEntry("outcomes", views.outcome_comparison(
            weekly, {lab: run["manifest"].get("replicates", 0) for lab, (_, run, _) in zip(labels, runs)}, names),
            "The same outcomes in every scenario, side by side: bars are probabilities by the last week, whiskers "
            "their 95% Wilson intervals."),
        FigureEntry("clash-by-week", views.clash_comparison(weekly, shared),
                    "Cumulative probability of a direct clash by week in each scenario, with 95% bands."),
        FigureEntry("adversary-level", views.level_comparison(
            {lab: run.get("steps") for lab, (_, run, _) in zip(labels, runs)},
            {lab: cast.adversary for lab, cast in casts.items()}, shared.adversary_name),
            f"Escalation level of {shared.adversary_name} in each scenario: median and the middle 50% of replicates."),
        FigureEntry("final-state", views.final_state_comparison(weekly, shared),
                    f"Coalition members deployed and the {shared.guarantee} at the horizon in each scenario."),
    ]


def mismatches(runs: Sequence[tuple[Path, dict, dict | None]]) -> list[str]:
    """What besides the scenario differs between runs (each as 'what (value per run)'); empty if nothing."""
    checks = {
        "seed": lambda m: m.get("seed"),
        "seed policy": lambda m: m.get("seed_policy", "one seed for the run"),
        "replicates": lambda m: f"{m.get('replicates', 0):,}",
        "horizon": lambda m: f"{_horizon(m)} weeks",
        "time step": lambda m: m.get("dt"),
        "model version": lambda m: f"{m.get('versions', {}).get('escalation-sim', '?')} "
                                   f"({(m.get('git_commit') or '?')[:12]})",
        "overrides": lambda m: ", ".join(m.get("overrides") or []) or "none",
    }
    out = []
    for what, get in checks.items():
        values = [get(run["manifest"]) for _, run, _ in runs]
        if len({json.dumps(v, default=str) for v in values}) > 1:
            out.append(f"{what} ({'; '.join(str(v) for v in values)})")
    return out


def comparison_answer(labels: Sequence[str], runs: Sequence[tuple[Path, dict, dict | None]]) -> str:
    """P(clash) of every run, highest first, with intervals: the numbers of the headline table."""
    cast = shared_cast([cast_of(config) for _, _, config in runs])
    items = sorted(((run["manifest"].get("headline") or {}, label) for label, (_, run, _) in zip(labels, runs)),
                   key=lambda item: -float(item[0].get("p_clash", -1)))
    horizons = sorted({str(_horizon(run["manifest"])) for _, run, _ in runs})
    parts = [f"{label} {percent(h.get('p_clash'), 1)} ({interval(h.get('p_clash_lo'), h.get('p_clash_hi'), 1)})"
             for h, label in items]
    return (f"{cast.clash_probability(' or '.join(horizons))}, highest first: "
            + "; ".join(parts) + ".")


def build_comparison(runs: Sequence[tuple[Path, dict, dict | None]]) -> str:
    labels = _labels(runs)
    rows, meta = [], []
    for label, (path, run, _) in zip(labels, runs):
        m, h = run["manifest"], run["manifest"].get("headline", {})
        meta.append([label, m.get("seed"), f"{m.get('replicates', 0):,}", f"{_horizon(m)} weeks",
                     m.get("versions", {}).get("escalation-sim", "?"), ", ".join(m.get("overrides") or []) or "none",
                     str(path)])
        rows.append([label, f"{percent(h.get('p_clash'), 1)} ({interval(h.get('p_clash_lo'), h.get('p_clash_hi'), 1)})",
                     _fmt(h.get("median_max_rung"), ".0f"), _fmt(h.get("median_deployed_peak"), ".0f"),
                     _fmt(h.get("median_deployed_final"), ".0f"), _fmt(h.get("mean_us_guarantee_final"), ".2f"),
                     _fmt(h.get("p_deescalated"), ".1%")])
    differ = mismatches(runs)
    banner = (f'<div class="banner"><b>These runs differ in more than their scenario:</b> '
              f'{html.escape("; ".join(differ))}. Differences between them may come from these, not only from the '
              f'scenarios.</div>' if differ else "")
    header = (f"<h1>Scenario comparison: {html.escape(', '.join(labels))}</h1>" + banner
              + f'<p class="answer">{html.escape(comparison_answer(labels, runs))}</p>'
              + meta_list([("scenarios", len(runs)), ("report built", _now())])
              + "<h2>Headline</h2>"
              + table(["scenario", "P(clash) (95% CI)", "median highest rung", "median deployed at peak",
                       "median deployed at horizon", "mean guarantee credibility G at horizon",
                       "P(de-escalated)"], rows)
              + "<h2>Runs</h2>"
              + table(["scenario", "seed", "replicates", "horizon", "version", "overrides", "run directory"], meta))
    footer = "<h2>Resolved scenarios</h2>" + "".join(config_block(f"show {label}", config)
                                                   for label, (_, _, config) in zip(labels, runs))
    return page("scenario comparison - escalation report", header, comparison_figures(runs), footer)


def read_runs(run_dirs: Sequence) -> list[tuple[Path, dict, dict | None]]:
    return [(Path(d), *read_run(d)) for d in run_dirs]


def write_comparison(run_dirs: Sequence, out) -> Path:
    """A comparison report of several run directories, written to ``out``."""
    path = Path(out)
    atomic_write_text(path, build_comparison(read_runs(run_dirs)))
    return path


def export_report_figures(run_dirs: Sequence, out_dir, fmt: str) -> list[Path]:
    """Every figure of one run (or of a comparison of several) as ``fmt`` images in ``out_dir``."""
    from sim.report.views.export import export_figures
    runs = read_runs(run_dirs)
    entries = run_figures(runs[0][1], runs[0][2]) if len(runs) == 1 else comparison_figures(runs)
    return export_figures([(e.name, e.figure) for e in entries], out_dir, fmt)


def _horizon(manifest: dict):
    """Weeks simulated; runs written before ``horizon`` existed recorded it as ``steps`` (one step a week)."""
    return manifest.get("horizon", manifest.get("steps"))
