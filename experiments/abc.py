"""Approximate Bayesian computation of scenario parameters against target statistics of the ensemble.

ABC-SMC by pyABC (Schälte et al. 2022, *Journal of Open Source Software* 7(74):4304),
the field's maintained implementation of sequential Monte Carlo ABC (Toni et al. 2009;
Beaumont et al. 2009): each generation proposes parameter sets from the previous
population through an adaptive multivariate normal kernel, simulates each, accepts those
within a tolerance that shrinks from generation to generation (the median distance of
the previous population), and weighs them by prior over proposal density. Distances are
Euclidean on statistics scaled by their median absolute deviation, re-estimated every
generation (``AdaptivePNormDistance``; Prangle 2017), because the statistics have
different units.

Each candidate is a whole ensemble of the scenario, run in this process
(``SingleCoreSampler``): the Numba runner already spreads its replicates over the cores.
pyABC draws from NumPy's global generator, which :func:`calibrate` seeds, so a
calibration is repeatable.
"""
from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from experiments.points import ScenarioPoints, adversary_column

PYABC_LOGGERS = ("ABC", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon", "ABC.Acceptor", "ABC.History",
                 "ABC.Transition", "ABC.Adaptation", "ABC.Population", "ABC.Predictor", "ABC.Sumstat")


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
    """Weighted posterior samples (``samples``: one column per path, ``weight``) and the run's record.

    ``tolerances``: the acceptance tolerance of each generation (each in its own generation's
    distance scale, which adapts); ``simulations``: ensembles run.
    """

    samples: pd.DataFrame
    params: dict[str, tuple[float, float]]
    targets: dict[str, float]
    tolerances: list[float] = field(default_factory=list)
    simulations: int = 0

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
              overrides: Mapping[str, object] | None = None, progress: bool = True,
              max_simulations: int | None = None, database: str | None = None) -> Calibration:
    """ABC-SMC of ``params`` (dotted path -> uniform prior ``(low, high)``) against ``targets``.

    ``scenario`` is a scenario name, file or validated :class:`~sim.Scenario` (with
    ``overrides``); every candidate is an ensemble of ``replicates`` whose
    :func:`statistics` are compared with ``targets``. Runs ``generations`` populations
    of ``population`` accepted sets (or stops after ``max_simulations`` ensembles);
    ``database`` (an SQLAlchemy URL such as ``sqlite:///abc.db``) keeps pyABC's full history.
    """
    import pyabc
    from sim.results.ensemble import run_ensemble

    if generations < 1 or population < 2:
        raise ValueError(f"need generations >= 1 and population >= 2, got {generations} and {population}")
    params = {str(p): (float(lo), float(hi)) for p, (lo, hi) in params.items()}
    if not params or any(not lo < hi for lo, hi in params.values()):
        raise ValueError(f"params: expected {{path: (low, high)}} with low < high, got {params}")
    points = ScenarioPoints(scenario, overrides)
    for path, (lo, hi) in params.items():  # a bad path or bound fails here, not deep inside a generation
        points.at({path: lo}), points.at({path: hi})
    n_rungs = len(points.base.ladder)
    known = statistics(run_ensemble(points.base, 1, seed).summary, n_rungs)
    unknown = [k for k in targets if k not in known]
    if not targets or unknown:
        problem = f"unknown statistic {unknown[0]!r}" if unknown else "none given"
        raise ValueError(f"targets: {problem}; expected some of {', '.join(known)}")
    names = {f"p{i}": path for i, path in enumerate(params)}  # pyABC's parameter names must be identifiers

    def model(parameters) -> dict:
        values = {path: float(parameters[key]) for key, path in names.items()}
        ensemble_seed = int(np.random.randint(0, 2 ** 62, dtype=np.int64))
        stats = statistics(run_ensemble(points.at(values), replicates, ensemble_seed).summary, n_rungs)
        return {k: stats[k] for k in targets}

    prior = pyabc.Distribution(**{key: pyabc.RV("uniform", params[path][0], params[path][1] - params[path][0])
                                  for key, path in names.items()})
    abc = pyabc.ABCSMC(model, prior, distance_function=pyabc.AdaptivePNormDistance(p=2),
                       population_size=population, sampler=pyabc.sampler.SingleCoreSampler())
    np.random.seed(seed % 2 ** 32)
    with tempfile.TemporaryDirectory() as folder, _Quiet(generations if progress else 0, points.name):
        abc.new(database or f"sqlite:///{Path(folder) / 'abc.db'}", {k: float(v) for k, v in targets.items()})
        history = abc.run(max_nr_populations=generations,
                          max_total_nr_simulations=max_simulations if max_simulations else np.inf)
        frame, weights = history.get_distribution(m=0, t=history.max_t)
        populations = history.get_all_populations()
        simulations = int(history.total_nr_simulations)
    samples = frame.rename(columns=names)[list(params)].reset_index(drop=True).assign(weight=weights / weights.sum())
    tolerances = populations.loc[populations["t"] >= 0, "epsilon"].astype(float).tolist()
    return Calibration(samples=samples, params=params, targets=dict(targets), tolerances=tolerances,
                       simulations=simulations)


class _GenerationBar(logging.Handler):
    """A progress bar over generations, fed by pyABC's one log line per finished generation."""

    def __init__(self, bar):
        super().__init__(logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("t: "):
            self.bar.set_postfix(tolerance=message.split("eps: ")[-1].rstrip("."))
        elif message.startswith("Accepted: "):
            self.bar.update(1)


class _Quiet:
    """Silence pyABC's logging while it runs (it logs every generation at INFO); show a bar instead."""

    def __init__(self, generations: int, name: str):
        self.generations, self.name = generations, name

    def __enter__(self):
        self.levels = {n: logging.getLogger(n).level for n in PYABC_LOGGERS}
        for n in PYABC_LOGGERS:
            logging.getLogger(n).setLevel(logging.WARNING)
        own = logging.getLogger("ABC").handlers   # pyABC prints through a handler of its own
        self.handler_levels = [(h, h.level) for h in own]
        for h in own:
            h.setLevel(logging.WARNING)
        self.bar = self.handler = None
        if self.generations:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=self.generations, desc=f"ABC-SMC {self.name}", unit="gen", dynamic_ncols=True)
            self.handler = _GenerationBar(self.bar)
            logging.getLogger("ABC").setLevel(logging.INFO)
            logging.getLogger("ABC").propagate = False
            logging.getLogger("ABC").addHandler(self.handler)
        return self

    def __exit__(self, *exc):
        if self.handler is not None:
            logging.getLogger("ABC").removeHandler(self.handler)
            logging.getLogger("ABC").propagate = True
            self.bar.close()
        for n, level in self.levels.items():
            logging.getLogger(n).setLevel(level)
        for h, level in self.handler_levels:
            h.setLevel(level)
        return False


def posterior_predictive(result: Calibration, scenario, *, draws: int = 100, replicates: int = 200, seed: int = 0,
                         overrides: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Push posterior draws through ``scenario`` (any scenario, e.g. a what-if): one row per replicate.

    Columns: ``draw``, the drawn parameter values, then the ensemble's per-replicate
    summary; statistics over all rows carry the parameters' uncertainty.
    """
    from sim.results.ensemble import run_ensemble
    points = ScenarioPoints(scenario, overrides)
    frames = []
    rng = np.random.default_rng(seed)
    for i, values in result.draw(draws, seed).iterrows():
        summary = run_ensemble(points.at(values.to_dict()), replicates, int(rng.integers(0, 2 ** 62))).summary
        frames.append(summary.assign(draw=i, **values.to_dict()))
    return pd.concat(frames, ignore_index=True)
