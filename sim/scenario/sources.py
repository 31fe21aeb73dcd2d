"""Where each number of a scenario comes from, read from the source comments of its YAML files.

Every number in a scenario file carries a comment that says where its direction
(why it pushes the way it does) and its size come from::

    resolve: 0.9    # direction: 'measured but resolute response' (article); size: assumption
    fatigue: 0.4    # assumption: half-life ~1.7 weeks without stimulus

A number without a comment of its own takes the comment of the entry around it
(``coalition:  # ... (article)`` sources the membership's numbers). A size whose
source mentions "assumption", and a number with no source at all, count as
assumed. The comments are read with a round-trip YAML parser (ruamel.yaml);
variants are resolved through ``extends``, ``set`` and ``append`` like the
validator does, so a number changed by a variant takes the variant's comment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .load import VARIANT_KEYS, resolve_extends, resolve_path

from .errors import ScenarioError

_DIRECTION = re.compile(r"direction:\s*([^;]*)", re.IGNORECASE)
_SIZE = re.compile(r"size:\s*([^;]*)", re.IGNORECASE)


@dataclass(frozen=True)
class NumberSource:
    """One number of a scenario file and the comment that sources it."""

    path: str          # dotted path, records by id or name (as in ``set:``)
    value: float
    file: str
    line: int          # 1-based
    comment: str       # '' when neither the number nor an entry around it has one
    direction: str
    size: str

    @property
    def assumed(self) -> bool:
        return not self.comment or "assumption" in self.size.lower()

    @property
    def kind(self) -> str:
        """``assumption``, ``unsourced``, ``calibrated`` or ``cited``: where the size comes from."""
        if not self.comment:
            return "unsourced"
        if self.assumed:
            return "assumption"
        return "calibrated" if "calibrated" in self.size.lower() else "cited"


def split_comment(comment: str) -> tuple[str, str]:
    """(direction, size) of a comment; the old one-part style sources both."""
    text = comment.lstrip("#").strip()
    size, direction = _SIZE.search(text), _DIRECTION.search(text)
    if size is None and direction is None:
        return text, text
    rest = _SIZE.sub("", _DIRECTION.sub("", text)).strip(" ;")
    return ((direction.group(1).strip() if direction else rest),
            (size.group(1).strip() if size else rest))


def _eol(token_list: list | None, index: int) -> str:
    """The end-of-line comment among ruamel's comment tokens (later lines are block comments)."""
    token = token_list[index] if token_list and len(token_list) > index else None
    if token is None or not token.value.startswith("#"):
        return ""
    return token.value.splitlines()[0].strip()


def _record_key(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "name"):
            if key in item:
                return str(item[key])
    return str(index)


def _walk(node: Any, path: str, comment: str, file: str, line: int, out: list[NumberSource], start: int = 0) -> None:
    """Append every number under ``node``; ``start`` is the index of a list's first record (appended lists)."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            own = _eol(node.ca.items.get(key), 2)
            _walk(value, f"{path}.{key}" if path else str(key), own or comment, file, node.lc.value(key)[0] + 1, out)
    elif isinstance(node, CommentedSeq):
        if not any(isinstance(v, CommentedMap) for v in node):
            return  # a list of codes or ids (ladder_actors, mid_hiact), not parameters
        for i, value in enumerate(node):
            own = _eol(node.ca.items.get(i), 0)
            _walk(value, f"{path}.{_record_key(value, start + i)}", own or comment, file, node.lc.item(i)[0] + 1, out)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        direction, size = split_comment(comment) if comment else ("", "")
        out.append(NumberSource(path, float(node), file, line, comment.lstrip("#").strip(), direction, size))


def _read(path: Path) -> CommentedMap:
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ScenarioError(str(path), "", f"cannot read file: {err.strerror}") from None
    except Exception as err:  # ruamel's parser and scanner errors share no public base class
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "yaml"
        raise ScenarioError(str(path), where, f"invalid YAML: {getattr(err, 'problem', err)}") from None
    if not isinstance(data, CommentedMap):
        raise ScenarioError(str(path), "", "expected a mapping at the top level")
    return data


def _drop(entries: list[NumberSource], prefix: str) -> list[NumberSource]:
    return [e for e in entries if e.path != prefix and not e.path.startswith(prefix + ".")]


def _file_sources(path: Path, seen: tuple[Path, ...]) -> tuple[list[NumberSource], dict[str, int]]:
    """The sources of the resolved scenario and the length of each top-level list (appends continue them)."""
    if path.resolve() in seen:
        raise ScenarioError(str(path), "extends", "circular 'extends'")
    data = _read(path)
    entries: list[NumberSource] = []
    lengths: dict[str, int] = {}
    if "extends" in data:
        entries, lengths = _file_sources(resolve_extends(data["extends"], path), seen + (path.resolve(),))
    for key, value in data.items():
        if key in VARIANT_KEYS:
            continue
        entries = _drop(entries, str(key))
        lengths[str(key)] = len(value) if isinstance(value, list) else 0
        _walk(value, str(key), _eol(data.ca.items.get(key), 2), str(path), data.lc.value(key)[0] + 1, entries)
    changes = data.get("set") or {}
    for key in changes:
        entries = _drop(entries, str(key))
        _walk(changes[key], str(key), _eol(changes.ca.items.get(key), 2), str(path),
              changes.lc.value(key)[0] + 1, entries)
    additions = data.get("append") or {}
    for key, items in additions.items():
        if isinstance(items, CommentedSeq):
            _walk(items, str(key), _eol(additions.ca.items.get(key), 2), str(path),
                  additions.lc.value(key)[0] + 1, entries, start=lengths.get(str(key), 0))
            lengths[str(key)] = lengths.get(str(key), 0) + len(items)
    return entries, lengths


def number_sources(name_or_path: str | Path) -> list[NumberSource]:
    """Every number of a scenario (after ``extends``, ``set`` and ``append``) with its source comment."""
    return _file_sources(resolve_path(name_or_path), ())[0]


def assumption_summary(entries: Iterable[NumberSource]) -> dict:
    """Counts by kind of source and the share of numbers whose size is assumed (unsourced ones included)."""
    entries = list(entries)
    counts = {kind: sum(e.kind == kind for e in entries) for kind in ("cited", "calibrated", "assumption", "unsourced")}
    assumed = counts["assumption"] + counts["unsourced"]
    return {"numbers": len(entries), **counts, "assumed": assumed,
            "assumed_share": assumed / len(entries) if entries else 0.0}
