"""The same outcome across scenarios, side by side, with confidence intervals.

Each function takes one table per scenario, keyed by a label (the scenario's name).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.results import columns as col
from sim.results.stats import wilson_interval
from .cast import Cast
from .common import band, message_figure, quantile_columns, rung_label, scenario_colours, style

FIRST_RUNG_COMPARED = 3  # lower rungs are reached by nearly every replicate of every scenario


def _usable(tables: Mapping[str, pd.DataFrame] | None, columns: Sequence[str]) -> dict[str, pd.DataFrame]:
    return {k: t for k, t in (tables or {}).items() if t is not None and len(t) and set(columns) <= set(t.columns)}


def _curves_with_bands(tables: Mapping[str, pd.DataFrame], lower: str, centre: str, upper: str,
                       hover: str) -> go.Figure:
    """One line per scenario over weeks, with a shaded band between two columns."""
    colours = scenario_colours(list(tables))
    fig = go.Figure()
    for label, t in tables.items():
        fig.add_trace(band(t["week"], t[lower], t[upper], colours[label], 0.18, legendgroup=label))
        fig.add_trace(go.Scatter(x=t["week"], y=t[centre], name=label, legendgroup=label, mode="lines",
                                 line=dict(color=colours[label], width=2.5),
                                 hovertemplate=f"<b>{label}</b> week %{{x}}: {hover}<extra></extra>"))
    return fig


def outcome_comparison(weekly: Mapping[str, pd.DataFrame], replicates: Mapping[str, int],
                       rung_names: Sequence[str]) -> go.Figure:
    """Probability by the horizon of a direct clash and of reaching each upper rung, per scenario (95% Wilson CI)."""
    title = "Outcomes by the horizon across scenarios (bars: probability; whiskers: 95% CI)"
    tables = _usable(weekly, ("p_clash", "p_clash_lo", "p_clash_hi"))
    if not tables:
        return message_figure("No scenarios with results to compare.", title)
    colours = scenario_colours(list(tables))
    # A rung every replicate of every scenario reaches (or none does) tells scenarios nothing apart.
    finals = {r: [float(t[col.crossed(r)].iloc[-1]) for t in tables.values() if col.crossed(r) in t]
              for r in range(FIRST_RUNG_COMPARED, len(rung_names))}
    rungs = [r for r, ps in finals.items() if ps and max(ps) > 0 and min(ps) < 1]
    outcomes = ["direct clash"] + [f"reached rung {rung_label(r, rung_names[r]).replace(' ', '<br>', 1)}"
                                   for r in rungs]
    fig = go.Figure()
    for label, table in tables.items():
        last = table.iloc[-1]
        n = int(replicates.get(label, 0))
        crossed = np.array([float(last.get(col.crossed(r), np.nan)) for r in rungs])
        lo, hi = wilson_interval(crossed * n, n) if n else (crossed * np.nan, crossed * np.nan)
        p = np.concatenate([[last["p_clash"]], crossed]).astype(float)
        lo = np.concatenate([[last["p_clash_lo"]], lo]).astype(float)
        hi = np.concatenate([[last["p_clash_hi"]], hi]).astype(float)
        fig.add_trace(go.Bar(x=outcomes, y=p, name=label, marker_color=colours[label],
                             error_y=dict(type="data", symmetric=False, array=hi - p, arrayminus=p - lo, thickness=1.5),
                             customdata=np.column_stack([lo, hi]),
                             hovertemplate=(f"<b>{label}</b><br>%{{x}}: P = %{{y:.3f}}"
                                            "<br>95% CI %{customdata[0]:.3f}–%{customdata[1]:.3f}<extra></extra>")))
    style(fig, title, "outcome (by the last week)", "probability (share of replicates)", height=460,
          legend_title="scenario")
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def clash_comparison(weekly: Mapping[str, pd.DataFrame], cast: Cast | None = None) -> go.Figure:
    """Cumulative probability of a direct clash by week, one curve and 95% band per scenario.

    ``cast``: what the scenarios share (:func:`sim.report.views.cast.shared_cast`), which names the adversary.
    """
    title = f"Probability of a {(cast or Cast()).clash} by week, per scenario (95% bands)"
    tables = _usable(weekly, ("week", "p_clash", "p_clash_lo", "p_clash_hi"))
    if not tables:
        return message_figure("No scenarios with results to compare.", title)
    fig = _curves_with_bands(tables, "p_clash_lo", "p_clash", "p_clash_hi", "P(clash) = %{y:.3f}")
    style(fig, title, "week", "probability of a clash so far", height=440, legend_title="scenario")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def level_comparison(steps: Mapping[str, pd.DataFrame], actor: str | Mapping[str, str | None],
                     name: str | None = None) -> go.Figure:
    """One actor's escalation level by week in each scenario: median and 50% band.

    ``actor`` is a state id, or per scenario label the id to draw (each scenario's own
    adversary); ``name`` is what titles call it (default: the id).
    """
    own = dict(actor) if isinstance(actor, Mapping) else {label: actor for label in steps or {}}
    name = name or (actor if isinstance(actor, str) else "the actor")
    title = f"Escalation level of {name} by week, per scenario (median and 50% band)"
    _, q25, q50, q75, _ = quantile_columns()
    tables = {k: t[t["actor"] == own.get(k)].sort_values("week")
              for k, t in _usable(steps, ("week", "actor", q25, q50, q75)).items()}
    tables = {k: t for k, t in tables.items() if len(t)}
    if not tables:
        return message_figure(f"No levels of {name} to compare.", title)
    fig = _curves_with_bands(tables, q25, q50, q75, "median level %{y:.2f}")
    style(fig, title, "week", f"escalation level x of {name}", height=440, legend_title="scenario")
    return fig


def final_state_comparison(weekly: Mapping[str, pd.DataFrame], cast: Cast | None = None) -> go.Figure:
    """Members deployed and guarantee credibility at the horizon, per scenario (box: 25–75%, whiskers: 5–95%)."""
    guarantee = (cast or Cast()).guarantee
    title = ("At the horizon, per scenario: members deployed and guarantee credibility G "
             "(box 25–75%, whiskers 5–95%)")
    panels = (("deployed", "coalition members deployed (count)"), ("guarantee", guarantee))
    needed = [c for name, _ in panels for c in quantile_columns(name)]
    tables = _usable(weekly, needed)
    if not tables:
        return message_figure("No scenarios with results to compare.", title)
    colours = scenario_colours(list(tables))
    fig = make_subplots(rows=1, cols=2, subplot_titles=[p[1] for p in panels], horizontal_spacing=0.12)
    for panel, (name, _) in enumerate(panels, start=1):
        for label, t in tables.items():
            last = t.iloc[-1]
            q05, q25, q50, q75, q95 = (last[c] for c in quantile_columns(name))
            fig.add_trace(go.Box(
                x=[label], q1=[q25], median=[q50], q3=[q75], lowerfence=[q05], upperfence=[q95], name=label,
                marker_color=colours[label], legendgroup=label, showlegend=panel == 1), row=1, col=panel)
    style(fig, title, "", "", height=440, legend_title="scenario")
    fig.update_yaxes(title_text="members deployed", row=1, col=1)
    fig.update_yaxes(title_text="G on [0, 1]", range=[0, 1], row=1, col=2)
    return fig
