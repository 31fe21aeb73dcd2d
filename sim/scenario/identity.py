"""What a run is called: the scenario's own name plus a short, stable tag of its overrides.

A run of ``baseline`` with ``leaders.putin.resolve=1.2`` is ``baseline+putin.resolve=1.2``
in its directory, its report title and a comparison's columns, never plain
``baseline``. The tag sorts the overrides (their order on a command line does not
change the name) and falls back to a hash when it would be too long for a
directory name.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Mapping

MAX_TAG = 48  # characters of a readable tag; longer ones become a hash
RECORD_LISTS = ("states", "leaders", "factions", "ladder", "actions", "events", "reactions")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.,=+\-]")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, (list, tuple)):
        return ",".join(_value(v) for v in value)
    return str(value)


def _short(path: str) -> str:
    """``leaders.putin.resolve`` -> ``putin.resolve``: the record id already says which list."""
    parts = path.split(".")
    return ".".join(parts[1:]) if len(parts) > 2 and parts[0] in RECORD_LISTS else path


def override_items(overrides: Mapping[str, Any]) -> list[str]:
    """The overrides as sorted ``path=value`` texts (full paths): what a report header lists."""
    return [f"{path}={_value(value)}" for path, value in sorted(overrides.items())]


def override_tag(overrides: Mapping[str, Any]) -> str:
    """A short tag of the overrides, safe in a file name; ``""`` when there are none."""
    if not overrides:
        return ""
    tag = "+".join(f"{_short(path)}={_value(value)}" for path, value in sorted(overrides.items()))
    tag = _UNSAFE.sub("_", tag)
    if len(tag) <= MAX_TAG:
        return tag
    text = json.dumps({k: _value(v) for k, v in overrides.items()}, sort_keys=True)
    return f"{len(overrides)}changes-{hashlib.blake2b(text.encode(), digest_size=4).hexdigest()}"


def run_label(name: str, overrides: Mapping[str, Any] | None = None) -> str:
    """``name`` alone, or ``name+tag`` when anything was overridden."""
    tag = override_tag(dict(overrides or {}))
    return f"{name}+{tag}" if tag else str(name)


def file_scenario_name(path: str | Path) -> str:
    """The ``name`` a scenario file gives itself (its stem if it gives none or cannot be read)."""
    import yaml
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError):
        raw = None
    name = raw.get("name") if isinstance(raw, dict) else None
    return _UNSAFE.sub("_", str(name)) if name else Path(path).stem
