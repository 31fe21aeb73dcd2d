"""Run many replicates of packed parameters: thread slots, batches, merged counts (NumPy in, NumPy out).

``sim.results.ensemble`` turns what :func:`run_batches` returns into tables; this
module knows nothing of pandas. Replicate ``r`` draws its random numbers from
``(seed, r, ...)`` only, so the counts and summaries are the same for any number
of threads and any batch size.
"""
from __future__ import annotations

import time
from typing import Any, Callable, NamedTuple

import numba
import numpy as np

from sim import checks

from .ensemble import LEVEL_BINS, UNIT_BINS, run_replicates
from .layout import L_THRESHOLD, Counts, Params, Summaries

DEFAULT_BATCH = 20_000  # replicates per kernel call: bounds summary buffers and drives the progress bar
HIST_HEADROOM = 1.25  # the level histogram reaches a quarter above the top rung's threshold (assumption)


class Batches(NamedTuple):
    """Counts merged over thread slots, per-replicate summaries, and how the run went."""

    counts: Counts
    summaries: Summaries
    hist_max: float
    wall_time: float
    threads: int


def run_batches(p: Params, seed: int, replicates: int, *, threads: int | None = None, batch: int = DEFAULT_BATCH,
                on_batch: Callable[[int], None] | None = None) -> Batches:
    """Replicates ``0 .. replicates - 1`` of ``p`` in batches of ``batch``; ``on_batch(count)`` after each.

    Arguments are assumed checked (``sim.results.ensemble.run_ensemble`` checks them).
    """
    old_threads = numba.get_num_threads()
    if threads is not None:
        numba.set_num_threads(threads)
    try:
        slots = numba.get_num_threads()
        acc = allocate_counts(p, slots)
        hist_max = float(p.ladder[L_THRESHOLD, -1]) * HIST_HEADROOM
        summaries = new_summaries(replicates, p.n_rungs)
        start = time.perf_counter()
        for first in range(0, replicates, batch):
            count = min(batch, replicates - first)
            # threads take chunks one at a time: one slowed by other work on the machine holds up no one
            with numba.parallel_chunksize(1):
                run_replicates(p, int(seed), first, count, hist_max, acc, summaries)
            if on_batch is not None:
                on_batch(count)
        wall = time.perf_counter() - start
        used = numba.get_num_threads()
    finally:
        numba.set_num_threads(old_threads)
    merged = Counts(*(a.sum(axis=0) for a in acc))
    return Batches(merged, summaries, hist_max, wall, used)


def allocate_counts(p: Params, slots: int) -> Counts:
    """Zeroed accumulators with one slot per thread (leading axis)."""
    weeks = p.steps // p.steps_per_week + 1
    return Counts(
        level_hist=np.zeros((slots, weeks, p.n_states, LEVEL_BINS + 2), np.int64),
        rung_occ=np.zeros((slots, weeks, p.n_states, p.n_rungs), np.int64),
        deployed_dist=np.zeros((slots, weeks, p.n_members + 1), np.int64),
        commit_fp=np.zeros((slots, weeks, p.n_states), np.int64),
        deployed_member=np.zeros((slots, weeks, p.n_states), np.int64),
        unit_hist=np.zeros((slots, weeks, 2, UNIT_BINS), np.int64),
        unit_fp=np.zeros((slots, weeks, 2), np.int64),
    )


def new_summaries(n: int, n_rungs: int) -> Summaries:
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


def max_threads() -> int:
    """Numba's thread limit (``NUMBA_NUM_THREADS``, by default the number of cores)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def check_threads(value: Any, key: str = "threads") -> int | None:
    """None (all of Numba's threads) or an integer in [1, :func:`max_threads`]."""
    if value is None:
        return None
    limit = max_threads()
    if not checks.is_int(value) or not 1 <= value <= limit:
        raise checks.InputError(key, value, f"null (all cores) or an integer in [1, {limit}] "
                                     f"(Numba's thread limit NUMBA_NUM_THREADS on this machine)")
    return int(value)
