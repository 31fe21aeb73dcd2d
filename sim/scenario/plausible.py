"""Values a scenario may legally hold but almost surely did not mean: warnings, not errors.

The schema's ranges reject what cannot be computed (a probability of 1.7); a noise of
1e308 or a start far above the top rung is computable and legal, but it makes every
replicate diverge or sit beyond the ladder. Each finding is one
:class:`ScenarioWarning` naming the file and the key by its dotted path (the form
overrides take: ``states.RUS.noise``).
"""
from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Iterator

from . import spec as sc

MAGNITUDE_LIMIT = 1.0e3   # a rate, weight or coefficient beyond this is a typo or a unit slip
LEVEL_FACTOR = 10.0       # a level this many times the top rung's threshold is off the ladder
EULER_LIMIT = 2.0         # fatigue * dt above 2: the weekly update overshoots and grows (explicit Euler)
# levels are judged against the ladder (or not at all); a huge logit precision is the best-response limit
NOT_MAGNITUDES = {"divergence_level", "threshold", "rationality"}


class ScenarioWarning(UserWarning):
    """A legal but implausible scenario value; the message names the file and the key."""


def findings(s: sc.Scenario) -> list[tuple[str, Any, str]]:
    """``(dotted key, value, why)`` for every implausible value of ``s``."""
    top = s.ladder[-1].threshold
    found = []
    for key, value, meta in _numbers(s):
        name = key.rsplit(".", 1)[-1]
        if meta.get("hi") is None and name not in NOT_MAGNITUDES and abs(value) > MAGNITUDE_LIMIT:
            found.append((key, value, f"magnitude above {MAGNITUDE_LIMIT:g}"))
    for st in s.states:
        if st.x0 > LEVEL_FACTOR * top:
            found.append((f"states.{st.id}.x0", st.x0, f"more than {LEVEL_FACTOR:g} times the top rung's threshold {top:g}"))
        if st.noise > top:
            found.append((f"states.{st.id}.noise", st.noise, f"one week's noise spans the whole ladder (top rung {top:g})"))
        if st.fatigue * s.dt > EULER_LIMIT:
            found.append((f"states.{st.id}.fatigue", st.fatigue,
                          f"fatigue * dt = {st.fatigue * s.dt:g} above {EULER_LIMIT:g}: the update is numerically unstable"))
    for i, ev in enumerate(s.events):
        if ev.target.endswith(".x") and ev.op != "scale" and abs(ev.value) > LEVEL_FACTOR * top:
            found.append((f"events.{ev.name or i}.value", ev.value,
                          f"a level more than {LEVEL_FACTOR:g} times the top rung's threshold {top:g}"))
    return found


def warn_implausible(s: sc.Scenario, source: str) -> None:
    """One :class:`ScenarioWarning` per implausible key (its first reason)."""
    first = {}
    for key, value, why in findings(s):
        first.setdefault(key, (value, why))
    for key, (value, why) in first.items():
        warnings.warn(ScenarioWarning(f"{source}: {key}: {value!r} is implausible ({why}); legal, but check it"),
                      stacklevel=3)


def _numbers(node: Any, key: str = "") -> Iterator[tuple[str, float, dict]]:
    """Every float field under ``node`` with its dotted key (records by id or name) and schema metadata."""
    for fld in dataclasses.fields(node):
        value = getattr(node, fld.name)
        path = f"{key}.{fld.name}" if key else fld.name
        if dataclasses.is_dataclass(value):
            yield from _numbers(value, path)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    label = getattr(item, "id", None) or getattr(item, "name", None) or str(i)
                    yield from _numbers(item, f"{path}.{label}")
        elif isinstance(value, float) and math.isfinite(value):
            yield path, value, dict(fld.metadata)
