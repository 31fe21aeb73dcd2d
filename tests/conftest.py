"""Shared fixtures: shipped scenarios and a small synthetic scenario builder."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import sim
from sim.validate import build_scenario

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
