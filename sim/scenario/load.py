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

from . import spec as sc
from .plausible import warn_implausible

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "configs" / "scenario"
VARIANT_KEYS = ("extends", "set", "append")
EVENT_TARGETS = {
    ("states", "x"), ("states", "grievance"), ("states", "coalition", "commitment"),
    ("states", "coalition", "deploy_threshold"), ("leaders", "resolve"),
    ("leaders", "political_capital"), ("factions", "support"),
    ("domestic", "guarantee"), ("domestic", "guarantee_base"), ("leaders", "pledged"), ("crisis", "ceasefire"),
}
MAX_MID_HIACT = 21  # the MID codebook's highest-action codes run 0..21
# Top-level keys kept for old files: ``steps`` (time steps) sets ``horizon = steps * dt``.
LEGACY_KEYS = ("steps",)


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names file and key."""

    def __init__(self, source: str, key: str, message: str):
        self.source, self.key, self.message = source, key, message
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")


def available_scenarios() -> list[str]:
    """Names of the scenarios shipped in ``configs/scenario``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


def resolve_path(name_or_path: str | Path, near: Path | None = None) -> Path:
    """A shipped scenario's name or a path to a YAML file -> an existing path.

    A name is looked up in ``near`` first (the directory of a file that
    ``extends`` it, so variants kept together can build on each other).
    """
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise ScenarioError(text, "", "scenario file not found")
        return path
    if near is not None and (near / f"{text}.yaml").is_file():
        return near / f"{text}.yaml"
    path = SCENARIO_DIR / f"{text}.yaml"
    if not path.is_file():
        raise ScenarioError(str(path), "", f"no scenario named {text!r}{_suggest(text, available_scenarios())}"
                            f" (shipped: {', '.join(available_scenarios())})")
    return path


def resolve_extends(base_name: Any, path: Path) -> Path:
    """The file that ``extends: base_name`` in ``path`` names (beside ``path`` first, never ``path`` itself)."""
    return resolve_path(base_name, path.parent if str(base_name) != path.stem else None)


def load_scenario(name_or_path: str | Path, overrides: Iterable[str] | Mapping[str, Any] = ()) -> sc.Scenario:
    """Load, resolve ``extends``, apply ``overrides`` and validate a scenario.

    ``overrides`` are ``"dotted.path=value"`` strings (values parsed as YAML)
    or a mapping from dotted paths to values.
    """
    path = resolve_path(name_or_path)
    origins: dict[str, tuple[str, str]] = {}
    raw = _load_raw(path, seen=(), origins=origins)
    items = overrides.items() if isinstance(overrides, Mapping) else (_split_override(o) for o in overrides)
    for key, value in items:
        set_path(raw, key, value, source="override")
    try:
        return build_scenario(raw, source=str(path))
    except ScenarioError as err:
        raise _relocate(err, origins) from None


def scenario_problems(name_or_path: str | Path,
                      overrides: Iterable[str] | Mapping[str, Any] = ()) -> list[ScenarioError]:
    """Every problem :func:`load_scenario` would find, not only the first; empty when it loads.

    A problem inside a record can hide others in that record's dependants (an
    unknown key leaves its record unchecked for cross-references).
    """
    errors: list[ScenarioError] = []
    try:
        path = resolve_path(name_or_path)
        origins: dict[str, tuple[str, str]] = {}
        raw = _load_raw(path, seen=(), errors=errors, origins=origins)
        items = overrides.items() if isinstance(overrides, Mapping) else (_split_override(o) for o in overrides)
        for key, value in items:
            try:
                set_path(raw, key, value, source="override")
            except ScenarioError as err:
                errors.append(err)
        build_scenario(raw, source=str(path), errors=errors)
        errors[:] = [_relocate(err, origins) for err in errors]
    except ScenarioError as err:
        errors.append(err)
    return errors


