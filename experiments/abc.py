"""Approximate Bayesian computation of scenario parameters against target statistics of the ensemble.

ABC-SMC in the adaptive population Monte Carlo form of Lenormand, Jabot & Deffuant
(2013, *Computational Statistics* 28:2777-2796), with the importance weights and the
Gaussian kernel (twice the weighted covariance) of Beaumont et al. (2009,
*Biometrika* 96:983-990):

1. draw ``2 N`` parameter sets from the uniform prior, simulate each, keep the ``N``
   closest to the targets (their largest distance is the first tolerance);
2. each further generation draws ``N`` new sets from the kept ones (chosen by weight,
   moved by the kernel, redrawn until inside the prior box), weighs each new set by
   prior / kernel mixture, pools them with the kept ones and keeps the ``N`` closest.

Every generation costs exactly ``N`` ensemble runs, so the cost is known before it
starts (a rejection sampler with a fixed tolerance schedule is not). Distances are
Euclidean on statistics divided by their median absolute deviation over the first
generation (the statistics have different units). A parameter set that the scenario
rejects (a value out of range) is infinitely far.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from sim.points import ScenarioPoints, adversary_column

ACCEPT = 0.5  # share of the pooled population kept each generation


def statistics(summary: pd.DataFrame, n_rungs: int | None = None) -> dict[str, float]:
    """Target statistics of one ensemble (its per-replicate ``summary``).

    ``p_clash``, ``mean_deployed_peak``, ``mean_us_guarantee_final``,
    ``mean_max_rung_adversary`` and ``p_adversary_rung_<r>`` for r >= 1: the share of
    replicates whose adversary reached rung r or higher.
    """
    adversary = adversary_column(summary)
    stats = {"p_clash": float(summary["clash"].mean()),
             "mean_deployed_peak": float(summary["deployed_peak"].mean()),
             "mean_us_guarantee_final": float(summary["us_guarantee_final"].mean())}
    if adversary is not None:
        top = summary[adversary].to_numpy()
        stats["mean_max_rung_adversary"] = float(top.mean())
        rungs = n_rungs if n_rungs is not None else sum(c.startswith("first_week_rung_") for c in summary.columns)
        for r in range(1, rungs):
            stats[f"p_adversary_rung_{r}"] = float((top >= r).mean())
    return stats


@dataclass
class Calibration:
    """Weighted posterior samples (``samples``: one column per path, ``weight``, ``distance``) and the run's record."""

    samples: pd.DataFrame
    params: dict[str, tuple[float, float]]
    targets: dict[str, float]
    tolerances: list[float] = field(default_factory=list)
    simulations: int = 0
    scale: dict[str, float] = field(default_factory=dict)

    def interval(self, level: float = 0.9) -> pd.DataFrame:
        """Weighted central ``level`` interval and mean of each parameter."""
        rows = {}
        w = self.samples["weight"].to_numpy()
        for path in self.params:
            v = self.samples[path].to_numpy()
            order = np.argsort(v)
            cdf = np.cumsum(w[order]) / w.sum()
            lo = v[order][np.searchsorted(cdf, (1 - level) / 2)]
            hi = v[order][min(np.searchsorted(cdf, 1 - (1 - level) / 2), len(v) - 1)]
            rows[path] = {"mean": float(np.average(v, weights=w)), "low": float(lo), "high": float(hi)}
        return pd.DataFrame(rows).T

    def draw(self, n: int, seed: int) -> pd.DataFrame:
        """``n`` parameter sets drawn with replacement by weight."""
        rng = np.random.default_rng(seed)
        w = self.samples["weight"].to_numpy()
        picks = rng.choice(len(w), size=n, p=w / w.sum())
        return self.samples.iloc[picks][list(self.params)].reset_index(drop=True)


