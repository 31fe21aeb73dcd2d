"""Load scenario YAML files into validated :class:`~sim.scenario.Scenario` objects.

A scenario file either stands alone or ``extends`` another one and changes it
with ``set`` (dotted path -> value) and ``append`` (lists to extend). The same
dotted paths serve command-line overrides and sweeps, e.g.
``states.RUS.grievance=0.8`` or ``leaders.putin.resolve=0.9``: a list of
records is addressed by the record's ``id`` (``name`` for rungs, actions and
events) or by its position.

Every problem raises :class:`ScenarioError` whose message is one line naming
the file, the key and what was expected.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import math
import types
import typing
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from . import scenario as sc
from .plausible import warn_implausible

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "configs" / "scenario"
VARIANT_KEYS = ("extends", "set", "append")
EVENT_TARGETS = {
    ("states", "x"), ("states", "grievance"), ("states", "coalition", "commitment"),
    ("states", "coalition", "deploy_threshold"), ("leaders", "resolve"),
    ("leaders", "political_capital"), ("factions", "support"),
    ("domestic", "guarantee"), ("domestic", "guarantee_base"),
}


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names file and key."""

    def __init__(self, source: str, key: str, message: str):
        self.source, self.key = source, key
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")


def available_scenarios() -> list[str]:
    """Names of the scenarios shipped in ``configs/scenario``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def resolve_path(name_or_path: str | Path) -> Path:
    """A shipped scenario's name or a path to a YAML file -> an existing path."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise ScenarioError(text, "", "scenario file not found")
        return path
    path = SCENARIO_DIR / f"{text}.yaml"
    if not path.is_file():
        raise ScenarioError(str(path), "", f"no scenario named {text!r}{_suggest(text, available_scenarios())}"
                            f" (shipped: {', '.join(available_scenarios())})")
    return path


