"""Run many replicates of packed parameters: thread slots, batches, merged counts (NumPy in, NumPy out).

``sim.results.ensemble`` turns what :func:`run_batches` returns into tables; this
module knows nothing of pandas. Replicate ``r`` draws its random numbers from
``(seed, r, ...)`` only, so the counts and summaries are the same for any number
of threads and any batch size.
"""
from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Callable, NamedTuple

import numba
import numpy as np

from sim import checks

from .cache import compile_notice
from .ensemble import CHUNK, LEVEL_BINS, UNIT_BINS, new_marks, run_chunk
from .layout import L_THRESHOLD, Counts, Outputs, Params, Span, Summaries
from .workspace import new_workspace

DEFAULT_BATCH = 20_000  # replicates per kernel call: bounds summary buffers and drives the progress bar
COMPILE_SECONDS = 15  # a cold compile of the ensemble kernel, 2 cores at load 1 (docs/performance.md: 14 s)
HIST_HEADROOM = 1.25  # the level histogram reaches a quarter above the top rung's threshold (assumption)


class Batches(NamedTuple):
    """Counts merged over thread slots, and how the run went (summaries went to ``on_batch``)."""

    counts: Counts
    hist_max: float
    wall_time: float
    threads: int


def run_batches(p: Params, seed: int, replicates: int, on_batch: Callable[[Summaries, int, int], None], *,
                threads: int | None = None, batch: int = DEFAULT_BATCH, notice: bool = False) -> Batches:
    """Replicates ``0 .. replicates - 1`` of ``p`` in batches of ``batch``.

    After each batch, ``on_batch(summaries, first, count)`` gets the summaries of replicates
    ``first .. first + count - 1`` in rows ``0 .. count - 1`` of a buffer that the next batch
    overwrites: keep, fold or write them there. Memory does not grow with ``replicates``.
    ``threads`` (default: Numba's thread count) each take chunks of ``CHUNK`` replicates one at a
    time, so a thread slowed by other work on the machine holds up no one; each counts into its
    own slot. With ``notice``, a first run that has to compile the kernel says so on stderr.
    Arguments are assumed checked (``sim.results.ensemble.run_ensemble`` checks them).
    """
    slots = threads if threads is not None else numba.get_num_threads()
    acc = allocate_counts(p, slots)
    hist_max = float(p.ladder[L_THRESHOLD, -1]) * HIST_HEADROOM
    summaries = new_summaries(min(batch, replicates), p.n_rungs)
    outputs = [Outputs(Counts(*(a[slot] for a in acc)), summaries, hist_max) for slot in range(slots)]
    scratch = [(new_workspace(p), new_marks(p)) for _ in range(slots)]
    start = time.perf_counter()
    for first in range(0, replicates, batch):
        count = min(batch, replicates - first)
        chunks = iter([Span(int(seed), c, min(CHUNK, first + count - c), c - first)
                       for c in range(first, first + count, CHUNK)])
        lock = threading.Lock()

        def work(slot: int) -> None:
            ws, marks = scratch[slot]
            while True:
                with lock:
                    span = next(chunks, None)
                if span is None:
                    return
                run_chunk(p, ws, marks, span, outputs[slot])

        with _notice(notice and first == 0):
            _in_threads(work, slots)
        on_batch(summaries, first, count)
    wall = time.perf_counter() - start
    merged = Counts(*(a.sum(axis=0) for a in acc))
    return Batches(merged, hist_max, wall, slots)


def _in_threads(work: Callable[[int], None], slots: int) -> None:
    """``work(slot)`` for every slot, each in its own thread (the last in this one); re-raises a thread's error."""
    errors = []

    def guarded(slot: int) -> None:
        try:
            work(slot)
        except BaseException as err:  # noqa: BLE001  (handed to the calling thread)
            errors.append(err)

    helpers = [threading.Thread(target=guarded, args=(slot,)) for slot in range(slots - 1)]
    for h in helpers:
        h.start()
    guarded(slots - 1)
    for h in helpers:
        h.join()
    if errors:
        raise errors[0]


def _notice(enabled: bool):
    return compile_notice("ensemble.run_chunk", COMPILE_SECONDS) if enabled else contextlib.nullcontext()


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
