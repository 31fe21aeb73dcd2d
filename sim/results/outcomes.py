"""Per-replicate outcomes folded batch by batch into counts: what the tables and the headline need.

An ensemble's summary has one row per replicate; the tables and headline need only
counts of it (how many replicates clashed by each week, how many reached each rung by
each week, the distribution of the highest rung and of members deployed). Folding each
batch into these counts as it comes keeps memory flat in the number of replicates, and
integer counts are exact: the same numbers whichever batches the replicates came in.
"""
from __future__ import annotations

import numpy as np

from sim.engine.ensemble import FIXED_POINT
from sim.engine.layout import CLASH_CAUSES


class OutcomeCounts:
    """Counts of the summary columns of ``replicates`` replicates over ``weeks`` weeks (0 .. horizon)."""

    def __init__(self, n_rungs: int, weeks: int, n_members: int):
        self.replicates = 0
        self.first_week = np.zeros((n_rungs, weeks), np.int64)  # replicates that first reached rung r in week w
        self.clash_week = np.zeros(weeks, np.int64)
        self.causes = np.zeros(len(CLASH_CAUSES), np.int64)
        self.max_rung = np.zeros(n_rungs, np.int64)
        self.deployed_peak = np.zeros(n_members + 1, np.int64)
        self.deployed_final = np.zeros(n_members + 1, np.int64)
        self.guarantee_fp = 0  # a Python int: exact whatever the number of replicates
        self.deescalated = 0
        self.diverged = 0

    def add(self, s, count: int) -> None:
        """Fold rows ``0 .. count - 1`` of the summaries ``s`` (sim.engine.layout.Summaries)."""
        self.replicates += count
        for r in range(self.first_week.shape[0]):
            self.first_week[r] += _week_counts(s.first_week[r, :count], self.first_week.shape[1])
        self.clash_week += _week_counts(s.clash_week[:count], self.clash_week.shape[0])
        self.causes += np.bincount(s.clash_cause[:count], minlength=self.causes.shape[0])
        self.max_rung += np.bincount(s.max_rung[:count], minlength=self.max_rung.shape[0])
        self.deployed_peak += np.bincount(s.deployed_peak[:count], minlength=self.deployed_peak.shape[0])
        self.deployed_final += np.bincount(s.deployed_final[:count], minlength=self.deployed_final.shape[0])
        self.guarantee_fp += int(np.rint(s.guarantee_final[:count] * FIXED_POINT).astype(np.int64).sum())
        self.deescalated += int(s.deescalated[:count].sum())
        self.diverged += int(s.diverged[:count].sum())

    @property
    def clashed(self) -> int:
        return int(self.clash_week.sum())

    def reached_by(self, r: int | None = None) -> np.ndarray:
        """How many replicates had reached rung ``r`` (the clash when None) by each week."""
        return np.cumsum(self.clash_week if r is None else self.first_week[r])

    def share(self, cause: str) -> float:
        return int(self.causes[CLASH_CAUSES.index(cause)]) / self.replicates

    def mean_guarantee(self) -> float:
        return self.guarantee_fp / FIXED_POINT / self.replicates


def _week_counts(weeks: np.ndarray, n_weeks: int) -> np.ndarray:
    """Replicates per week among values >= 0 (-1: never)."""
    return np.bincount(weeks[weeks >= 0].astype(np.int64), minlength=n_weeks)
