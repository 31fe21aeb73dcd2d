"""Ensembles of replicates on the kernel path."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numba
import numpy as np
import pandas as pd

from . import checks
from .arrays import compile_params
from .ensemble_kernel import LEVEL_BINS, UNIT_BINS, run_replicates
from .layout import CLASH_CAUSES, Counts, Summaries
from .scenario import Scenario
from .simulate import check_scenario, check_seed

DEFAULT_BATCH = 20_000  # replicates per kernel call: bounds summary buffers and drives the progress bar


class DivergenceError(RuntimeError):
    """Too many replicates left the numeric range: their outcomes would be meaningless."""


@dataclass
class WeeklyCounts:
    """Integer accumulators over all replicates (merged across thread slots)."""

    hist_max: float
    level_hist: np.ndarray       # (weeks, n_states, LEVEL_BINS + 2): x == 0, (0, hist_max] bins, overflow
    rung_occ: np.ndarray         # (weeks, n_states, n_rungs)
    deployed_dist: np.ndarray    # (weeks, n_members + 1)
    commit_fp: np.ndarray        # (weeks, n_states): sum of commitments in fixed point 2**32
    deployed_member: np.ndarray  # (weeks, n_states)
    unit_hist: np.ndarray        # (weeks, 2, UNIT_BINS): guarantee G, political capital P
    unit_fp: np.ndarray          # (weeks, 2): fixed-point sums of G and P


@dataclass
class EnsembleResult:
    """What :func:`run_ensemble` returns: per-replicate summaries and per-week statistics."""

    scenario: Scenario
    seed: int
    replicates: int
    summary: pd.DataFrame
    counts: WeeklyCounts
    wall_time: float
    threads: int
    extra: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """All result tables by file stem (see :mod:`sim.results`)."""
        from .results import result_tables
        return result_tables(self)

    def headline(self) -> dict[str, float]:
        from .results import headline
        return headline(self)

    def save(self, directory, *, overwrite: bool = False, **manifest_extra) -> None:
        from .results import save_ensemble
        save_ensemble(self, directory, overwrite=overwrite, **manifest_extra)

    def check_divergence(self, max_share: float = checks.MAX_DIVERGED_SHARE) -> None:
        """Raise :class:`DivergenceError` when more than ``max_share`` of the replicates diverged.

        A diverged replicate had a level above ``outcomes.divergence_level`` (or not a
        number) and stopped; headline numbers over such replicates are not results.
        """
        max_share = checks.number("max_diverged_share", max_share, 0.0, 1.0)
        diverged = int(self.summary["diverged"].sum())
        if diverged <= max_share * self.replicates:
            return
        s = self.scenario
        raise DivergenceError(
            f"{s.source}: {diverged} of {self.replicates} replicates ({diverged / self.replicates:.1%}) diverged "
            f"(a level above outcomes.divergence_level={s.outcomes.divergence_level:g}), more than "
            f"max_diverged_share={max_share:g}: check the magnitudes of noise, reactions, grievance and "
            f"fatigue (fatigue * dt above 2 is unstable), or raise max_diverged_share")


def _allocate(p, slots: int, n_bins: int):
    weeks = p.steps // p.steps_per_week + 1
    return Counts(
        level_hist=np.zeros((slots, weeks, p.n_states, n_bins + 2), np.int64),
        rung_occ=np.zeros((slots, weeks, p.n_states, p.n_rungs), np.int64),
        deployed_dist=np.zeros((slots, weeks, p.n_members + 1), np.int64),
        commit_fp=np.zeros((slots, weeks, p.n_states), np.int64),
        deployed_member=np.zeros((slots, weeks, p.n_states), np.int64),
        unit_hist=np.zeros((slots, weeks, 2, UNIT_BINS), np.int64),
        unit_fp=np.zeros((slots, weeks, 2), np.int64),
    )


def run_ensemble(scenario: Scenario, replicates: int, seed: int, *, threads: int | None = None,
                 progress: bool = False, batch: int = DEFAULT_BATCH) -> EnsembleResult:
    """Run ``replicates`` independent replicates of ``scenario`` on the Numba kernel.

    Replicate ``r`` draws its random numbers from ``(seed, r, ...)`` only, so the
    result is the same for any ``threads`` and ``batch``. ``progress`` shows a
    progress bar over batches.
    """
    check_scenario(scenario)
    checks.integer("replicates", replicates, 1)
    check_seed(seed)
    threads = checks.threads(threads)
    checks.integer("batch", batch, 1)
    checks.flag("progress", progress)
    p = compile_params(scenario)
    old_threads = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(threads)
    try:
        slots = numba.get_num_threads()
        acc = _allocate(p, slots, LEVEL_BINS)
        hist_max = float(scenario.ladder[-1].threshold) * 1.25
        summary = _new_summaries(replicates, p.n_rungs)
        bar = _progress(replicates, progress, scenario.name)
        start = time.perf_counter()
        for first in range(0, replicates, batch):
            count = min(batch, replicates - first)
            # threads take chunks one at a time: one slowed by other work on the machine holds up no one
            with numba.parallel_chunksize(1):
                run_replicates(p, int(seed), first, count, hist_max, acc, summary)
            if bar is not None:
                bar.update(count)
        wall = time.perf_counter() - start
        if bar is not None:
            bar.close()
        used_threads = numba.get_num_threads()
    finally:
        numba.set_num_threads(old_threads)
    counts = WeeklyCounts(hist_max=hist_max, **{k: v.sum(axis=0) for k, v in acc._asdict().items()})
    return EnsembleResult(scenario=scenario, seed=int(seed), replicates=int(replicates),
                          summary=_frame(summary, scenario), counts=counts, wall_time=wall, threads=used_threads)


def _progress(total: int, enabled: bool, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=f"{name}", unit="rep", unit_scale=True, dynamic_ncols=True)


def _new_summaries(n: int, n_rungs: int) -> Summaries:
    """Per-replicate outcome columns in their final dtypes, as narrow as the schema allows (the summary is
    most of an ensemble's memory): weeks and counts int16 (at most ``MAX_HORIZON`` weeks and ``MAX_STATES``
    states), rungs int8 (at most ``MAX_RUNGS``)."""
    small = lambda: np.zeros(n, np.int16)  # noqa: E731
    return Summaries(
        max_rung=np.zeros(n, np.int8), max_rung_adversary=np.zeros(n, np.int8),
        first_week=np.zeros((n_rungs, n), np.int16),  # one contiguous column per rung
        clash_week=small(), clash_cause=np.zeros(n, np.int8), deployed_peak=small(), deployed_final=small(),
        guarantee_final=np.zeros(n), capital_final=np.zeros(n), diverged=np.zeros(n, np.bool_),
        diverged_week=small(), deescalated=np.zeros(n, np.bool_), ceasefire_week=small(),
    )


def _frame(out: Summaries, scenario: Scenario) -> pd.DataFrame:
    n = out.max_rung.shape[0]
    columns = {
        "replicate": np.arange(n, dtype=np.int64),
        "max_rung": out.max_rung,
        f"max_rung_{scenario.roles.adversary}": out.max_rung_adversary,
        "clash": out.clash_week >= 0,
        "clash_week": out.clash_week,
        "clash_cause": pd.Categorical.from_codes(out.clash_cause, categories=list(CLASH_CAUSES)),
        "deployed_peak": out.deployed_peak,
        "deployed_final": out.deployed_final,
        "us_guarantee_final": out.guarantee_final,
        "us_capital_final": out.capital_final,
        "deescalated": out.deescalated,
        "ceasefire_week": out.ceasefire_week,
        "diverged": out.diverged,
        "diverged_week": out.diverged_week,
    }
    for r in range(out.first_week.shape[0]):
        columns[f"first_week_rung_{r}"] = out.first_week[r]
    # the columns already have their final dtypes: no copy of a possibly very long table
    return pd.DataFrame(columns, copy=False)
