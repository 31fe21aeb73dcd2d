"""The kernel path for one replicate."""
from __future__ import annotations

import numpy as np

from .arrays import compile_params
from .kernel import run_trajectory
from .scenario import Scenario


def check_seed(seed: int, replicate: int = 0) -> None:
    """Seeds and replicate numbers feed a uint64 hash: they must be non-negative integers."""
    for name, value in (("seed", seed), ("replicate", replicate)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < 2**63:
            raise ValueError(f"{name} must be an integer in [0, 2**63), got {value!r}")


def simulate(scenario: Scenario, seed: int, replicate: int = 0) -> np.ndarray:
    """Escalation levels x of one replicate, shape ``(steps + 1, n_states)``, columns in ``scenario.actor_ids`` order."""
    check_seed(seed, replicate)
    params = compile_params(scenario)
    levels = np.zeros((params.steps + 1, params.n_states))
    run_trajectory(params, int(seed), int(replicate), levels)
    return levels
