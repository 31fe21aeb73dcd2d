"""Figures of a sweep table (``sweep.parquet``): one row per parameter point and scenario.

Probabilities shown here are pooled over the points that share the plotted values
(successes and replicates added up), so a heatmap cell of a three-parameter sweep
is the clash probability averaged over the third parameter, with the Wilson
interval of the pooled count. Parameters sampled at many distinct values (Latin
hypercube, Sobol) are cut into equal-width bins first.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.results.stats import wilson_interval
from .cast import Cast
from .common import band, message_figure, scenario_colours, style

MAX_LEVELS = 12  # more distinct values than this are binned
BINS = 8


def outcome_label(cast: Cast | None = None) -> str:
    """``P(direct clash between Russia and the coalition)``: the outcome the figures draw, named by the ``cast``."""
    return (cast or Cast()).clash_probability()


def _done(table: pd.DataFrame | None) -> pd.DataFrame:
    if table is None or table.empty or "status" not in table:
        return pd.DataFrame()
    return table[(table["status"] == "ok") & (table["replicates"] > 0)]


def levels(values: pd.Series, bins: int = BINS) -> pd.Series:
    """A parameter's plotted value: itself when it takes few values, else its bin's midpoint."""
    if values.nunique() <= MAX_LEVELS:
        return values
    edges = np.linspace(values.min(), values.max(), bins + 1)
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    return pd.Series((edges[index] + edges[index + 1]) / 2, index=values.index, name=values.name)


def pool(table: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Pooled clash probability per group of ``by`` (after binning), with 95% Wilson bounds and replicates."""
    done = _done(table)
    if done.empty:
        return pd.DataFrame(columns=[*by, "hits", "replicates", "p_clash", "p_clash_lo", "p_clash_hi"])
    keys = {c: levels(done[c]) if c != "scenario" else done[c] for c in by}
    frame = pd.DataFrame({**keys, "hits": (done["p_clash"] * done["replicates"]).round(),
                          "replicates": done["replicates"]})
    grouped = frame.groupby(list(by), dropna=False)[["hits", "replicates"]].sum().reset_index()
    lo, hi = wilson_interval(grouped["hits"], grouped["replicates"])
    grouped["p_clash"] = grouped["hits"] / grouped["replicates"]
    grouped["p_clash_lo"], grouped["p_clash_hi"] = lo, hi
    return grouped


def scenario_bars(table: pd.DataFrame, cast: Cast | None = None) -> go.Figure:
    """Clash probability per scenario (pooled over its points) with 95% Wilson error bars."""
    title = f"{outcome_label(cast)} by scenario (95% Wilson interval)"
    data = pool(table, ["scenario"])
    if data.empty:
        return message_figure("No finished points to show.", title)
    fig = go.Figure(go.Bar(
        x=data["scenario"], y=data["p_clash"], marker_color="#1f77b4",
        error_y=dict(type="data", symmetric=False, array=data["p_clash_hi"] - data["p_clash"],
                     arrayminus=data["p_clash"] - data["p_clash_lo"]),
        customdata=np.c_[data["p_clash_lo"], data["p_clash_hi"], data["replicates"]],
        hovertemplate="%{x}: P=%{y:.3f} (95% CI %{customdata[0]:.3f}-%{customdata[1]:.3f}), "
                      "%{customdata[2]} replicates<extra></extra>"))
    return style(fig, title, "scenario", "probability")


def probability_range(table: pd.DataFrame, params: Sequence[str]) -> list[float]:
    """One y-range from 0 for every marginal of a sweep: panels share a scale, so equal slopes look equal."""
    top = max([float(pool(table, ["scenario", p])["p_clash_hi"].max()) for p in params] or [0.0])
    top = 1.0 if not np.isfinite(top) else min(1.0, max(0.05, top * 1.08))
    return [0.0, top]


