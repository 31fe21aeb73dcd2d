"""How likely and how soon: probability of reaching each rung, time to first clash (``weekly`` table)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.results import columns as col
from sim.results.stats import wilson_interval
from .cast import Cast
from .common import band, missing, rung_colours, rung_label, style


def crossing_chart(weekly: pd.DataFrame, rung_names: Sequence[str], replicates: int | None = None,
                   cast: Cast | None = None) -> go.Figure:
    """Probability that some tracked actor has reached each rung by week, with 95% Wilson bands.

    The bands need the number of replicates; without it only the clash curve
    (whose bounds are stored) has one. The ``cast`` names the clash's adversary.
    """
    clash = (cast or Cast()).clash
    title = "Probability of having reached each rung by week (95% confidence bands)"
    if (fig := missing(weekly, ("week", "p_clash", "p_clash_lo", "p_clash_hi"), title)) is not None:
        return fig
    weeks = weekly["week"]
    colours = rung_colours(len(rung_names))
    fig = go.Figure()
    at_start = []
    for r, name in enumerate(rung_names):
        column = col.crossed(r)
        if column not in weekly or weekly[column].max() == 0:
            continue  # a rung nobody reached adds only clutter
        if weekly[column].iloc[0] >= 1.0:
            at_start.append(r)  # reached by every replicate at the start: a flat line at 100%
            continue
        p = weekly[column].to_numpy()
        label = rung_label(r, name)
        if replicates:
            lo, hi = wilson_interval(p * replicates, replicates)
            fig.add_trace(band(weeks, lo, hi, colours[r], 0.18, legendgroup=label))
        fig.add_trace(go.Scatter(x=weeks, y=p, name=label, legendgroup=label, mode="lines",
                                 line=dict(color=colours[r], width=2),
                                 hovertemplate=f"reached <b>{name}</b> by week %{{x}}: P = %{{y:.3f}}<extra></extra>"))
    fig.add_trace(band(weeks, weekly["p_clash_lo"], weekly["p_clash_hi"], "#000000", 0.15, legendgroup="clash"))
    fig.add_trace(go.Scatter(x=weeks, y=weekly["p_clash"], name=clash, legendgroup="clash",
                             line=dict(color="black", width=3, dash="dash"),
                             customdata=weekly[["p_clash_lo", "p_clash_hi"]].to_numpy(),
                             hovertemplate=(f"{clash} by week %{{x}}: P = %{{y:.3f}}"
                                            "<br>95% CI %{customdata[0]:.3f}–%{customdata[1]:.3f}<extra></extra>")))
    if at_start:
        fig.add_annotation(text=f"rungs {at_start[0]}–{at_start[-1]} are reached by every replicate at week 0"
                           if len(at_start) > 1 else f"rung {at_start[0]} is reached by every replicate at week 0",
                           xref="paper", yref="paper", x=1.0, xanchor="right", y=0.02, yanchor="bottom",
                           showarrow=False, font=dict(size=11, color="#555"))
    style(fig, title, "week", "probability (share of replicates)", height=480, legend_title="rung reached")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig


def survival_chart(weekly: pd.DataFrame, cast: Cast | None = None) -> go.Figure:
    """Time to first clash: share of replicates with no clash yet by week (95% Wilson band)."""
    title = f"Time to first {(cast or Cast()).clash}: share of replicates without one"
    if (fig := missing(weekly, ("week", "p_clash", "p_clash_lo", "p_clash_hi"), title)) is not None:
        return fig
    weeks = weekly["week"].to_numpy()
    survival = 1.0 - weekly["p_clash"].to_numpy()
    lower, upper = 1.0 - weekly["p_clash_hi"].to_numpy(), 1.0 - weekly["p_clash_lo"].to_numpy()
    colour = "#444444"
    fig = go.Figure()
    fig.add_trace(band(weeks, lower, upper, colour, 0.2))
    fig.add_trace(go.Scatter(x=weeks, y=survival, name="no clash yet", mode="lines", line=dict(color=colour, width=3,
                             shape="hv"), customdata=np.column_stack([lower, upper]),
                             hovertemplate=("week %{x}: no clash yet in %{y:.1%} of replicates"
                                            "<br>95% CI %{customdata[0]:.1%}–%{customdata[1]:.1%}<extra></extra>")))
    half = np.flatnonzero(survival <= 0.5)
    if half.size:
        fig.add_vline(x=weeks[half[0]], line=dict(color="#d62728", dash="dot"),
                      annotation_text=f"median time to clash: week {weeks[half[0]]}", annotation_position="top right")
    fig.add_annotation(x=weeks[-1], y=survival[-1], text=f"{survival[-1]:.1%} without a clash<br>by week {weeks[-1]}",
                       showarrow=True, arrowhead=2, ax=-80, ay=50 if survival[-1] > 0.7 else -50, bgcolor="rgba(255,255,255,0.8)")
    style(fig, title, "week", "probability of no clash yet", height=440)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    return fig
