"""Property tests: random valid scenarios on both paths.

Scenarios of 1 to 50 states with random reactions, leaders, actions, factions, coalition
members and scheduled events, values from ordinary to extreme-but-legal, are built as
raw data and validated by ``build_scenario``. On every one: the Mesa path and the kernel
path agree bit for bit, no NaN or infinity reaches an output table, levels stay >= 0, and
the ensemble flags exactly the replicates whose trajectory left the numeric range.
Horizons are short (3 to 10 weeks) and every array keeps its dtype, so no example
recompiles a kernel. The number of examples comes from the Hypothesis profile
(``tests/conftest.py``).
"""
from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.engine.layout import S_DIVERGED
from sim.scenario.plausible import ScenarioWarning
from sim.scenario.build import build_scenario

REPLICATES = 6


def _floats(lo: float, hi: float, extreme: float | None = None):
    """Ordinary values in [lo, hi], sometimes (1 in 8) an extreme but legal one up to ``extreme``."""
    ordinary = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if extreme is None:
        return ordinary
    wide = st.floats(lo if lo >= 0 else -extreme, extreme, allow_nan=False, allow_infinity=False)
    return st.one_of(ordinary, ordinary, ordinary, ordinary, ordinary, ordinary, ordinary, wide)


UNIT = _floats(0.0, 1.0)


@st.composite
def raw_scenarios(draw) -> dict:
    wild = draw(st.booleans())  # half the scenarios draw extreme values too, the other half stay ordinary

    def num(lo: float, hi: float, extreme: float | None = None):
        return _floats(lo, hi, extreme if wild else None)

    n = draw(st.integers(1, 50))
    ids = [f"S{i}" for i in range(n)]
    horizon = draw(st.integers(3, 10))  # weeks
    n_rungs = draw(st.integers(2, 9))
    gaps = draw(st.lists(num(0.05, 3.0), min_size=n_rungs - 1, max_size=n_rungs - 1))
    thresholds = np.concatenate([[0.0], np.cumsum(gaps)]).tolist()
    ladder = [{"name": f"r{r}", "threshold": t, "risk": draw(num(0.0, 0.3))} for r, t in enumerate(thresholds)]
    members = set(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True)))
    divergence_level = draw(st.sampled_from([10.0, 1.0e3, 1.0e6]))
    states = []
    for a in ids:
        state = {"id": a, "name": a, "bloc": draw(st.sampled_from(["NATO", "SCO", "none"])),
                 "x0": min(draw(num(0.0, 8.0, 1e6)), divergence_level), "fatigue": draw(num(0.0, 1.5, 1e2)),
                 "grievance": draw(num(-2.0, 2.0, 1e3)), "noise": draw(num(0.0, 1.0, 1e3)),
                 "capability": draw(num(0.0, 3.0, 1e3)), "exposure": draw(UNIT),
                 "provocation": draw(num(-1.0, 1.0, 1e3))}
        if a in members:
            up = draw(num(0.01, 1.0))
            state["coalition"] = {"commitment0": draw(UNIT), "deploy_threshold": up,
                                  "withdraw_threshold": draw(num(0.0, up)) * 0.999,
                                  "us_dependence": draw(UNIT), "domestic_cost": draw(num(0.0, 2.0, 1e3)),
                                  "bias": draw(num(-2.0, 2.0, 1e3))}
        states.append(state)
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3 * n))
    reactions = [{"actor": a, "responds_to": b, "k": draw(num(-1.0, 1.0, 1e3))} for a, b in pairs if a != b]
    actions = [{"name": f"act{k}", "delta": draw(num(-1.0, 1.0, 1e3)), "goldstein": draw(num(-10.0, 10.0)),
                "cost": draw(num(0.0, 1.0, 1e3)), "pledge": draw(num(0.0, 1.0)),
                "pressure": draw(num(-1.0, 1.0, 1e3)), "backdown": draw(st.booleans()),
                "kinetic": draw(st.booleans())} for k in range(draw(st.integers(1, 5)))]
    led = draw(st.lists(st.sampled_from(ids), max_size=min(n, 8), unique=True))
    leaders = [{"id": f"L{a}", "name": a, "state": a, "rationality": draw(num(0.0, 5.0, 1e3)),
                "resolve": draw(num(0.0, 2.0, 1e3)), "risk_aversion": draw(num(0.0, 2.0, 1e3)),
                "audience_cost": draw(num(0.0, 2.0, 1e3)), "political_capital": draw(UNIT),
                "targets": draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)),
                "actions": draw(st.lists(st.sampled_from([x["name"] for x in actions]), max_size=3, unique=True))}
               for a in led]
    factions = []
    for f, share in enumerate(_shares(draw(st.lists(num(0.1, 1.0), max_size=3)))):
        factions.append({"id": f"F{f}", "name": f"F{f}", "weight": share, "support": draw(UNIT),
                         "threat_response": draw(num(-1.0, 1.0, 1e3)), "noise": draw(num(0.0, 0.3))})
    targets = [f"states.{a}.x" for a in ids] + [f"states.{a}.grievance" for a in ids] \
        + [f"states.{a}.coalition.{k}" for a in sorted(members) for k in ("commitment", "deploy_threshold")] \
        + [f"leaders.{ld['id']}.{k}" for ld in leaders for k in ("resolve", "political_capital")] \
        + [f"factions.{fa['id']}.support" for fa in factions] + ["domestic.guarantee", "domestic.guarantee_base"]
    events = [{"week": draw(st.integers(0, horizon)), "name": f"e{e}", "target": draw(st.sampled_from(targets)),
               "op": draw(st.sampled_from(["set", "add", "scale"])), "value": draw(num(-2.0, 2.0, 1e3)),
               "probability": draw(UNIT)} for e in range(draw(st.integers(0, 4)))]
    return {
        "name": "generated", "horizon": horizon, "dt": draw(st.sampled_from([1.0, 0.5, 0.25])), "ladder": ladder,
        "states": states, "reactions": reactions, "actions": actions, "leaders": leaders, "factions": factions,
        "events": events,
        "roles": {"adversary": draw(st.sampled_from(ids)), "guarantor": draw(st.sampled_from(ids)),
                  "coalition_lead": draw(st.sampled_from(sorted(members)))},
        "outcomes": {"clash_rung": draw(st.integers(0, n_rungs - 1)),
                     "deescalation_rung": draw(st.integers(0, n_rungs - 1)),
                     "ladder_actors": draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)),
                     "divergence_level": divergence_level},
        "mechanisms": {k: draw(st.booleans()) for k in ("reaction", "decisions", "coalition", "domestic", "events")},
    }