def sweep_line(table: pd.DataFrame, x: str, label: str | None = None, baseline: float | None = None,
               y_range: Sequence[float] | None = None, cast: Cast | None = None) -> go.Figure:
    """Clash probability against one parameter, a line with a 95% band per scenario.

    The y-axis starts at 0 (``y_range``, by default [0, top of this figure's bands]), so a
    flat effect looks flat; a dashed line marks the scenario's own ``baseline`` value.
    """
    label = label or x
    title = f"{outcome_label(cast)} against {label} (95% Wilson band)"
    data = pool(table, ["scenario", x])
    if data.empty:
        return message_figure("No finished points to show.", title)
    colours = scenario_colours(list(data["scenario"]))
    fig = go.Figure()
    for name, d in data.groupby("scenario", sort=False):
        d = d.sort_values(x)
        c = colours[name]
        fig.add_trace(band(d[x], d["p_clash_lo"], d["p_clash_hi"], c, 0.18, legendgroup=str(name), mode="lines"))
        fig.add_trace(go.Scatter(x=d[x], y=d["p_clash"], name=str(name), mode="lines+markers", line=dict(color=c),
                                 legendgroup=str(name), customdata=np.c_[d["p_clash_lo"], d["p_clash_hi"], d["replicates"]],
                                 hovertemplate=f"{name}: {label}=%{{x:.3g}}, P=%{{y:.3f}} "
                                               "(95% CI %{customdata[0]:.3f}-%{customdata[1]:.3f}), "
                                               "%{customdata[2]} replicates<extra></extra>"))
    style(fig, title, label, "probability", legend_title="scenario")
    fig.update_yaxes(range=list(y_range) if y_range is not None else [0, min(1.0, float(data["p_clash_hi"].max()) * 1.08)],
                     tickformat=".0%")
    if baseline is not None:
        fig.add_vline(x=float(baseline), line=dict(color="#444", dash="dash", width=1.5))
        fig.add_annotation(x=float(baseline), y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"baseline {float(baseline):g}", font=dict(size=11, color="#444"))
    return fig


def sweep_heatmap(table: pd.DataFrame, x: str, y: str, scenario: str | None = None,
                  labels: dict | None = None, baseline: dict | None = None, cast: Cast | None = None) -> go.Figure:
    """Clash probability over a pair of parameters; each cell's hover gives its 95% interval.

    Ticks sit at the swept values (not at round numbers between them), axis titles use
    ``labels`` (path -> human label), and a ring marks the scenario's ``baseline`` values.
    """
    labels = labels or {}
    xl, yl = labels.get(x, x), labels.get(y, y)
    title = f"{outcome_label(cast)} over {xl} and {yl}" + (f" in {scenario}" if scenario else "")
    if scenario is not None and table is not None and not table.empty:
        table = table[table["scenario"] == scenario]
    data = pool(table, [x, y])
    if data.empty:
        return message_figure("No finished points to show.", title)
    grid = data.pivot(index=y, columns=x)
    bounds = np.dstack([grid["p_clash_lo"].values, grid["p_clash_hi"].values, grid["replicates"].fillna(0).values])
    xs, ys = [float(v) for v in grid["p_clash"].columns], [float(v) for v in grid.index]
    fig = go.Figure(go.Heatmap(
        z=grid["p_clash"].values, x=xs, y=ys, colorscale="Reds", zmin=0, zmax=1,
        colorbar=dict(title="P(clash)", tickformat=".0%"), customdata=bounds,
        hovertemplate=f"{xl}=%{{x:.3g}}, {yl}=%{{y:.3g}}<br>P=%{{z:.3f}} (95% CI %{{customdata[0]:.3f}}-"
                      "%{customdata[1]:.3f})<br>%{customdata[2]:.0f} replicates<extra></extra>"))
    if grid["p_clash"].size <= 100:
        fig.update_traces(texttemplate="%{z:.2f}")
    style(fig, title, xl, yl)
    fig.update_xaxes(tickmode="array", tickvals=xs, ticktext=[f"{v:.3g}" for v in xs])
    fig.update_yaxes(tickmode="array", tickvals=ys, ticktext=[f"{v:.3g}" for v in ys])
    if baseline and x in baseline and y in baseline:
        fig.add_trace(go.Scatter(x=[float(baseline[x])], y=[float(baseline[y])], mode="markers+text",
                                 name="baseline", text=["baseline"], textposition="top center", showlegend=False,
                                 marker=dict(symbol="circle-open", size=18, color="#1f1f1f", line=dict(width=2.5)),
                                 textfont=dict(color="#1f1f1f", size=11), hoverinfo="skip"))
    return fig


