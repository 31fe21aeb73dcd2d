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
