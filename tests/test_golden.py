"""Golden numbers: a short baseline trajectory and ensemble pinned by hashes, and the longest horizon.

Any change to the numbers the engine produces, intended or not, changes a hash. After a
deliberate change to the model, regenerate the pins and say why in the commit:

    ESCALATE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

The hashes cover every bit of the float64 levels and every summary column, so they also
catch a stale compiled kernel or a change of summation order.
"""
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.scenario.spec import MAX_HORIZON
from sim.scenario.errors import ScenarioError
from sim.scenario.build import build_scenario

from tests.conftest import toy_raw

GOLDEN = Path(__file__).with_name("golden.json")
UPDATE = os.environ.get("ESCALATE_UPDATE_GOLDEN") == "1"


def _digest(*arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str(a.dtype).encode() + str(a.shape).encode() + a.tobytes())
    return h.hexdigest()


def _current() -> dict[str, str]:
    baseline = sim.load_scenario("baseline")
    levels = sim.simulate(baseline, seed=20250904, replicate=3)
    summary = sim.run_ensemble(baseline, 256, seed=20250904).summary
    columns = [summary[c].cat.codes.to_numpy() if summary[c].dtype == "category" else summary[c].to_numpy()
               for c in summary.columns]
    return {"baseline_trajectory": _digest(levels), "baseline_summary": _digest(*columns),
            "summary_columns": ",".join(summary.columns)}


def test_golden_numbers():
    current = _current()
    if UPDATE:
        GOLDEN.write_text(json.dumps(current, indent=2) + "\n")
    pinned = json.loads(GOLDEN.read_text())
    assert current == pinned, ("the engine's numbers changed; if that is intended, regenerate with "
                               "ESCALATE_UPDATE_GOLDEN=1 and say why")


def _long_run(horizon):
    raw = toy_raw(2, mechanisms={"events": True})
    raw.update(horizon=horizon, dt=1.0)
    # the top rung is reached only in the last week: the week column must hold the largest week
    raw["events"] = [{"week": horizon, "name": "last week", "target": "states.S0.x", "value": 8.5}]
    return build_scenario(raw)


def test_the_longest_horizon_fits_every_week_column():
    s = _long_run(MAX_HORIZON)
    summary = sim.run_ensemble(s, 3, seed=1).summary
    assert (summary[f"first_week_rung_{len(s.ladder) - 1}"] == MAX_HORIZON).all()
    for column in ("clash_week", "ceasefire_week", "diverged_week", "deployed_peak"):
        assert np.iinfo(summary[column].dtype).max >= MAX_HORIZON
    with pytest.raises(ScenarioError, match=r"horizon: .* out of range"):
        _long_run(MAX_HORIZON + 1)
