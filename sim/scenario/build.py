"""Build validated :class:`~sim.scenario.spec.Scenario` objects from raw mappings, and back.

The dataclasses of :mod:`sim.scenario.spec` are the schema: each field's type and
``lo``/``hi`` metadata say what a key accepts. Cross-references (actors, rungs,
event targets) are :mod:`sim.scenario.references`' job.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import math
import types
import typing
from typing import Any, Mapping

from . import spec as sc
from .errors import ScenarioError, add_problem, did_you_mean
from .plausible import warn_implausible
from .references import check_references

# Top-level keys kept for old files: ``steps`` (time steps) sets ``horizon = steps * dt``.
LEGACY_KEYS = ("steps",)


@functools.lru_cache(maxsize=None)
def _type_hints(cls: type) -> dict[str, Any]:
    # Resolving string annotations is most of the cost of building a scenario; sweeps build thousands.
    return typing.get_type_hints(cls)


def _element_type(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is tuple:
        return typing.get_args(hint)[0]
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return hint


def build_scenario(raw: Mapping[str, Any], source: str = "<memory>", errors: list | None = None) -> sc.Scenario | None:
    """Validate a raw mapping (already resolved) into a :class:`Scenario`.

    With ``errors``, problems are appended to it instead of raised (None comes back
    when the structure itself is broken).
    """
    raw = copy.deepcopy(dict(raw))
    raw.pop("extends", None)
    try:
        _legacy_steps(raw, source)
    except ScenarioError as err:
        return add_problem(errors, err)
    scenario = _build(sc.Scenario, raw, "", source, errors)
    if scenario is None:
        return None
    scenario = dataclasses.replace(scenario, source=source)
    try:
        check_references(scenario, source, errors)
    except ScenarioError as err:  # a check that must stop the others
        add_problem(errors, err)
    if not errors:  # a scenario with problems gets them, not warnings as well
        warn_implausible(scenario, source)
    return scenario


def scenario_raw(scenario: sc.Scenario) -> dict:
    """A validated scenario as the raw mapping :func:`build_scenario` accepts."""
    def raw(value):
        if dataclasses.is_dataclass(value):
            return {f.name: raw(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "source"}
        if isinstance(value, (list, tuple)):
            return [raw(v) for v in value]
        return value
    return raw(scenario)


def _legacy_steps(raw: dict, source: str) -> None:
    """``steps`` (a count of time steps, as older files wrote it) becomes ``horizon = steps * dt`` weeks."""
    if "steps" not in raw:
        return
    steps = raw.pop("steps")
    dt = raw.get("dt", 1.0)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ScenarioError(source, "steps", f"expected a positive whole number of time steps, got {steps!r}")
    if isinstance(dt, bool) or not isinstance(dt, (int, float)) or dt <= 0:
        return  # dt's own check reports it
    weeks = steps * dt
    if abs(weeks - round(weeks)) > 1e-9 * max(1.0, weeks):
        raise ScenarioError(source, "steps", f"{steps} steps of dt={dt} is {weeks:g} weeks; the horizon must be "
                                             f"whole weeks (set 'horizon' in weeks instead)")
    raw["horizon"] = int(round(weeks))


def _build(cls: type, raw: Any, where: str, source: str, errors: list | None = None) -> Any:
    if not isinstance(raw, Mapping):
        return add_problem(errors, ScenarioError(source, where or "<top>",
                                              f"expected a mapping for {cls.__name__}, got {_kind(raw)}"))
    found = len(errors or ())
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
    for key in raw:
        if key not in fields:
            add_problem(errors, ScenarioError(source, _join(where, key), f"unknown key{did_you_mean(key, fields)}"))
    hints = _type_hints(cls)
    values = {}
    for name, fld in fields.items():
        key = _join(where, name)
        if name not in raw:
            if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                add_problem(errors, ScenarioError(source, key, f"missing required key ({_type_name(hints[name])})"))
            continue
        try:
            values[name] = _convert(hints[name], raw[name], key, source, fld.metadata, errors)
        except ScenarioError as err:
            add_problem(errors, err)
    return None if len(errors or ()) > found else cls(**values)


def _convert(hint: Any, value: Any, key: str, source: str, meta: Mapping, errors: list | None = None) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        return _convert(_element_type(hint), value, key, source, meta, errors)
    if origin is tuple:
        elem = typing.get_args(hint)[0]
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)):  # tuples: scenarios built in Python from dataclasses
            raise ScenarioError(source, key, f"expected a list, got {_kind(value)}")
        return tuple(_convert(elem, v, f"{key}[{i}]", source, {}, errors) for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return _build(hint, value if value is not None else {}, key, source, errors)
    if hint is bool:
        if not isinstance(value, bool):
            raise ScenarioError(source, key, f"expected true or false, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ScenarioError(source, key, f"expected a string, got {_kind(value)}")
        return str(value)
    if hint in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint_text = ""
            if isinstance(value, str) and _is_float(value):
                hint_text = " (YAML reads 1e6 as text: write 1.0e+6)"
            raise ScenarioError(source, key, f"expected a number, got {value!r}{hint_text}")
        if hint is int and value != int(value):
            raise ScenarioError(source, key, f"expected an integer, got {value!r}")
        if not math.isfinite(value):
            raise ScenarioError(source, key, f"expected a finite number, got {value!r}")
        value = hint(value)
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            bounds = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
            raise ScenarioError(source, key, f"{value!r} is out of range, expected {bounds}")
        return value
    raise TypeError(f"unsupported schema type {hint!r}")  # a bug in the schema, not in the file


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", str(hint))
