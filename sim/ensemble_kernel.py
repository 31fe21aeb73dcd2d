"""Parallel ensemble runner: replicates in ``prange``, streaming per-week statistics.

Memory does not grow with the number of replicates R beyond the per-replicate
summaries: per-week statistics are integer histograms and counts accumulated
into one slot per thread. Integer addition is exact and order-free, so merging
the slots gives the same numbers on any number of threads. Means of values in
[0, 1] are accumulated in fixed point (``round(v * 2**32)``) for the same reason.
"""
import numba
import numpy as np
from numba import njit, prange

from .kernel import init_workspace, new_workspace, step
from .layout import S_CLASH_WEEK, S_DEESCALATED, S_DEPLOYED, S_DEPLOYED_PEAK, S_DIVERGED, S_MAX_RUNG

FIXED_POINT = 4294967296.0  # 2**32
UNIT_BINS = 100  # histogram bins of guarantee credibility and political capital on [0, 1]
CHUNK = 64  # replicates per workspace allocation


@njit(cache=True)
def level_bin(level, hist_max, n_bins):
    """0 for x == 0 exactly (the reflecting floor), 1..n_bins on (0, hist_max], n_bins + 1 above."""
    if level <= 0.0:
        return 0
    if level > hist_max:
        return n_bins + 1
    b = int(level / hist_max * n_bins) + 1
    return min(b, n_bins)


@njit(cache=True)
def _unit_bin(v):
    return min(int(v * UNIT_BINS), UNIT_BINS - 1)


@njit(cache=True)
def _accumulate(p, ws, week, slot, hist_max, level_hist, rung_occ, deployed_dist, commit_fp,
                deployed_member, unit_hist, unit_fp):
    n_bins = level_hist.shape[3] - 2
    for i in range(p.n_states):
        level_hist[slot, week, i, level_bin(ws.x[i], hist_max, n_bins)] += 1
        rung_occ[slot, week, i, ws.rung[i]] += 1
        if p.member[i]:
            commit_fp[slot, week, i] += np.int64(round(ws.commitment[i] * FIXED_POINT))
            deployed_member[slot, week, i] += ws.deployed[i]
    deployed_dist[slot, week, ws.status[S_DEPLOYED]] += 1
    g = ws.guarantee[0]
    cap = ws.capital[p.guarantor_leader] if p.guarantor_leader >= 0 else 1.0
    unit_hist[slot, week, 0, _unit_bin(g)] += 1
    unit_hist[slot, week, 1, _unit_bin(cap)] += 1
    unit_fp[slot, week, 0] += np.int64(round(g * FIXED_POINT))
    unit_fp[slot, week, 1] += np.int64(round(cap * FIXED_POINT))


@njit(cache=True, parallel=True)
def run_replicates(p, seed, first, count, hist_max, level_hist, rung_occ, deployed_dist, commit_fp,
                   deployed_member, unit_hist, unit_fp, max_rung, max_rung_adversary, first_week,
                   clash_week, deployed_peak, deployed_final, guarantee_final, capital_final,
                   diverged, deescalated):
    """Run replicates ``first .. first + count - 1``; summaries go to rows ``0 .. count - 1``."""
    n_chunks = (count + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        slot = numba.get_thread_id()
        ws = new_workspace(p)
        for row in range(c * CHUNK, min(count, (c + 1) * CHUNK)):
            rep = first + row
            init_workspace(p, ws, seed, rep)
            _accumulate(p, ws, 0, slot, hist_max, level_hist, rung_occ, deployed_dist, commit_fp,
                        deployed_member, unit_hist, unit_fp)
            for t in range(p.steps):
                step(p, ws, t, seed, rep)
                _accumulate(p, ws, t + 1, slot, hist_max, level_hist, rung_occ, deployed_dist, commit_fp,
                            deployed_member, unit_hist, unit_fp)
            max_rung[row] = ws.status[S_MAX_RUNG]
            max_rung_adversary[row] = ws.max_rung_actor[p.adversary]
            for r in range(p.n_rungs):
                first_week[row, r] = ws.first_week[r]
            clash_week[row] = ws.status[S_CLASH_WEEK]
            deployed_peak[row] = ws.status[S_DEPLOYED_PEAK]
            deployed_final[row] = ws.status[S_DEPLOYED]
            guarantee_final[row] = ws.guarantee[0]
            capital_final[row] = ws.capital[p.guarantor_leader] if p.guarantor_leader >= 0 else 1.0
            diverged[row] = ws.status[S_DIVERGED] != 0
            deescalated[row] = ws.status[S_DEESCALATED] != 0
