"""Statistics shared by result tables and views; numpy only, so views need not load the kernel."""
from __future__ import annotations

import numpy as np


def wilson_interval(successes, n, z: float = 1.959963984540054):
    """Wilson score interval for a binomial proportion (vectorised)."""
    successes, n = np.asarray(successes, float), np.asarray(n, float)
    p = np.where(n > 0, successes / np.maximum(n, 1), np.nan)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def median_of(counts: np.ndarray) -> float:
    """The median of integer values 0, 1, ... given their counts (the mean of the middle two when even)."""
    n = int(counts.sum())
    cum = np.cumsum(counts)
    lower = int(np.searchsorted(cum, (n + 1) // 2))  # the ((n + 1) // 2)-th smallest, 1-based
    upper = int(np.searchsorted(cum, n // 2 + 1))
    return (lower + upper) / 2.0