def _relocate(err: ScenarioError, origins: Mapping[str, tuple[str, str]]) -> ScenarioError:
    """Name an appended record by its place in the file that appended it, not by its place in the merged list."""
    for merged, (source, own) in origins.items():
        if err.key == merged or err.key.startswith(merged + "."):
            return ScenarioError(source, own + err.key[len(merged):], err.message)
    return err


def _problem(errors: list | None, err: ScenarioError) -> None:
    """Raise ``err``, or note it in ``errors`` when every problem is being collected."""
    if errors is None:
        raise err
    errors.append(err)


def _split_override(text: str) -> tuple[str, Any]:
    key, sep, value = str(text).partition("=")
    if not sep or not key.strip():
        raise ScenarioError("override", str(text), "expected 'dotted.path=value'")
    return key.strip(), yaml.safe_load(value) if value.strip() else None


def _load_raw(path: Path, seen: tuple[Path, ...], errors: list | None = None,
              origins: dict[str, tuple[str, str]] | None = None) -> dict:
    """The merged raw mapping of ``path`` and what it extends; ``origins`` learns where appended records came from."""
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
        base = _load_raw(resolve_extends(base_name, path), seen + (path.resolve(),), errors, origins)
    except ScenarioError as err:
        raise ScenarioError(str(path), "extends", str(err)) from None
    known = _known_keys([], base) or set()
    for key, value in raw.items():
        if key in VARIANT_KEYS:
            continue
        if key not in known:  # suggest among the keys a variant may use here, 'set' and 'append' included
            _problem(errors, ScenarioError(str(path), str(key),
                                           f"unknown key{_suggest(key, sorted(known | set(VARIANT_KEYS)))}"))
            continue
        base[key] = value
    for key, value in (raw.get("set") or {}).items():
        try:
            set_path(base, key, value, source=str(path), prefix="set.")
        except ScenarioError as err:
            _problem(errors, err)
    for key, items in (raw.get("append") or {}).items():
        if not isinstance(base.get(key, []), list) or not isinstance(items, list):
            _problem(errors, ScenarioError(str(path), f"append.{key}", "expected a list to append to a list"))
            continue
        start = len(base.get(key) or [])
        base[key] = list(base.get(key) or []) + items
        if origins is not None:
            origins.update({f"{key}[{start + j}]": (str(path), f"append.{key}[{j}]") for j in range(len(items))})
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
    if not dataclasses.is_dataclass(cls):
        return None
    return {f.name for f in dataclasses.fields(cls) if f.name != "source"} | (set(LEGACY_KEYS) if cls is sc.Scenario else set())


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
        return _problem(errors, err)
    scenario = _build(sc.Scenario, raw, "", source, errors)
    if scenario is None:
        return None
    scenario = dataclasses.replace(scenario, source=source)
    try:
        _check_references(scenario, source, errors)
    except ScenarioError as err:  # a check that must stop the others
        _problem(errors, err)
    if not errors:  # a scenario with problems gets them, not warnings as well
        warn_implausible(scenario, source)
    return scenario


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
        return _problem(errors, ScenarioError(source, where or "<top>",
                                              f"expected a mapping for {cls.__name__}, got {_kind(raw)}"))
    found = len(errors or ())
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name != "source"}
    for key in raw:
        if key not in fields:
            _problem(errors, ScenarioError(source, _join(where, key), f"unknown key{_suggest(key, fields)}"))
    hints = _type_hints(cls)
    values = {}
    for name, fld in fields.items():
        key = _join(where, name)
        if name not in raw:
            if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                _problem(errors, ScenarioError(source, key, f"missing required key ({_type_name(hints[name])})"))
            continue
        try:
            values[name] = _convert(hints[name], raw[name], key, source, fld.metadata, errors)
        except ScenarioError as err:
            _problem(errors, err)
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


# --- cross-references ------------------------------------------------------

