"""Shared fixtures: shipped scenarios and a small synthetic scenario builder."""
from __future__ import annotations

import copy
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import sim
from sim.scenario.build import build_scenario

# Property tests (tests/test_properties.py): "ci" is deterministic (the same examples on every run,
# so it cannot flake) and runs 250 examples per test; "thorough" explores with fresh random examples.
# Choose with HYPOTHESIS_PROFILE=thorough.
_COMMON = dict(deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=250, derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", max_examples=5000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

LADDER = [{"name": f"rung {r}", "threshold": float(r), "risk": 0.0} for r in range(9)]


def toy_raw(n: int = 3, *, noise: float = 0.0, mechanisms: dict | None = None) -> dict:
    """A small scenario as raw data: n states in a ring of reactions, one coalition member."""
    ids = [f"S{i}" for i in range(n)]
    states = [{"id": a, "name": a, "bloc": "NATO", "x0": 1.0 + 0.5 * i, "fatigue": 0.5 + 0.1 * i,
               "grievance": 0.2, "noise": noise} for i, a in enumerate(ids)]
    states[1]["coalition"] = {"commitment0": 0.5, "deploy_threshold": 0.7, "withdraw_threshold": 0.3}
    reactions = [{"actor": ids[i], "responds_to": ids[(i + 1) % n], "k": 0.2 + 0.05 * i} for i in range(n)]
    return {
        "name": "toy", "horizon": 4, "dt": 0.05, "ladder": copy.deepcopy(LADDER), "states": states,
        "reactions": reactions, "roles": {"adversary": ids[0], "guarantor": ids[-1], "coalition_lead": ids[1]},
        "mechanisms": {"reaction": True, "decisions": False, "coalition": False, "domestic": False, "events": False,
                       **(mechanisms or {})},
    }


def toy(n: int = 3, **kw) -> sim.Scenario:
    return build_scenario(toy_raw(n, **kw))


def linear_system(s: sim.Scenario):
    """K, A = diag(fatigue) and g of the scenario's linear Richardson core."""
    n = len(s.states)
    K = np.zeros((n, n))
    for r in s.reactions:
        K[s.index(r.actor), s.index(r.responds_to)] += r.k
    A = np.diag([st.fatigue for st in s.states])
    g = np.array([st.grievance for st in s.states])
    return K, A, g


@pytest.fixture(scope="session")
def baseline() -> sim.Scenario:
    return sim.load_scenario("baseline")