def load_scenario(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> sc.Scenario:
    """Load, resolve ``extends``, apply ``overrides`` and validate a scenario.

    ``overrides`` are ``"dotted.path=value"`` strings (values parsed as YAML)
    or a mapping from dotted paths to values.
    """
    path = resolve_path(name_or_path)
    raw = _load_raw(path, seen=())
    items = overrides.items() if isinstance(overrides, Mapping) else (_split_override(o) for o in overrides)
    for key, value in items:
        set_path(raw, key, value, source="override")
    return build_scenario(raw, source=str(path))


def _split_override(text: str) -> tuple[str, Any]:
    key, sep, value = str(text).partition("=")
    if not sep or not key.strip():
        raise ScenarioError("override", str(text), "expected 'dotted.path=value'")
    return key.strip(), yaml.safe_load(value) if value.strip() else None


def _load_raw(path: Path, seen: tuple[Path, ...]) -> dict:
    if path.resolve() in seen:
        raise ScenarioError(str(path), "extends", "circular 'extends'")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "yaml"
        raise ScenarioError(str(path), where, f"invalid YAML: {getattr(err, 'problem', err)}") from None
    except OSError as err:
        raise ScenarioError(str(path), "", f"cannot read file: {err.strerror}") from None
    if not isinstance(raw, dict):
        raise ScenarioError(str(path), "", "expected a mapping at the top level")
    if "extends" not in raw:
        for key in ("set", "append"):
            if key in raw:
                raise ScenarioError(str(path), key, "only allowed together with 'extends'")
        return raw
    base_name = raw["extends"]
    try:
        base = _load_raw(resolve_path(base_name), seen + (path.resolve(),))
    except ScenarioError as err:
        raise ScenarioError(str(path), "extends", str(err)) from None
    for key, value in raw.items():
        if key not in VARIANT_KEYS:
            base[key] = value
    for key, value in (raw.get("set") or {}).items():
        set_path(base, key, value, source=str(path), prefix="set.")
    for key, items in (raw.get("append") or {}).items():
        if not isinstance(base.get(key, []), list) or not isinstance(items, list):
            raise ScenarioError(str(path), f"append.{key}", "expected a list to append to a list")
        base[key] = list(base.get(key) or []) + items
    return base


def _record_key(record: Any) -> str | None:
    if isinstance(record, dict):
        for key in ("id", "name"):
            if key in record:
                return str(record[key])
    return None


def set_path(raw: dict, dotted: str, value: Any, *, source: str, prefix: str = "") -> None:
    """Set ``value`` at ``dotted`` in the raw scenario dict, or raise naming the nearest key."""
    parts = dotted.split(".")
    node: Any = raw
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        where = prefix + ".".join(parts[: depth + 1])
        if isinstance(node, list):
            keys = [_record_key(r) for r in node]
            if part in keys:
                idx = keys.index(part)
            elif part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
                idx = int(part)
            else:
                raise ScenarioError(source, where, f"no record {part!r}{_suggest(part, [k for k in keys if k])}")
            if last:
                node[idx] = value
                return
            node = node[idx]
        elif isinstance(node, dict):
            if last:
                known = _known_keys(parts[:-1], raw)
                if part not in node and known is not None and part not in known:
                    raise ScenarioError(source, where, f"unknown key{_suggest(part, sorted(known))}")
                node[part] = value
                return
            if node.get(part) is None:
                known = _known_keys(parts[:depth], raw)
                if known is None or part not in known:
                    raise ScenarioError(source, where, f"unknown key{_suggest(part, sorted(node) or sorted(known or ()))}")
                node[part] = {}
            node = node[part]
        else:
            raise ScenarioError(source, where, "cannot descend into a value")


def _known_keys(parts: list[str], raw: dict) -> set[str] | None:
    """Field names allowed at the dict reached by ``parts`` (None when not a schema dict)."""
    cls: Any = sc.Scenario
    for part in parts:
        hints = _type_hints(cls)
        if part not in hints:
            # a list element: the path part is a record key, keep the element type
            continue
        cls = _element_type(hints[part])
        if cls is None:
            return None
    return {f.name for f in dataclasses.fields(cls) if f.name != "source"} if dataclasses.is_dataclass(cls) else None


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


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- building dataclasses -------------------------------------------------

def build_scenario(raw: Mapping[str, Any], source: str = "<memory>") -> sc.Scenario:
    """Validate a raw mapping (already resolved) into a :class:`Scenario`."""
    raw = copy.deepcopy(dict(raw))
    raw.pop("extends", None)
    scenario = _build(sc.Scenario, raw, "", source)
    scenario = dataclasses.replace(scenario, source=source)
    _check_references(scenario, source)
    warn_implausible(scenario, source)
    return scenario


def _build(cls: type, raw: Any, where: str, source: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ScenarioError(source, where or "<top>", f"expected a mapping for {cls.__name__}, got {_kind(raw)}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
    for key in raw:
        if key not in fields:
            raise ScenarioError(source, _join(where, key), f"unknown key{_suggest(key, fields)}")
    hints = _type_hints(cls)
    values = {}
    for name, fld in fields.items():
        key = _join(where, name)
        if name not in raw:
            if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                raise ScenarioError(source, key, f"missing required key ({_type_name(hints[name])})")
            continue
        values[name] = _convert(hints[name], raw[name], key, source, fld.metadata)
    return cls(**values)


def _convert(hint: Any, value: Any, key: str, source: str, meta: Mapping) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        return _convert(_element_type(hint), value, key, source, meta)
    if origin is tuple:
        elem = typing.get_args(hint)[0]
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ScenarioError(source, key, f"expected a list, got {_kind(value)}")
        return tuple(_convert(elem, v, f"{key}[{i}]", source, {}) for i, v in enumerate(value))
    if dataclasses.is_dataclass(hint):
        return _build(hint, value if value is not None else {}, key, source)
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


# --- cross-references ------------------------------------------------------

def _check_references(s: sc.Scenario, source: str) -> None:
    def unique(records, attr, where):
        seen = set()
        for i, r in enumerate(records):
            value = getattr(r, attr)
            if value in seen:
                raise ScenarioError(source, f"{where}[{i}].{attr}", f"duplicate {attr} {value!r}")
            seen.add(value)

    def actor(value, key):
        if value not in ids:
            raise ScenarioError(source, key, f"unknown actor {value!r}{_suggest(value, ids)}")

    if not s.states:
        raise ScenarioError(source, "states", "at least one state is required")
    ids = s.actor_ids
    unique(s.states, "id", "states")
    unique(s.leaders, "id", "leaders")
    unique(s.leaders, "state", "leaders")
    unique(s.factions, "id", "factions")
    unique(s.actions, "name", "actions")
    unique(s.ladder, "name", "ladder")
    if len(s.ladder) < 2:
        raise ScenarioError(source, "ladder", "at least two rungs are required")
    if s.ladder[0].threshold != 0.0:
        raise ScenarioError(source, "ladder[0].threshold", "the first rung must start at 0")
    for i in range(1, len(s.ladder)):
        if s.ladder[i].threshold <= s.ladder[i - 1].threshold:
            raise ScenarioError(source, f"ladder[{i}].threshold",
                                f"rungs must be in increasing order of threshold "
                                f"({s.ladder[i].threshold} after {s.ladder[i - 1].threshold})")
    for key, value in (("outcomes.clash_rung", s.outcomes.clash_rung),
                       ("outcomes.deescalation_rung", s.outcomes.deescalation_rung)):
        if value >= len(s.ladder):
            raise ScenarioError(source, key, f"rung {value} does not exist (ladder has {len(s.ladder)} rungs)")
    for i, a in enumerate(s.outcomes.ladder_actors):
        actor(a, f"outcomes.ladder_actors[{i}]")
    for role in ("adversary", "guarantor", "coalition_lead"):
        actor(getattr(s.roles, role), f"roles.{role}")
    lead = s.states[s.index(s.roles.coalition_lead)]
    if lead.coalition is None:
        raise ScenarioError(source, "roles.coalition_lead", f"{lead.id!r} has no 'coalition' membership")
    for i, st in enumerate(s.states):
        m = st.coalition
        if m is not None and not m.withdraw_threshold < m.deploy_threshold:
            raise ScenarioError(source, f"states[{i}].coalition.withdraw_threshold",
                                f"must be below deploy_threshold ({m.withdraw_threshold} >= {m.deploy_threshold})")
    for i, r in enumerate(s.reactions):
        actor(r.actor, f"reactions[{i}].actor")
        actor(r.responds_to, f"reactions[{i}].responds_to")
        if r.actor == r.responds_to:
            raise ScenarioError(source, f"reactions[{i}]", "an actor's self-reaction is its fatigue, not a reaction")
    action_names = [a.name for a in s.actions]
    for i, ld in enumerate(s.leaders):
        actor(ld.state, f"leaders[{i}].state")
        for j, t in enumerate(ld.targets):
            actor(t, f"leaders[{i}].targets[{j}]")
        for j, a in enumerate(ld.actions):
            if a not in action_names:
                raise ScenarioError(source, f"leaders[{i}].actions[{j}]", f"unknown action {a!r}{_suggest(a, action_names)}")
    if s.leaders and not s.actions:
        raise ScenarioError(source, "actions", "leaders need an action catalogue")
    if s.factions and abs(sum(f.weight for f in s.factions) - 1.0) > 1e-9:
        raise ScenarioError(source, "factions", f"weights must sum to 1, got {sum(f.weight for f in s.factions):g}")
    for i, ev in enumerate(s.events):
        _check_event(s, ev, f"events[{i}]", source)


def _check_event(s: sc.Scenario, ev: sc.Event, key: str, source: str) -> None:
    if ev.op not in ("set", "add", "scale"):
        raise ScenarioError(source, f"{key}.op", f"expected one of set, add, scale, got {ev.op!r}")
    if ev.week > s.steps:
        raise ScenarioError(source, f"{key}.week", f"week {ev.week} is after the horizon ({s.steps})")
    parts = ev.target.split(".")
    pattern = (parts[0],) + tuple(parts[2:]) if parts[0] in ("states", "leaders", "factions") else tuple(parts)
    if pattern not in EVENT_TARGETS:
        allowed = sorted(".".join(p[:1] + ("<id>",) + p[1:]) if p[0] != "domestic" else ".".join(p) for p in EVENT_TARGETS)
        raise ScenarioError(source, f"{key}.target", f"cannot target {ev.target!r}; expected one of {', '.join(allowed)}")
    if parts[0] in ("states", "leaders", "factions"):
        ids = [r.id for r in getattr(s, parts[0])]
        if len(parts) < 2 or parts[1] not in ids:
            name = parts[1] if len(parts) > 1 else ""
            raise ScenarioError(source, f"{key}.target", f"unknown {parts[0][:-1]} {name!r}{_suggest(name, ids)}")
        if parts[0] == "states" and "coalition" in parts and s.states[ids.index(parts[1])].coalition is None:
            raise ScenarioError(source, f"{key}.target", f"{parts[1]!r} is not a coalition member")
