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

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from . import spec as sc
from .build import LEGACY_KEYS, _element_type, _type_hints, build_scenario
from .errors import ScenarioError, add_problem, did_you_mean

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "configs" / "scenarios"
# libyaml's parser when PyYAML was built with it (ten times faster on the baseline; the same safe
# constructor and resolver, so the same values)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VARIANT_KEYS = ("extends", "set", "append")


def available_scenarios() -> list[str]:
    """Names of the scenarios shipped in ``configs/scenarios``."""
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
        raise ScenarioError(str(path), "", no_scenario_named(text, available_scenarios(), "shipped"))
    return path


def no_scenario_named(name: str, names: Iterable[str], kind: str = "available") -> str:
    """``no scenario named 'x' (did you mean 'y'?) (available: a, b)``: what an unknown name is told."""
    names = list(names)
    return f"no scenario named {name!r}{did_you_mean(name, names)} ({kind}: {', '.join(names)})"


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
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
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
            add_problem(errors, ScenarioError(str(path), str(key),
                                           f"unknown key{did_you_mean(key, sorted(known | set(VARIANT_KEYS)))}"))
            continue
        base[key] = value
    for key, value in (raw.get("set") or {}).items():
        try:
            set_path(base, key, value, source=str(path), prefix="set.")
        except ScenarioError as err:
            add_problem(errors, err)
    for key, items in (raw.get("append") or {}).items():
        if not isinstance(base.get(key, []), list) or not isinstance(items, list):
            add_problem(errors, ScenarioError(str(path), f"append.{key}", "expected a list to append to a list"))
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
                raise ScenarioError(source, where, f"no record {part!r}{did_you_mean(part, [k for k in keys if k])}")
            if last:
                node[idx] = value
                return
            node = node[idx]
        elif isinstance(node, dict):
            if last:
                known = _known_keys(parts[:-1], raw)
                if part not in node and known is not None and part not in known:
                    raise ScenarioError(source, where, f"unknown key{did_you_mean(part, sorted(known))}")
                node[part] = value
                return
            if node.get(part) is None:
                known = _known_keys(parts[:depth], raw)
                if known is None or part not in known:
                    raise ScenarioError(source, where, f"unknown key{did_you_mean(part, sorted(node) or sorted(known or ()))}")
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
