"""The kernel path for one replicate."""
from __future__ import annotations

import numpy as np

from . import checks
from .arrays import compile_params
from .kernel import run_trajectory
from .scenario import Scenario


def check_scenario(scenario) -> None:
    if not isinstance(scenario, Scenario):
        raise checks.InputError("scenario", type(scenario).__name__, "a Scenario (from sim.load_scenario)")


def check_seed(seed: int, replicate: int = 0) -> None:
    """Seeds and replicate numbers feed a uint64 hash: they must be integers in [0, 2**63)."""
    checks.seed(seed)
    checks.seed(replicate, "replicate")


def simulate(scenario: Scenario, seed: int, replicate: int = 0) -> np.ndarray:
    """Escalation levels x of one replicate, shape ``(steps + 1, n_states)``, columns in ``scenario.actor_ids`` order."""
    check_scenario(scenario)
    check_seed(seed, replicate)
    params = compile_params(scenario)
    levels = np.zeros((params.steps + 1, params.n_states))
    run_trajectory(params, int(seed), int(replicate), levels)
    return levels
