"""The ensemble's chunk of replicates, streaming per-week statistics (the runner hands chunks to threads).

Memory does not grow with the number of replicates R beyond the per-replicate
summaries: per-week statistics are integer histograms and counts accumulated
into one slot per thread. Integer addition is exact and order-free, so merging
the slots gives the same numbers on any number of threads and whichever thread
ran which chunk. Means of values in [0, 1] are accumulated in fixed point
(``round(v * 2**32)``) for the same reason.

Statistics are taken at whole weeks only (every ``steps_per_week`` steps), so the
tables are per week whatever ``dt`` is.

A chunk of replicates is one call of :func:`run_chunk`, compiled without reference
counting (sim.engine.workspace) and without the GIL: inside it, nothing but
arithmetic on the workspace and the thread's counts.
"""
import numpy as np
from numba import njit

from . import rng
from .layout import (CAPITAL, COMMITMENT, DEPLOYED, GUARANTEE, LEVEL, MAX_RUNG_ACTOR, R_ADVERSARY,
                     R_GUARANTOR_LEADER, RUNG, S_CEASEFIRE_WEEK, S_CLASH_CAUSE, S_CLASH_WEEK, S_DEESCALATED,
                     S_DEPLOYED, S_DEPLOYED_PEAK, S_DIVERGED, S_DIVERGED_WEEK, S_MAX_RUNG)
from .step import begin, step
from .workspace import INLINE, NO_REFCOUNT

FIXED_POINT = 4294967296.0  # 2**32
UNIT_BINS = 100  # histogram bins of guarantee credibility and political capital on [0, 1]
LEVEL_BINS = 200  # level histogram bins on (0, hist_max]; with the zero and overflow bins they fit a uint8
CHUNK = 64  # replicates per chunk: the unit of work handed to a thread
MARK_BYTES = 1 << 20  # a thread's buffer of level bins and rungs, tallied whenever it is full


@njit(cache=True)
def level_bin(level, hist_max, n_bins):
    """0 for x == 0 exactly (the reflecting floor), 1..n_bins on (0, hist_max], n_bins + 1 above (and NaN)."""
    if level <= 0.0:
        return 0
    if not (level <= hist_max):
        return n_bins + 1
    b = int(level / hist_max * n_bins) + 1
    return min(b, n_bins)


@njit(cache=True)
def _unit_bin(v):
    return min(int(v * UNIT_BINS), UNIT_BINS - 1)


@njit(cache=True)
def _fixed_point(v):
    return np.int64(round(v * FIXED_POINT))


@njit(**INLINE)
def _guarantor_capital(p, ws):
    g = p.roles[R_GUARANTOR_LEADER]
    return ws.leader[CAPITAL, g] if g >= 0 else 1.0


@njit(**INLINE)
def _accumulate(p, ws, week, marks, row, hist_max, counts):
    """Add week ``week`` of the chunk's replicate ``row`` to this thread's ``counts``.

    Each state's level bin and rung go to ``marks`` first and are counted when the
    buffer is full (:func:`_tally`): the level histogram is megabytes, and counting
    into it one replicate at a time missed the cache on nearly every count.
    """
    n_bins = LEVEL_BINS
    for i in range(p.n_states):
        marks[0, row, week, i] = level_bin(ws.state[LEVEL, i], hist_max, n_bins)
        marks[1, row, week, i] = ws.state_int[RUNG, i]
    for q in range(p.members.shape[0]):
        j = np.uint64(p.members[q])
        counts.commit_fp[week, j] += _fixed_point(ws.state[COMMITMENT, j])
        counts.deployed_member[week, j] += ws.state_int[DEPLOYED, j]
    counts.deployed_dist[week, ws.status[S_DEPLOYED]] += 1
    g = ws.us[GUARANTEE]
    cap = _guarantor_capital(p, ws)
    counts.unit_hist[week, 0, _unit_bin(g)] += 1
    counts.unit_hist[week, 1, _unit_bin(cap)] += 1
    counts.unit_fp[week, 0] += _fixed_point(g)
    counts.unit_fp[week, 1] += _fixed_point(cap)


def new_marks(p):
    """A chunk's buffer of level bins and rungs: the replicates that fit MARK_BYTES (at least one, at most a chunk)."""
    weeks = p.steps // p.steps_per_week + 1
    per_replicate = 2 * weeks * max(p.n_states, 1)
    return np.empty((2, max(1, min(CHUNK, MARK_BYTES // per_replicate)), weeks, p.n_states), np.uint8)


@njit(**INLINE)
def _tally(marks, count, level_hist, rung_occ):
    """Count the buffered level bins and rungs, one week at a time (that week's rows stay in cache)."""
    for week in range(marks.shape[2]):
        for row in range(count):
            for i in range(marks.shape[3]):
                level_hist[week, i, marks[0, row, week, i]] += 1
                rung_occ[week, i, marks[1, row, week, i]] += 1


@njit(**INLINE)
def _summarise(p, ws, rep, out):
    """Row ``rep`` of the summary columns ``out`` (sim.engine.layout.Summaries)."""
    out.max_rung[rep] = ws.status[S_MAX_RUNG]
    out.max_rung_adversary[rep] = ws.state_int[MAX_RUNG_ACTOR, p.roles[R_ADVERSARY]]
    for r in range(p.n_rungs):
        out.first_week[r, rep] = ws.first_week[r]
    out.clash_week[rep] = ws.status[S_CLASH_WEEK]
    out.clash_cause[rep] = ws.status[S_CLASH_CAUSE]
    out.deployed_peak[rep] = ws.status[S_DEPLOYED_PEAK]
    out.deployed_final[rep] = ws.status[S_DEPLOYED]
    out.guarantee_final[rep] = ws.us[GUARANTEE]
    out.capital_final[rep] = _guarantor_capital(p, ws)
    out.diverged[rep] = ws.status[S_DIVERGED] != 0
    out.diverged_week[rep] = ws.status[S_DIVERGED_WEEK]
    out.deescalated[rep] = ws.status[S_DEESCALATED] != 0
    out.ceasefire_week[rep] = ws.status[S_CEASEFIRE_WEEK]


# nogil: threads of the runner run chunks side by side
@njit(nogil=True, **NO_REFCOUNT)
def run_chunk(p, ws, marks, span, outputs):
    """The replicates of ``span``: counts into one thread's slot ``outputs.counts``, summaries into rows
    ``span.row ..`` of ``outputs.summaries`` (a batch's buffer: memory does not grow with the replicates).

    ``ws`` and ``marks`` (uint8, ``(2, rows, weeks, n_states)``) are this chunk's scratch.
    """
    rows = marks.shape[1]
    per_week = p.steps_per_week
    counts = outputs.counts
    for done in range(span.count):
        rep = span.first + done
        row = done % rows
        key = rng.replicate_key(span.seed, rep)
        begin(p, ws, key)
        _accumulate(p, ws, 0, marks, row, outputs.hist_max, counts)
        for t in range(p.steps):
            step(p, ws, t, key)
            if (t + 1) % per_week == 0:
                _accumulate(p, ws, (t + 1) // per_week, marks, row, outputs.hist_max, counts)
        _summarise(p, ws, span.row + done, outputs.summaries)
        if row == rows - 1 or done == span.count - 1:
            _tally(marks, row + 1, counts.level_hist, counts.rung_occ)
