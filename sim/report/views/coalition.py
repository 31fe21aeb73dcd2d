"""The coalition and the guarantor's guarantee: members deployed, commitment per member, G and P."""
from __future__ import annotations

from typing import Mapping

import pandas as pd
import plotly.graph_objects as go

from .cast import Cast
from .common import ROLE_COLOURS, band, missing, quantile_columns, style

GUARANTEE_COLOUR = ROLE_COLOURS["guarantor"]
CAPITAL_COLOUR = "#ff7f0e"


def deployment_chart(deployed: pd.DataFrame, weekly: pd.DataFrame | None = None) -> go.Figure:
    """Share of replicates with n coalition members deployed, by week; the median on top if ``weekly`` is given."""
    title = "Coalition members deployed: distribution over replicates by week"
    if (fig := missing(deployed, ("week", "n_deployed", "share"), title)) is not None:
        return fig
    grid = deployed.pivot(index="n_deployed", columns="week", values="share").sort_index()
    reached = deployed.loc[deployed["share"] > 0, "n_deployed"]
    grid = grid.loc[: max(int(reached.max()) if len(reached) else 0, 1)]
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=grid.columns, y=grid.index, colorscale="Blues", zmin=0, name="share",
        colorbar=dict(title=dict(text="share of<br>replicates"), tickformat=".0%", x=1.02),
        hovertemplate="week %{x}: exactly %{y} members deployed<br>in %{z:.1%} of replicates<extra></extra>"))
    median = quantile_columns("deployed")[2]
    if weekly is not None and {median, "week"} <= set(weekly.columns):
        fig.add_trace(go.Scatter(x=weekly["week"], y=weekly[median], name="median", mode="lines",
                                 line=dict(color="#e6550d", width=2.5, shape="hv"),
                                 hovertemplate="week %{x}: median %{y:.0f} members deployed<extra></extra>"))
    style(fig, title, "week", "members deployed (count)", height=460)
    fig.update_yaxes(dtick=1 if len(grid.index) <= 11 else 5)  # counts: no ticks between whole members
    fig.update_layout(legend=dict(x=0.01, xanchor="left", y=0.99, yanchor="top", bgcolor="rgba(255,255,255,0.8)"))
    return fig


def commitment_chart(members: pd.DataFrame, deploy_thresholds: Mapping[str, float] | None = None) -> go.Figure:
    """Member × week heatmap of mean commitment m, with a switch to the share of replicates deployed.

    Members are sorted by their commitment averaged over the horizon, most committed on top.
    """
    title = "Coalition commitment by member and week"
    if (fig := missing(members, ("week", "actor", "commitment_mean", "deployed_share"), title, "coalition members")) is not None:
        return fig
    order = members.groupby("actor", sort=False)["commitment_mean"].mean().sort_values().index.tolist()
    views = (("commitment_mean", "mean commitment m", "Viridis", ".2f"),
             ("deployed_share", "share of replicates deployed", "Blues", ".0%"))
    thresholds = deploy_thresholds or {}
    labels = [f"{a} (θ↑ {thresholds[a]:.2f})" if a in thresholds else a for a in order]
    fig = go.Figure()
    for i, (column, label, scale, fmt) in enumerate(views):
        grid = members.pivot(index="actor", columns="week", values=column).loc[order]
        fig.add_trace(go.Heatmap(
            z=grid.values, x=grid.columns, y=labels, zmin=0, zmax=1, colorscale=scale, visible=(i == 0), name=label,
            colorbar=dict(title=dict(text=label.replace(" of replicates", "<br>of replicates")), tickformat=fmt),
            hovertemplate=f"%{{y}} week %{{x}}<br>{label}: %{{z:{fmt}}}<extra></extra>"))
    buttons = [dict(label=label, method="update", args=[{"visible": [j == i for j in range(len(views))]}])
               for i, (_, label, _, _) in enumerate(views)]
    style(fig, title, "week", "coalition member" + (" (deploy threshold θ↑)" if thresholds else ""),
          height=max(420, 110 + 17 * len(order)))
    fig.update_layout(updatemenus=[dict(type="buttons", direction="right", buttons=buttons, showactive=True,
                                        x=0.0, xanchor="left", y=1.0, yanchor="bottom", pad=dict(t=0, b=4))],
                      margin=dict(t=100))
    fig.update_yaxes(tickfont=dict(size=11), automargin=True)
    return fig


def guarantee_chart(weekly: pd.DataFrame, cast: Cast | None = None) -> go.Figure:
    """The guarantor's guarantee credibility G and its leader's political capital P: median, 50% and 90% bands."""
    guarantee = (cast or Cast()).guarantee
    title = f"{guarantee[0].upper()}{guarantee[1:]} and its leader's political capital P"
    series = (("guarantee", "guarantee credibility G", GUARANTEE_COLOUR), ("capital", "political capital P", CAPITAL_COLOUR))
    columns = [c for name, _, _ in series for c in quantile_columns(name)]
    if (fig := missing(weekly, ("week", *columns), title)) is not None:
        return fig
    weeks = weekly["week"]
    fig = go.Figure()
    for name, label, colour in series:
        q05, q25, q50, q75, q95 = quantile_columns(name)
        fig.add_trace(band(weeks, weekly[q05], weekly[q95], colour, 0.12, legendgroup=name))
        fig.add_trace(band(weeks, weekly[q25], weekly[q75], colour, 0.25, legendgroup=name))
        fig.add_trace(go.Scatter(x=weeks, y=weekly[q50], name=label, legendgroup=name, mode="lines",
                                 line=dict(color=colour, width=2.5),
                                 customdata=weekly[[q05, q95]].to_numpy(),
                                 hovertemplate=(f"{label}, week %{{x}}<br>median %{{y:.3f}}"
                                                "<br>90%: %{customdata[0]:.3f}–%{customdata[1]:.3f}<extra></extra>")))
    style(fig, title, "week", "value on [0, 1]", height=440, legend_title="median, 50% and 90% bands")
    fig.update_yaxes(range=[0, 1])
    return fig
