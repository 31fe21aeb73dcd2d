"""The kernel path for one replicate."""
from __future__ import annotations

import numpy as np

from sim import checks
from sim.scenario.spec import Scenario, check_scenario

from .kernel import run_trajectory
from .pack import compile_params


def simulate(scenario: Scenario, seed: int, replicate: int = 0) -> np.ndarray:
    """Escalation levels x of one replicate, shape ``(steps + 1, n_states)``, columns in ``scenario.actor_ids`` order."""
    check_scenario(scenario)
    checks.seed(seed)
    checks.seed(replicate, "replicate")
    params = compile_params(scenario)
    levels = np.zeros((params.steps + 1, params.n_states))
    run_trajectory(params, int(seed), int(replicate), levels)
    return levels