def _check_references(s: sc.Scenario, source: str, errors: list | None = None) -> None:
    def unique(records, attr, where):
        seen = set()
        for i, r in enumerate(records):
            value = getattr(r, attr)
            if value in seen:
                _problem(errors, ScenarioError(source, f"{where}[{i}].{attr}", f"duplicate {attr} {value!r}"))
            seen.add(value)

    def actor(value, key):
        if value not in ids:
            _problem(errors, ScenarioError(source, key, f"unknown actor {value!r}{_suggest(value, ids)}"))

    if not s.states:
        return _problem(errors, ScenarioError(source, "states", "at least one state is required"))
    ids = s.actor_ids
    unique(s.states, "id", "states")
    unique(s.leaders, "id", "leaders")
    unique(s.leaders, "state", "leaders")
    unique(s.factions, "id", "factions")
    unique(s.actions, "name", "actions")
    unique(s.ladder, "name", "ladder")
    if len(s.ladder) < 2:
        _problem(errors, ScenarioError(source, "ladder", "at least two rungs are required"))
    if len(s.states) > sc.MAX_STATES:
        _problem(errors, ScenarioError(source, "states", f"at most {sc.MAX_STATES} states, got {len(s.states)}"))
    if len(s.ladder) > sc.MAX_RUNGS:
        _problem(errors, ScenarioError(source, "ladder", f"at most {sc.MAX_RUNGS} rungs, got {len(s.ladder)}"))
    for i, st in enumerate(s.states):
        if st.x0 > s.outcomes.divergence_level:  # the kernel checks levels only as they change
            _problem(errors, ScenarioError(source, f"states[{i}].x0", f"{st.x0!r} starts above "
                                           f"outcomes.divergence_level ({s.outcomes.divergence_level:g})"))
    per_week = 1.0 / s.dt
    if abs(per_week - round(per_week)) > 1e-9 * per_week:
        _problem(errors, ScenarioError(source, "dt", f"{s.dt!r} weeks per step does not divide a week; expected "
                                                     f"1/n for a whole n (1, 0.5, 0.25, 0.2, ...)"))
    if s.domestic.capital_weight + s.domestic.support_weight > 1.0 + 1e-12:
        _problem(errors, ScenarioError(source, "domestic.support_weight",
                                       f"capital_weight + support_weight must be at most 1 (cohesion gets the "
                                       f"rest), got {s.domestic.capital_weight} + {s.domestic.support_weight}"))
    if s.ladder and s.ladder[0].threshold != 0.0:
        _problem(errors, ScenarioError(source, "ladder[0].threshold", "the first rung must start at 0"))
    owner: dict[int, int] = {}
    for i, rung in enumerate(s.ladder):
        for j, code in enumerate(rung.mid_hiact):
            if not 0 <= code <= MAX_MID_HIACT:
                _problem(errors, ScenarioError(source, f"ladder[{i}].mid_hiact[{j}]",
                                               f"{code} is not a MID highest-action code, expected 0..{MAX_MID_HIACT}"))
            elif code in owner:
                _problem(errors, ScenarioError(source, f"ladder[{i}].mid_hiact[{j}]",
                                               f"code {code} already belongs to ladder[{owner[code]}]"))
            owner.setdefault(code, i)
    for i in range(1, len(s.ladder)):
        if s.ladder[i].threshold <= s.ladder[i - 1].threshold:
            _problem(errors, ScenarioError(source, f"ladder[{i}].threshold",
                                           f"rungs must be in increasing order of threshold "
                                           f"({s.ladder[i].threshold} after {s.ladder[i - 1].threshold})"))
    for key, value in (("outcomes.clash_rung", s.outcomes.clash_rung),
                       ("outcomes.deescalation_rung", s.outcomes.deescalation_rung)):
        if value >= len(s.ladder):
            _problem(errors, ScenarioError(source, key,
                                           f"rung {value} does not exist (ladder has {len(s.ladder)} rungs)"))
    for i, a in enumerate(s.outcomes.ladder_actors):
        actor(a, f"outcomes.ladder_actors[{i}]")
    for i, a in enumerate(s.outcomes.deescalation_actors):
        actor(a, f"outcomes.deescalation_actors[{i}]")
    for role in ("adversary", "guarantor", "coalition_lead"):
        actor(getattr(s.roles, role), f"roles.{role}")
    lead = s.states[s.index(s.roles.coalition_lead)] if s.roles.coalition_lead in ids else None
    if lead is not None and lead.coalition is None:
        _problem(errors, ScenarioError(source, "roles.coalition_lead", f"{lead.id!r} has no 'coalition' membership"))
    for i, st in enumerate(s.states):
        m = st.coalition
        if m is not None and not m.withdraw_threshold < m.deploy_threshold:
            _problem(errors, ScenarioError(source, f"states[{i}].coalition.withdraw_threshold",
                                           f"must be below deploy_threshold "
                                           f"({m.withdraw_threshold} >= {m.deploy_threshold})"))
    for i, r in enumerate(s.reactions):
        actor(r.actor, f"reactions[{i}].actor")
        actor(r.responds_to, f"reactions[{i}].responds_to")
        if r.actor == r.responds_to:
            _problem(errors, ScenarioError(source, f"reactions[{i}]",
                                           "an actor's self-reaction is its fatigue, not a reaction"))
    action_names = [a.name for a in s.actions]
    for i, ld in enumerate(s.leaders):
        actor(ld.state, f"leaders[{i}].state")
        for j, t in enumerate(ld.targets):
            actor(t, f"leaders[{i}].targets[{j}]")
        for j, a in enumerate(ld.actions):
            if a not in action_names:
                _problem(errors, ScenarioError(source, f"leaders[{i}].actions[{j}]",
                                               f"unknown action {a!r}{_suggest(a, action_names)}"))
    if s.leaders and not s.actions:
        _problem(errors, ScenarioError(source, "actions", "leaders need an action catalogue"))
    if s.factions and abs(sum(f.weight for f in s.factions) - 1.0) > 1e-9:
        _problem(errors, ScenarioError(source, "factions",
                                       f"weights must sum to 1, got {sum(f.weight for f in s.factions):g}"))
    for i, ev in enumerate(s.events):
        try:
            _check_event(s, ev, f"events[{i}]", source)
        except ScenarioError as err:
            _problem(errors, err)


