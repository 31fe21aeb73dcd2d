"""Figures of one run's tables: levels, rung crossing, coalition, US politics, narrative."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from .common import KEY_ACTORS, actor_colours, message_figure, rgba


def fan_chart(steps: pd.DataFrame, rungs: Sequence[dict], actors: Sequence[str] | None = None) -> go.Figure:
    """Escalation level per actor: median line, 50% and 90% bands; rungs as labelled bands."""
    title = "Escalation level by week (median, 50% and 90% bands)"
    if steps is None or steps.empty:
        return message_figure("No replicates to show.", title)
    present = list(dict.fromkeys(steps["actor"]))
    actors = [a for a in (actors or KEY_ACTORS) if a in present] or present[:8]
    colours = actor_colours(present)
    fig = go.Figure()
    top = 0.0
    for a in actors:
        d = steps[steps["actor"] == a]
        c = colours[a]
        top = max(top, float(d["q95"].max()))
        for lo, hi, alpha in (("q05", "q95", 0.12), ("q25", "q75", 0.25)):
            fig.add_trace(go.Scatter(x=list(d["week"]) + list(d["week"][::-1]), y=list(d[hi]) + list(d[lo][::-1]),
                                     fill="toself", fillcolor=rgba(c, alpha), line=dict(width=0), hoverinfo="skip",
                                     legendgroup=a, showlegend=False))
        fig.add_trace(go.Scatter(x=d["week"], y=d["q50"], name=a, line=dict(color=c, width=2), legendgroup=a,
                                 hovertemplate=f"{a} week %{{x}}: median level %{{y:.2f}}<extra></extra>"))
    _rung_bands(fig, rungs, top)
    fig.update_layout(title=title, xaxis_title="week", yaxis_title="escalation level x (rung thresholds shaded)",
                      hovermode="closest", legend=dict(orientation="h", y=-0.2))
    return fig


def _rung_bands(fig: go.Figure, rungs: Sequence[dict], top: float) -> None:
    for r, rung in enumerate(rungs):
        lo = rung["threshold"]
        if lo > top * 1.05 and r > 0:
            break
        hi = rungs[r + 1]["threshold"] if r + 1 < len(rungs) else lo + 1.0
        fig.add_hrect(y0=lo, y1=hi, fillcolor="grey", opacity=0.06 if r % 2 else 0.0, line_width=0,
                      annotation_text=f"{r} {rung['name']}", annotation_position="top left",
                      annotation_font=dict(size=10, color="grey"))


def crossing_chart(weekly: pd.DataFrame, rung_names: Sequence[str]) -> go.Figure:
    """Probability that some tracked actor has reached each rung by week; clash with 95% CI."""
    title = "Probability of having reached each rung by week"
    if weekly is None or weekly.empty:
        return message_figure("No replicates to show.", title)
    fig = go.Figure()
    for r, name in enumerate(rung_names):
        col = f"p_crossed_{r}"
        if r == 0 or col not in weekly or weekly[col].max() == 0:
            continue
        fig.add_trace(go.Scatter(x=weekly["week"], y=weekly[col], name=f"{r} {name}", mode="lines",
                                 hovertemplate=f"{name}: P=%{{y:.3f}} by week %{{x}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=list(weekly["week"]) + list(weekly["week"][::-1]),
                             y=list(weekly["p_clash_hi"]) + list(weekly["p_clash_lo"][::-1]), fill="toself",
                             fillcolor="rgba(0,0,0,0.15)", line=dict(width=0), hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(x=weekly["week"], y=weekly["p_clash"], name="NATO-Russia clash (95% CI)",
                             line=dict(color="black", width=3, dash="dash"),
                             hovertemplate="clash: P=%{y:.3f} by week %{x}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="week", yaxis_title="probability", yaxis_range=[0, 1.02],
                      legend=dict(orientation="h", y=-0.2))
    return fig


def deployment_chart(deployed: pd.DataFrame) -> go.Figure:
    """Share of replicates with n coalition members deployed, by week."""
    title = "Coalition members deployed: distribution over replicates by week"
    if deployed is None or deployed.empty:
        return message_figure("No replicates to show.", title)
    grid = deployed.pivot(index="n_deployed", columns="week", values="share")
    grid = grid.loc[: max(int(deployed.loc[deployed["share"] > 0, "n_deployed"].max()), 1)]
    fig = go.Figure(go.Heatmap(z=grid.values, x=grid.columns, y=grid.index, colorscale="Blues",
                               colorbar=dict(title="share"),
                               hovertemplate="week %{x}: %{y} deployed in %{z:.1%} of replicates<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="week", yaxis_title="members deployed")
    return fig


def guarantee_chart(weekly: pd.DataFrame) -> go.Figure:
    """US guarantee credibility G and political capital P: median and 90% band."""
    title = "US guarantee credibility and political capital"
    if weekly is None or weekly.empty:
        return message_figure("No replicates to show.", title)
    fig = go.Figure()
    for name, colour in (("guarantee", "#1f77b4"), ("capital", "#ff7f0e")):
        fig.add_trace(go.Scatter(x=list(weekly["week"]) + list(weekly["week"][::-1]),
                                 y=list(weekly[f"{name}_q95"]) + list(weekly[f"{name}_q05"][::-1]), fill="toself",
                                 fillcolor=rgba(colour, 0.2), line=dict(width=0), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=weekly["week"], y=weekly[f"{name}_q50"], name=f"{name} (median, 90% band)",
                                 line=dict(color=colour)))
    fig.update_layout(title=title, xaxis_title="week", yaxis_title="value in [0, 1]", yaxis_range=[0, 1])
    return fig


def timeline_chart(events: pd.DataFrame) -> go.Figure:
    """Narrative of one Mesa run: events by actor and week, with hover text."""
    title = "One run, week by week (Mesa narrative)"
    if events is None or events.empty:
        return message_figure("No narrative events recorded.", title)
    shown = events[events["kind"] != "rung"] if (events["kind"] != "rung").any() else events
    shown = shown[~((shown["kind"] == "action") & shown["detail"].str.endswith(": hold"))]
    symbols = {"action": "circle", "deploy": "triangle-up", "withdraw": "triangle-down", "clash": "x",
               "event": "star", "rung": "square", "diverged": "x"}
    fig = go.Figure()
    for kind, d in shown.groupby("kind", sort=False):
        fig.add_trace(go.Scatter(x=d["week"], y=d["actor"], mode="markers", name=kind, text=d["detail"],
                                 marker=dict(symbol=symbols.get(kind, "circle"), size=9),
                                 hovertemplate="week %{x}, %{y}: %{text}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="week", yaxis_title="actor", height=600)
    return fig