def effect_bars(effects: pd.DataFrame, cast: Cast | None = None) -> go.Figure:
    """Effect size per parameter: the range of pooled P(clash) across its values, largest on top.

    ``effects`` is :func:`sim.report.answer.effect_table`; the bar spans from the lowest to the
    highest marginal probability, on an axis from 0.
    """
    title = f"Effect size: range of {outcome_label(cast)} across each parameter's values"
    if effects is None or effects.empty:
        return message_figure("No parameter varies among the finished points.", title)
    data = effects.iloc[::-1]
    fig = go.Figure(go.Bar(
        y=data["label"], x=data["p_max"] - data["p_min"], base=data["p_min"], orientation="h", marker_color="#d62728",
        customdata=np.c_[data["p_min"], data["p_max"], 100 * data["effect"]],
        hovertemplate="%{y}: %{customdata[0]:.3f} to %{customdata[1]:.3f} (%{customdata[2]:.1f} points)"
                      "<extra></extra>"))
    style(fig, title, "probability (lowest to highest over the parameter's values)", "",
          height=max(260, 130 + 45 * len(data)))
    fig.update_xaxes(range=[0, min(1.0, max(0.05, float(data["p_max"].max()) * 1.08))], tickformat=".0%")
    fig.update_yaxes(automargin=True)
    return fig


def short_label(path: str, labels: dict | None = None) -> str:
    """A parameter's name short enough for a parallel-coordinates axis: its label, or the path's last two parts."""
    given = (labels or {}).get(path)
    text = given if given and given != path else ".".join(str(path).split(".")[-2:])
    return text if len(text) <= 28 else text[:27] + "…"


def parallel_coordinates(table: pd.DataFrame, params: Sequence[str], labels: dict | None = None,
                         cast: Cast | None = None) -> go.Figure:
    """Every finished point as a line through its parameter values, coloured by clash probability."""
    title = f"Parameter points coloured by {outcome_label(cast)}"
    done = _done(table)
    if done.empty or not params:
        return message_figure("No finished points to show.", title)
    dims = [dict(label=short_label(p, labels), values=done[p].astype(float)) for p in params]
    dims.append(dict(label="P(clash)", values=done["p_clash"], range=[0, max(float(done["p_clash"].max()), 1e-9)]))
    # Slanted axis titles: ten side by side do not fit level at 1400 px
    fig = go.Figure(go.Parcoords(line=dict(color=done["p_clash"], colorscale="Reds", showscale=True,
                                           colorbar=dict(title="P(clash)")), dimensions=dims,
                                 labelangle=-20 if len(dims) > 5 else 0, labelside="top"))
    fig.update_layout(title=title, template="plotly_white", margin=dict(t=160 if len(dims) > 5 else 90, l=60, r=40),
                      height=520 if len(dims) > 5 else 460)
    return fig


def tornado_table(table: pd.DataFrame, params: Sequence[str], share: float = 0.2) -> pd.DataFrame:
    """Per parameter: mean clash probability over points in its lowest and highest ``share`` of values."""
    done = _done(table)
    rows = []
    for p in params:
        if done.empty or done[p].nunique() < 2:
            continue
        lo_cut, hi_cut = done[p].quantile(share), done[p].quantile(1 - share)
        low = done.loc[done[p] <= lo_cut, "p_clash"].mean()
        high = done.loc[done[p] >= hi_cut, "p_clash"].mean()
        rows.append({"param": p, "low": low, "high": high, "effect": high - low})
    frame = pd.DataFrame(rows, columns=["param", "low", "high", "effect"])
    return frame.reindex(frame["effect"].abs().sort_values().index)