def _shares(raw: list[float]) -> list[float]:
    """Weights that sum to 1 within the schema's tolerance (the last takes the remainder)."""
    if not raw:
        return []
    total = sum(raw)
    shares = [w / total for w in raw[:-1]]
    return shares + [max(0.0, 1.0 - sum(shares))]


def scenario_of(raw: dict) -> sim.Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScenarioWarning)  # extreme values are the point here
        return build_scenario(raw)


def _left_range(trajectory: np.ndarray, level: float) -> bool:
    return bool((~(trajectory <= level)).any())


@given(raw=raw_scenarios(), seed=st.integers(0, 2**63 - 1), replicate=st.integers(0, 2**20))
def test_mesa_and_kernel_paths_agree_bit_for_bit(raw, seed, replicate):
    s = scenario_of(raw)
    kernel = sim.simulate(s, seed, replicate)
    model = sim.EscalationModel(s, seed, replicate).run()
    np.testing.assert_array_equal(model.trajectory, kernel)
    assert not np.isnan(kernel).any() and (kernel >= 0).all()
    diverged = bool(model.workspace.status[S_DIVERGED])
    assert diverged == _left_range(kernel, s.outcomes.divergence_level)
    logged = model.events.loc[model.events["kind"] == "diverged", "week"].tolist()
    assert logged == ([logged[0]] if diverged else []) and (not diverged or 1 <= logged[0] <= s.steps)


@given(raw=raw_scenarios(), seed=st.integers(0, 2**63 - 1))
def test_ensemble_tables_are_finite_and_flag_exactly_the_diverged_replicates(raw, seed):
    s = scenario_of(raw)
    result = sim.run_ensemble(s, REPLICATES, seed, threads=1)
    for name, table in result.tables().items():
        numeric = table.select_dtypes(include="number")
        assert np.isfinite(numeric.to_numpy(dtype=float)).all(), name
    steps = result.tables()["steps"]
    assert (steps.filter(regex=r"^q\d\d$") >= 0).all().all()
    for r in range(REPLICATES):
        trajectory = sim.simulate(s, seed, r)
        assert bool(result.summary["diverged"].iloc[r]) == _left_range(trajectory, s.outcomes.divergence_level)
    assert result.headline()["p_diverged"] == result.summary["diverged"].mean()
