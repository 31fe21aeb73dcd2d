"""The tables of an ensemble, from its weekly counts and per-replicate summaries.

``summary`` one row per replicate; ``steps`` per week and actor; ``weekly`` per
week; ``deployed`` per week and deployed count; ``members`` per week and coalition
member (docs/outputs.md lists every column; :mod:`sim.results.columns`
names them). :mod:`sim.results.storage` writes them into a run directory.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as col
from .columns import QUANTILES
from .stats import median_of, wilson_interval


def hist_quantiles(counts: np.ndarray, edges: np.ndarray, qs=QUANTILES) -> np.ndarray:
    """Quantiles from histogram counts along the last axis, linear within a bin.

    ``edges`` has ``n_bins + 1`` entries. Resolution is one bin width.
    """
    total = counts.sum(axis=-1, keepdims=True)
    cum = np.cumsum(counts, axis=-1)
    out = np.empty(counts.shape[:-1] + (len(qs),))
    for j, q in enumerate(qs):
        target = q * total
        b = np.minimum((cum < target).sum(axis=-1, keepdims=True), counts.shape[-1] - 1)
        below = np.take_along_axis(cum, b, -1) - np.take_along_axis(counts, b, -1)
        inside = np.take_along_axis(counts, b, -1)
        frac = np.where(inside > 0, (target - below) / np.maximum(inside, 1), 0.0)
        out[..., j] = (edges[b] + frac * (edges[b + 1] - edges[b]))[..., 0]
    return out


def level_quantiles(level_hist: np.ndarray, hist_max: float, qs=QUANTILES) -> np.ndarray:
    """Quantiles of x from the level histogram: bin 0 is x == 0, the last bin is > hist_max."""
    n_bins = level_hist.shape[-1] - 2
    width = hist_max / n_bins
    # zero bin -> [0, 0]; overflow bin reported at its lower edge (documented resolution limit)
    edges = np.concatenate([[0.0, 0.0], np.arange(1, n_bins + 1) * width, [hist_max]])
    return hist_quantiles(level_hist, edges, qs)


def result_tables(result) -> dict[str, pd.DataFrame]:
    s, c, n_rep = result.scenario, result.counts, result.replicates
    weeks = np.arange(s.horizon + 1)
    ids = list(s.actor_ids)
    # steps: per week and actor
    q = level_quantiles(c.level_hist, c.hist_max)
    occ = c.rung_occ / n_rep
    rows = {"week": np.repeat(weeks, len(ids)), "actor": np.tile(ids, len(weeks))}
    for j, qq in enumerate(QUANTILES):
        rows[col.quantile(qq)] = q[:, :, j].ravel()
    for r in range(len(s.ladder)):
        rows[col.rung_share(r)] = occ[:, :, r].ravel()
    steps = pd.DataFrame(rows)
    # weekly: crossing probabilities from the first-passage weeks of the replicates
    o = result.outcomes
    weekly = {"week": weeks}
    for r in range(len(s.ladder)):
        weekly[col.crossed(r)] = o.reached_by(r) / n_rep
    clashed = o.reached_by()
    lo, hi = wilson_interval(clashed, n_rep)
    weekly.update(p_clash=clashed / n_rep, p_clash_lo=lo, p_clash_hi=hi)
    dep_edges = np.arange(c.deployed_dist.shape[1] + 1, dtype=float)
    dq = hist_quantiles(c.deployed_dist, dep_edges)
    weekly["deployed_mean"] = (c.deployed_dist * np.arange(c.deployed_dist.shape[1])).sum(axis=1) / n_rep
    for j, qq in enumerate(QUANTILES):
        weekly[col.quantile(qq, "deployed")] = np.floor(dq[:, j])
    unit_edges = np.linspace(0.0, 1.0, c.unit_hist.shape[-1] + 1)
    for k, name in enumerate(("guarantee", "capital")):
        weekly[f"{name}_mean"] = c.unit_fp[:, k] / c.fixed_point / n_rep
        uq = hist_quantiles(c.unit_hist[:, k, :], unit_edges)
        for j, qq in enumerate(QUANTILES):
            weekly[col.quantile(qq, name)] = uq[:, j]
    deployed = pd.DataFrame({
        "week": np.repeat(weeks, c.deployed_dist.shape[1]),
        "n_deployed": np.tile(np.arange(c.deployed_dist.shape[1]), len(weeks)),
        "share": (c.deployed_dist / n_rep).ravel(),
    })
    members = [i for i, st in enumerate(s.states) if st.coalition is not None]
    member_rows = pd.DataFrame({
        "week": np.repeat(weeks, len(members)),
        "actor": np.tile([ids[i] for i in members], len(weeks)),
        "commitment_mean": (c.commit_fp[:, members] / c.fixed_point / n_rep).ravel(),
        "deployed_share": (c.deployed_member[:, members] / n_rep).ravel(),
    })
    tables = {"steps": steps, "weekly": pd.DataFrame(weekly), "deployed": deployed, "members": member_rows}
    return tables if result.summary is None else {"summary": result.summary, **tables}


def headline(result) -> dict[str, float]:
    """The numbers a reader wants first, with 95% Wilson intervals for probabilities."""
    o = result.outcomes
    n = o.replicates
    clash = o.clashed
    lo, hi = wilson_interval(clash, n)
    return {
        "replicates": n,
        "p_clash": clash / n, "p_clash_lo": float(lo), "p_clash_hi": float(hi),
        "p_clash_incident": o.share("incident"),
        "p_clash_deliberate": o.share("deliberate"),
        "median_max_rung": median_of(o.max_rung),
        "median_deployed_peak": median_of(o.deployed_peak),
        "median_deployed_final": median_of(o.deployed_final),
        "mean_us_guarantee_final": o.mean_guarantee(),
        "p_deescalated": o.deescalated / n,
        "p_diverged": o.diverged / n,
    }