def sensitivity_tornado(table: pd.DataFrame, params: Sequence[str], labels: dict | None = None,
                        cast: Cast | None = None) -> go.Figure:
    """Tornado: how far the clash probability moves from a parameter's low fifth to its high fifth."""
    title = f"Sensitivity of {outcome_label(cast)}: mean over the lowest vs highest fifth of each parameter"
    data = tornado_table(table, params)
    if data.empty:
        return message_figure("No parameter varies among the finished points.", title)
    centre = float(_done(table)["p_clash"].mean())
    data = data.assign(param=[(labels or {}).get(p, p) for p in data["param"]])
    fig = go.Figure()
    for column, colour, name in (("low", "#1f77b4", "parameter low"), ("high", "#d62728", "parameter high")):
        fig.add_trace(go.Bar(y=data["param"], x=data[column] - centre, base=centre, orientation="h", name=name,
                             marker_color=colour, customdata=data[column],
                             hovertemplate="%{y}: P=%{customdata:.3f}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="overlay")
    return style(fig, title, "probability", "parameter", height=max(300, 120 + 40 * len(data)))


SENSITIVITY_LABELS = {"p_clash": "P(clash)", "mean_deployed_peak": "mean members deployed at peak",
                      "mean_max_rung_adversary": "mean highest rung of {adversary}"}


def sensitivity_bars(sensitivity: pd.DataFrame, outcome: str = "p_clash", scenario: str | None = None,
                     group: str | None = None, cast: Cast | None = None) -> go.Figure:
    """Sobol indices (first-order and total, 95% bootstrap bars) or Morris mu* of one outcome, largest on top.

    ``sensitivity`` is the table of ``sensitivity.parquet``; one ``scenario`` and
    ``group`` (values of Hydra-swept keys) is drawn, by default the first.
    """
    label = SENSITIVITY_LABELS.get(outcome, outcome).format(adversary=(cast or Cast()).adversary_name)
    data = sensitivity[(sensitivity["outcome"] == outcome) & (sensitivity["param"] != "")] \
        if sensitivity is not None and not sensitivity.empty else pd.DataFrame()
    if data.empty:
        return message_figure("No sensitivity indices for this outcome.", f"Sensitivity of {label}")
    first = data[["scenario", "group"]].drop_duplicates().iloc[0]
    scenario = first["scenario"] if scenario is None else scenario
    group = first["group"] if group is None else group
    data = data[(data["scenario"] == scenario) & (data["group"] == group)]
    if data.empty:
        return message_figure("No sensitivity indices for this scenario.", f"Sensitivity of {label}")
    suffix = f" in {scenario}" + (f" ({group})" if group else "")
    if data["method"].iloc[0] == "sobol":
        data = data.sort_values("ST")
        fig = go.Figure()
        for column, colour, name in (("S1", "#1f77b4", "first order S1"), ("ST", "#d62728", "total ST")):
            fig.add_trace(go.Bar(y=data["param"], x=data[column], orientation="h", name=name, marker_color=colour,
                                 error_x=dict(type="data", array=data[f"{column}_conf"]),
                                 hovertemplate="%{y}: %{x:.3f}<extra>" + name + "</extra>"))
        fig.update_layout(barmode="group")
        title, x_title = f"Sobol indices of {label}{suffix} (95% bootstrap bars)", "share of variance"
    else:
        data = data.sort_values("mu_star")
        fig = go.Figure(go.Bar(y=data["param"], x=data["mu_star"], orientation="h", marker_color="#1f77b4",
                               error_x=dict(type="data", array=data["mu_star_conf"]), name="mu*",
                               customdata=data["sigma"],
                               hovertemplate="%{y}: mu*=%{x:.3g}, sigma=%{customdata:.3g}<extra></extra>"))
        title, x_title = f"Morris screening of {label}{suffix}: mean absolute elementary effect", "mu* (per range)"
    return style(fig, title, x_title, "parameter", height=max(300, 140 + 40 * len(data)))
