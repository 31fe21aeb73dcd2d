"""Scenario discovery: PRIM boxes, the parameter ranges where a binary outcome concentrates.

PRIM (Friedman & Fisher 1999) peels the input box a little at a time, keeping the
part where the outcome is most frequent; every step trades *coverage* (the share of
all cases of interest inside the box) for *density* (the share of cases of interest
among the points in the box). The peeling is the EMA Workbench's implementation
(Kwakkel 2017, *Environmental Modelling & Software* 96:239-250), the reference
tool of scenario discovery; this module chooses a box on its trajectory, states it
as parameter ranges and draws the trade-off.
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

OUTCOME_ALIASES = {"clash": "p_clash", "deployed": "mean_deployed_peak", "rung": "mean_max_rung_adversary"}
TOP_SHARE = 0.25  # without a threshold, the points of interest are the top quarter of the outcome


@dataclass
class PrimBox:
    """A PRIM box: ``limits`` (``low``, ``high`` per input), its ``coverage`` and ``density``.

    ``trajectory`` has one row per peeling step (``coverage``, ``density``, ``mass``,
    ``res_dim``: restricted inputs); ``chosen`` is the row of the box.
    """

    limits: pd.DataFrame
    coverage: float
    density: float
    mass: float
    trajectory: pd.DataFrame
    chosen: int
    boxes: list[pd.DataFrame]

    @property
    def restricted(self) -> pd.DataFrame:
        """Only the inputs the box restricts (what a reader needs)."""
        full = self.boxes[0]
        keep = [name for name in self.limits.index
                if not np.isclose(self.limits.at[name, "low"], full.at[name, "low"])
                or not np.isclose(self.limits.at[name, "high"], full.at[name, "high"])]
        return self.limits.loc[keep]

    def select(self, step: int) -> "PrimBox":
        """The box of another step of the trajectory."""
        row = self.trajectory.iloc[step]
        return PrimBox(self.boxes[step], float(row["coverage"]), float(row["density"]), float(row["mass"]),
                       self.trajectory, int(step), self.boxes)

    def describe(self) -> str:
        lines = [f"box at step {self.chosen}: coverage {self.coverage:.3f}, density {self.density:.3f}, "
                 f"mass {self.mass:.3f}"]
        restricted = self.restricted
        for name, row in restricted.iterrows():
            lines.append(f"  {row['low']:.4g} <= {name} <= {row['high']:.4g}")
        if restricted.empty:
            lines.append("  (no input restricted)")
        return "\n".join(lines)


def prim(X: pd.DataFrame, y, *, threshold: float = 0.8, peel_alpha: float = 0.05, mass_min: float = 0.05) -> PrimBox:
    """Find a PRIM box where ``y`` (boolean, one per row of ``X``) is concentrated.

    Peels until the box holds less than ``mass_min`` of the points; the chosen box is
    the one of greatest coverage among those of density at least ``threshold``
    (the densest if none reaches it). Inputs the box leaves alone keep the data's range.
    """
    X = pd.DataFrame(X).reset_index(drop=True)
    y = np.asarray(y)
    if y.dtype != bool:
        if not np.isin(y, (0, 1)).all():
            raise ValueError("y: expected a boolean outcome (or 0/1) per row of X")
        y = y.astype(bool)
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} values but X has {len(X)} rows")
    if not y.any():
        raise ValueError("y: no case of interest (every value is False): nothing to find")
    numeric = X.select_dtypes("number")
    if numeric.shape[1] != X.shape[1]:
        raise ValueError(f"X: only numeric inputs are supported, got {sorted(set(X) - set(numeric))}")
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench warns about optional parallel back-ends on import
        from ema_workbench.analysis import prim as ema_prim
        finder = ema_prim.Prim(X.astype(float), y, threshold=threshold, peel_alpha=peel_alpha, mass_min=mass_min)
        found = finder.find_box()
    trajectory = found.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].reset_index(drop=True)
    boxes = [_limits(b) for b in found.box_lims]
    dense = trajectory.index[trajectory["density"] >= threshold]
    step = int(trajectory.loc[dense, "coverage"].idxmax()) if len(dense) else int(trajectory["density"].idxmax())
    return PrimBox(boxes[0], 0, 0, 1, trajectory, 0, boxes).select(step)


def _limits(box: pd.DataFrame) -> pd.DataFrame:
    frame = box.T.astype(float)
    frame.columns = ["low", "high"]
    frame.index.name = "input"
    return frame


def trajectory_figure(box: PrimBox, title: str = "PRIM peeling trajectory") -> go.Figure:
    """Coverage against density of every peeling step, coloured by restricted inputs; the chosen box ringed."""
    t = box.trajectory
    fig = go.Figure(go.Scatter(
        x=t["coverage"], y=t["density"], mode="markers+lines", name="peeling steps",
        marker=dict(color=t["res_dim"], colorscale="Viridis", showscale=True, colorbar=dict(title="inputs<br>restricted")),
        customdata=np.c_[t.index, t["mass"]],
        hovertemplate="step %{customdata[0]}: coverage %{x:.3f}, density %{y:.3f}, mass %{customdata[1]:.3f}"
                      "<extra></extra>"))
    fig.add_trace(go.Scatter(x=[box.coverage], y=[box.density], mode="markers", name=f"chosen box (step {box.chosen})",
                             marker=dict(size=16, symbol="circle-open", color="#d62728", line=dict(width=3))))
    fig.update_layout(title=title, xaxis_title="coverage", yaxis_title="density", template="plotly_white")
    return fig


def limits_figure(box: PrimBox, title: str = "PRIM box: ranges of the restricted inputs") -> go.Figure:
    """Each restricted input's range in the box, as a share of its range in the data."""
    full, restricted = box.boxes[0], box.restricted
    fig = go.Figure()
    if restricted.empty:
        fig.add_annotation(text="The box restricts no input.", showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    for name, row in restricted.iterrows():
        lo, hi = full.at[name, "low"], full.at[name, "high"]
        span = hi - lo if hi > lo else 1.0
        fig.add_trace(go.Bar(y=[name], x=[(row["high"] - row["low"]) / span], base=[(row["low"] - lo) / span],
                             orientation="h", marker_color="#d62728", showlegend=False,
                             hovertemplate=f"{name}: {row['low']:.4g} to {row['high']:.4g} "
                                           f"(data {lo:.4g} to {hi:.4g})<extra></extra>"))
    fig.update_layout(title=title, xaxis=dict(range=[0, 1], title="share of the input's range in the data"),
                      template="plotly_white", height=max(300, 140 + 40 * len(restricted)))
    return fig


def sweep_outcome(table: pd.DataFrame, outcome: str,
                  threshold: float | None = None) -> tuple[pd.DataFrame, np.ndarray, float]:
    """Inputs (swept parameters), a boolean outcome and its threshold from a sweep table's finished points.

    ``outcome`` is a column of the table (``p_clash``) or an alias (``clash``,
    ``deployed``, ``rung``); a point is a case of interest when the column is at or
    above ``threshold`` (default: its upper quartile over the points, the top quarter).
    """
    from sim.results.sweep import swept_params
    column = OUTCOME_ALIASES.get(outcome, outcome)
    if column not in table:
        known = sorted(c for c in table.columns if c.startswith(("p_", "mean_", "median_")) and not c.endswith(("_lo", "_hi")))
        raise ValueError(f"--outcome: unknown outcome {outcome!r}; expected one of {', '.join([*OUTCOME_ALIASES, *known])}")
    done = table[table["status"] == "ok"] if "status" in table else table
    inputs = [c for c in swept_params(done) if pd.api.types.is_numeric_dtype(done[c])]
    if not inputs:
        raise ValueError("the sweep has no numeric swept parameter to find a box over")
    values = done[column].to_numpy(dtype=float)
    cut = float(np.quantile(values, 1 - TOP_SHARE)) if threshold is None else float(threshold)
    return done[inputs].reset_index(drop=True), values >= cut, cut
