"""Synthetic scenarios of any number of states, shaped like the baseline (for scaling studies).

``synthetic_scenario(n)`` keeps the baseline's ladder, action catalogue, US factions,
coalition, domestic and decision parameters, and builds ``n`` states around the same
three roles: an adversary (state 0) that reacts to a handful of states, a guarantor
(state 1) and a coalition lead (state 2). About nine in ten of the other states are
coalition members; one state in four has a leader. Each state reacts to the
adversary and to its neighbour, so reactions grow like ``2 n`` (a sparse ``K``), as
alliances do, rather than like ``n**2``.

Values are drawn from the baseline's ranges with a seeded generator, and grievances
are calibrated as in the baseline, ``g = (A - K) x0``, so week 0 is the stable
equilibrium of the reaction core (every row of ``K - A`` is diagonally dominant).
The result is validated like any scenario file.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .spec import Scenario
from .build import build_scenario
from .load import load_scenario

ADVERSARY_TARGETS = 4   # states the adversary's leader presses, like Russia's four in the baseline
ADVERSARY_REACTIONS = 5
LEADER_SHARE = 8 / 31   # leaders per state in the baseline
MEMBER_SHARE = 0.9


def synthetic_scenario(n_states: int, *, seed: int = 0, steps: int | None = None) -> Scenario:
    """A valid scenario with ``n_states`` states (at least 4), reproducible from ``seed``."""
    if n_states < 4:
        raise ValueError(f"a synthetic scenario needs at least 4 states, got {n_states}")
    base = load_scenario("baseline")
    gen = np.random.default_rng(seed)
    ids = [f"S{i:03d}" for i in range(n_states)]
    adversary, guarantor, lead = ids[0], ids[1], ids[2]
    x0 = np.round(gen.uniform(1.2, 3.2, n_states), 2)
    x0[0] = 3.4
    fatigue = np.round(gen.uniform(0.4, 0.55, n_states), 2)
    fatigue[0] = 0.35
    reactions = _reactions(ids, gen)
    k = np.zeros((n_states, n_states))
    for r in reactions:
        k[ids.index(r["actor"]), ids.index(r["responds_to"])] += r["k"]
    grievance = fatigue * x0 - k @ x0
    states = []
    for i, sid in enumerate(ids):
        aligned = i in (0, 3)  # the adversary and one partner share a group: the alignment channel runs
        state = {"id": sid, "name": f"State {i}", "bloc": "SCO" if aligned else "NATO",
                 "groups": ["SCO"] if aligned else ["NATO"],
                 "x0": float(x0[i]), "fatigue": float(fatigue[i]), "grievance": float(grievance[i]),
                 "noise": float(np.round(gen.uniform(0.08, 0.15), 3)),
                 "capability": float(np.round(gen.uniform(0.05, 0.3), 2)),
                 "exposure": float(np.round(gen.uniform(0.2, 0.4), 2))}
        if i == 0:
            state["provocation"] = 1.2
        if i == 2 or (i > 2 and gen.random() < MEMBER_SHARE):
            state["coalition"] = {"commitment0": float(np.round(gen.uniform(0.35, 0.6), 2)),
                                  "deploy_threshold": float(np.round(gen.uniform(0.65, 0.72), 2)),
                                  "withdraw_threshold": float(np.round(gen.uniform(0.35, 0.42), 2)),
                                  "us_dependence": float(np.round(gen.uniform(0.5, 0.9), 2)),
                                  "domestic_cost": float(np.round(gen.uniform(0.3, 0.7), 2))}
        states.append(state)
    members = [s["id"] for s in states if "coalition" in s]
    raw = {
        "name": f"synthetic_{n_states}",
        "description": f"{n_states} states shaped like the baseline (sim.scenario.synthetic, seed {seed})",
        "horizon": steps or base.horizon, "dt": base.dt,
        "roles": {"adversary": adversary, "guarantor": guarantor, "coalition_lead": lead},
        "ladder": [dataclasses.asdict(r) for r in base.ladder],
        "outcomes": {**dataclasses.asdict(base.outcomes), "ladder_actors": [], "deescalation_actors": []},
        "states": states,
        "reactions": reactions,
        "actions": [dataclasses.asdict(a) for a in base.actions],
        "leaders": _leaders(ids, base, gen),
        "factions": [dataclasses.asdict(f) for f in base.factions],
        "coalition": dataclasses.asdict(base.coalition),
        "domestic": dataclasses.asdict(base.domestic),
        "decisions": dataclasses.asdict(base.decisions),
        "deterrence": dataclasses.asdict(base.deterrence),
        "alignment": dataclasses.asdict(base.alignment),
        "events": [{"week": 1, "name": "Adversary warns", "target": f"states.{adversary}.grievance",
                    "op": "add", "value": 0.1}]
                  + [{"week": 2, "name": f"{m} reconsiders", "target": f"states.{m}.coalition.commitment",
                      "op": "add", "value": -0.1} for m in members[1:5]],
    }
    return build_scenario(raw, source=f"<synthetic {n_states}>")


def _reactions(ids: list[str], gen: np.random.Generator) -> list[dict]:
    n = len(ids)
    out = []
    for q in range(1, min(ADVERSARY_REACTIONS, n - 1) + 1):
        out.append({"actor": ids[0], "responds_to": ids[q], "k": float(np.round(gen.uniform(0.03, 0.06), 3))})
    for i in range(1, n):
        out.append({"actor": ids[i], "responds_to": ids[0], "k": float(np.round(gen.uniform(0.02, 0.1), 3))})
        neighbour = i + 1 if i + 1 < n else 1
        if neighbour != i:
            out.append({"actor": ids[i], "responds_to": ids[neighbour], "k": 0.02})
    return out


def _leaders(ids: list[str], base: Scenario, gen: np.random.Generator) -> list[dict]:
    n = len(ids)
    count = min(n, max(3, round(n * LEADER_SHARE)))
    everything = [a.name for a in base.actions]
    routine = [a.name for a in base.actions if not a.kinetic and a.name not in ("ceasefire_offer", "threaten_force",
                                                                                 "nuclear_signalling")]
    leaders = []
    for i in range(count):
        adversary = i == 0
        targets = ids[1:1 + ADVERSARY_TARGETS] if adversary else [ids[0]]
        leaders.append({
            "id": f"L{i:03d}", "name": f"Leader {i}", "state": ids[i],
            "rationality": 8.0 if adversary else float(np.round(gen.uniform(6.0, 8.0), 1)),
            "resolve": float(np.round(gen.uniform(0.3, 0.9), 2)),
            "risk_aversion": float(np.round(gen.uniform(0.9, 1.5), 2)),
            "audience_cost": float(np.round(gen.uniform(0.2, 0.5), 2)),
            "political_capital": float(np.round(gen.uniform(0.4, 0.8), 2)),
            "targets": targets, "actions": everything if adversary else routine,
        })
    return leaders