def calibrate(scenario, params: Mapping[str, tuple[float, float]], targets: Mapping[str, float], *,
              replicates: int = 200, population: int = 100, generations: int = 4, seed: int = 0,
              overrides: Mapping[str, object] | None = None, progress: bool = True) -> Calibration:
    """ABC-SMC of ``params`` (dotted path -> uniform prior ``(low, high)``) against ``targets``.

    ``scenario`` is a scenario name or file (with ``overrides``); every candidate is an
    ensemble of ``replicates`` whose :func:`statistics` are compared with ``targets``.
    Costs ``population * (generations + 1)`` ensembles.
    """
    if generations < 1 or population < 4:
        raise ValueError(f"need generations >= 1 and population >= 4, got {generations} and {population}")
    params = {str(p): (float(lo), float(hi)) for p, (lo, hi) in params.items()}
    if not params or any(not lo < hi for lo, hi in params.values()):
        raise ValueError(f"params: expected {{path: (low, high)}} with low < high, got {params}")
    if not targets:
        raise ValueError("targets: at least one target statistic is needed")
    points = ScenarioPoints(scenario, overrides)
    paths, names = list(params), list(targets)
    lo, hi = np.array([params[p][0] for p in paths]), np.array([params[p][1] for p in paths])
    target = np.array([targets[k] for k in names], dtype=float)
    rng = np.random.default_rng(seed)
    bar = _bar(generations, progress, points.name)

    def simulate(thetas: np.ndarray) -> np.ndarray:
        seeds = rng.integers(0, 2 ** 62, size=len(thetas))
        return np.array([_stats(points, dict(zip(paths, th)), names, replicates, int(s))
                         for th, s in zip(thetas, seeds)])

    thetas = lo + rng.random((2 * population, len(paths))) * (hi - lo)
    stats = simulate(thetas)
    finite = np.isfinite(stats).all(axis=1)
    if not finite.any():
        raise ValueError(f"{points.name}: no parameter set of the prior could be simulated")
    mad = np.median(np.abs(stats[finite] - np.median(stats[finite], axis=0)), axis=0)
    scale = np.where(mad > 0, mad, np.maximum(np.abs(target), 1.0) * 1e-2)
    dist = _distance(stats, target, scale)
    keep = np.argsort(dist, kind="stable")[:population]
    # raw weights are prior / proposal density ratios (1 for draws from the prior), so sets
    # kept from earlier generations and new ones stay comparable when pooled
    thetas, dist, raw = thetas[keep], dist[keep], np.ones(population)
    tolerances, simulations = [float(dist.max())], 2 * population
    _tick(bar, tolerances[-1])
    volume = float(np.prod(hi - lo))
    for _ in range(generations - 1):
        weights = raw / raw.sum()
        cov = 2 * np.atleast_2d(np.cov(thetas.T, aweights=weights)) + 1e-12 * np.eye(len(paths))
        new = _propose(rng, thetas, weights, cov, lo, hi, population)
        new_dist = _distance(simulate(new), target, scale)
        thetas, dist = np.r_[thetas, new], np.r_[dist, new_dist]
        raw = np.r_[raw, _importance(new, thetas[:population], weights, cov, volume)]
        keep = np.argsort(dist, kind="stable")[:population]
        thetas, dist, raw = thetas[keep], dist[keep], raw[keep]
        simulations += population
        tolerances.append(float(dist.max()))
        _tick(bar, tolerances[-1])
    weights = raw / raw.sum()
    if bar is not None:
        bar.close()
    samples = pd.DataFrame(thetas, columns=paths).assign(weight=weights, distance=dist)
    return Calibration(samples=samples, params=params, targets=dict(targets), tolerances=tolerances,
                       simulations=simulations, scale=dict(zip(names, scale.tolist())))


def _stats(points: ScenarioPoints, values: dict, names: list[str], replicates: int, seed: int) -> np.ndarray:
    from sim.ensemble import run_ensemble
    from sim.validate import ScenarioError
    try:
        scenario = points.at(values)
    except ScenarioError:
        return np.full(len(names), np.nan)
    stats = statistics(run_ensemble(scenario, replicates, seed).summary, len(scenario.ladder))
    missing = [k for k in names if k not in stats]
    if missing:
        raise ValueError(f"targets: unknown statistic {missing[0]!r}; expected one of {', '.join(stats)}")
    return np.array([stats[k] for k in names])


def _distance(stats: np.ndarray, target: np.ndarray, scale: np.ndarray) -> np.ndarray:
    d = np.sqrt((((stats - target) / scale) ** 2).sum(axis=1))
    return np.where(np.isfinite(d), d, np.inf)


def _propose(rng, thetas, weights, cov, lo, hi, count) -> np.ndarray:
    out = np.empty((0, thetas.shape[1]))
    while len(out) < count:  # the prior is a box: redraw what falls outside it
        picks = rng.choice(len(thetas), size=2 * count, p=weights)
        moved = thetas[picks] + rng.multivariate_normal(np.zeros(thetas.shape[1]), cov, size=2 * count)
        out = np.r_[out, moved[((moved >= lo) & (moved <= hi)).all(axis=1)]]
    return out[:count]


def _importance(new, thetas, weights, cov, volume: float) -> np.ndarray:
    """Uniform prior density over the Gaussian kernel mixture's density at each new set."""
    inv = np.linalg.inv(cov)
    norm = 1.0 / np.sqrt((2 * np.pi) ** len(cov) * np.linalg.det(cov))
    diff = new[:, None, :] - thetas[None, :, :]
    kernel = norm * np.exp(-0.5 * np.einsum("nki,ij,nkj->nk", diff, inv, diff))
    return (1.0 / volume) / np.maximum(kernel @ weights, 1e-300)


def _bar(generations: int, enabled: bool, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=generations, desc=f"ABC-SMC {name}", unit="gen", dynamic_ncols=True)


def _tick(bar, tolerance: float) -> None:
    if bar is not None:
        bar.set_postfix(tolerance=f"{tolerance:.3g}")
        bar.update(1)


def posterior_predictive(result: Calibration, scenario, *, draws: int = 100, replicates: int = 200, seed: int = 0,
                         overrides: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Push posterior draws through ``scenario`` (any scenario, e.g. a what-if): one row per replicate.

    Columns: ``draw``, the drawn parameter values, then the ensemble's per-replicate
    summary; statistics over all rows carry the parameters' uncertainty.
    """
    from sim.ensemble import run_ensemble
    points = ScenarioPoints(scenario, overrides)
    frames = []
    rng = np.random.default_rng(seed)
    for i, values in result.draw(draws, seed).iterrows():
        summary = run_ensemble(points.at(values.to_dict()), replicates, int(rng.integers(0, 2 ** 62))).summary
        frames.append(summary.assign(draw=i, **values.to_dict()))
    return pd.concat(frames, ignore_index=True)