def _check_event(s: sc.Scenario, ev: sc.Event, key: str, source: str) -> None:
    if ev.op not in ("set", "add", "scale"):
        raise ScenarioError(source, f"{key}.op", f"expected one of set, add, scale, got {ev.op!r}")
    parts = ev.target.split(".")
    if parts[:2] == ["states", "*"]:
        if parts[2:] != ["coalition", "commitment"]:
            raise ScenarioError(source, f"{key}.target", "'states.*' (every coalition member) takes only "
                                                         "'coalition.commitment'")
        if not s.members:
            raise ScenarioError(source, f"{key}.target", "'states.*' needs coalition members")
        return
    pattern = (parts[0],) + tuple(parts[2:]) if parts[0] in ("states", "leaders", "factions") else tuple(parts)
    if pattern not in EVENT_TARGETS:
        allowed = sorted(".".join(p[:1] + ("<id>",) + p[1:]) if p[0] in ("states", "leaders", "factions")
                         else ".".join(p) for p in EVENT_TARGETS)
        raise ScenarioError(source, f"{key}.target", f"cannot target {ev.target!r}; expected one of {', '.join(allowed)}")
    if parts[0] in ("states", "leaders", "factions"):
        ids = [r.id for r in getattr(s, parts[0])]
        if len(parts) < 2 or parts[1] not in ids:
            name = parts[1] if len(parts) > 1 else ""
            raise ScenarioError(source, f"{key}.target", f"unknown {parts[0][:-1]} {name!r}{_suggest(name, ids)}")
        if parts[0] == "states" and "coalition" in parts and s.states[ids.index(parts[1])].coalition is None:
            raise ScenarioError(source, f"{key}.target", f"{parts[1]!r} is not a coalition member")
