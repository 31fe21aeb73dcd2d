"""Escalation levels over time: fan chart per actor and rung-occupancy heatmap (``steps`` table)."""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from sim.results import columns as col
from .cast import Cast
from .common import actor_colours, band, missing, quantile_columns, rung_label, style

MAX_SHOWN = 8  # actors drawn when the scenario names no key actors


def _shown_actors(steps: pd.DataFrame, actors: Sequence[str] | None, cast: Cast) -> list[str]:
    present = list(dict.fromkeys(steps["actor"]))
    return [a for a in (actors or cast.key_actors) if a in present] or present[:MAX_SHOWN]


def fan_chart(steps: pd.DataFrame, rungs: Sequence[dict], actors: Sequence[str] | None = None,
              all_actors: Sequence[str] | None = None, cast: Cast | None = None) -> go.Figure:
    """Escalation level per actor: median line, 50% and 90% bands; rungs as labelled bands.

    ``rungs`` are ``{"name", "threshold"}`` records in ladder order; ``actors`` are
    drawn, by default the ``cast``'s key actors; ``all_actors`` (the run's actor list)
    fixes colours of actors outside the key set.
    """
    title = "Escalation level by week: median, 50% and 90% of replicates"
    q05, q25, q50, q75, q95 = quantile_columns()
    if (fig := missing(steps, ("week", "actor", q05, q25, q50, q75, q95), title)) is not None:
        return fig
    cast = cast or Cast()
    shown = _shown_actors(steps, actors, cast)
    colours = actor_colours(list(all_actors or []) + list(dict.fromkeys(steps["actor"])), cast)
    fig = go.Figure()
    top = 0.0
    for a in shown:
        d = steps[steps["actor"] == a].sort_values("week").round(3)
        c = colours[a]
        top = max(top, float(d[q95].max()))
        fig.add_trace(band(d["week"], d[q05], d[q95], c, 0.10, legendgroup=a))
        fig.add_trace(band(d["week"], d[q25], d[q75], c, 0.22, legendgroup=a))
        fig.add_trace(go.Scatter(
            x=d["week"], y=d[q50], name=a, legendgroup=a, mode="lines", line=dict(color=c, width=2.5),
            customdata=d[[q25, q75, q05, q95]].to_numpy(),
            hovertemplate=(f"<b>{cast.label(a)}</b> week %{{x}}<br>median level %{{y:.2f}}"
                           "<br>50%: %{customdata[0]:.2f}–%{customdata[1]:.2f}"
                           "<br>90%: %{customdata[2]:.2f}–%{customdata[3]:.2f}<extra></extra>")))
    y_top = _rung_bands(fig, rungs, top)
    style(fig, title, "week", "escalation level x", height=540, legend_title="actor", legend="top")
    fig.update_yaxes(range=[0, y_top], zeroline=False)
    return fig


def _rung_bands(fig: go.Figure, rungs: Sequence[dict], top: float) -> float:
    """Shade alternate rungs and name them on a right-hand axis; returns the y range's top."""
    if not rungs:
        return max(top * 1.05, 1.0)
    thresholds = [float(r["threshold"]) for r in rungs]
    shown = [r for r, t in enumerate(thresholds) if t <= max(top, thresholds[0]) * 1.02]
    last = shown[-1]
    y_top = thresholds[last + 1] if last + 1 < len(thresholds) else thresholds[last] + 1.0
    y_top = max(y_top, top * 1.02)
    centres, names = [], []
    for r in shown:
        lo = thresholds[r]
        hi = thresholds[r + 1] if r + 1 < len(thresholds) else y_top
        if r % 2:
            fig.add_hrect(y0=lo, y1=min(hi, y_top), fillcolor="#888", opacity=0.08, line_width=0, layer="below")
        fig.add_hline(y=lo, line=dict(color="#bbb", width=1, dash="dot"), layer="below")
        centres.append((lo + min(hi, y_top)) / 2)
        names.append(rung_label(r, rungs[r]["name"]))
    # An invisible trace on a second axis carries the rung names as tick labels at band centres,
    # so labels never sit on top of the data.
    fig.add_trace(go.Scatter(x=[None], y=[None], yaxis="y2", showlegend=False, hoverinfo="skip"))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, y_top], tickvals=centres, ticktext=names,
                                  showgrid=False, zeroline=False, ticks="", tickfont=dict(size=11, color="#555"),
                                  title=dict(text="ladder rung", font=dict(size=12, color="#555"))))
    return y_top


def occupancy_heatmap(steps: pd.DataFrame, rung_names: Sequence[str], actors: Sequence[str] | None = None,
                      cast: Cast | None = None) -> go.Figure:
    """Share of replicates in which an actor stands on each rung, by week; buttons pick the actor.

    ``actors`` are offered, by default the ``cast``'s key actors (the adversary first).
    """
    title = "Rung occupancy by week: share of replicates on each rung"
    rung_cols = [col.rung_share(r) for r in range(len(rung_names))]
    if not rung_names:
        return missing(None, (), title, "rungs")
    if (fig := missing(steps, ("week", "actor", *rung_cols), title)) is not None:
        return fig
    cast = cast or Cast()
    shown = _shown_actors(steps, actors, cast)
    labels = [rung_label(r, n) for r, n in enumerate(rung_names)]
    fig = go.Figure()
    for i, a in enumerate(shown):
        d = steps[steps["actor"] == a].sort_values("week")
        z = d[rung_cols].to_numpy().T.round(4)
        fig.add_trace(go.Heatmap(
            z=z, x=d["week"], y=labels, zmin=0, zmax=1, colorscale="YlOrRd", visible=(i == 0), name=a,
            colorbar=dict(title=dict(text="share of<br>replicates"), tickformat=".0%"),
            hovertemplate=(f"<b>{cast.label(a)}</b> week %{{x}}<br>on rung %{{y}}"
                           "<br>in %{z:.1%} of replicates<extra></extra>")))
    buttons = [dict(label=a, method="update",
                    args=[{"visible": [j == i for j in range(len(shown))]}, {"title.text": f"{title}: {a}"}])
               for i, a in enumerate(shown)]
    style(fig, f"{title}: {shown[0]}", "week", "ladder rung", height=480)
    fig.update_layout(updatemenus=[dict(type="buttons", direction="right", buttons=buttons, showactive=True,
                                        x=0.0, xanchor="left", y=1.02, yanchor="bottom", pad=dict(t=0, b=0))],
                      margin=dict(t=110))
    fig.update_layout(title=dict(y=0.97, yanchor="top"))
    return fig
