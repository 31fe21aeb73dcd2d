"""Event targets: the one parser of the dotted paths a scheduled event may change.

``states.<id>.x``, ``states.<id>.coalition.commitment``, ``states.*.coalition.commitment``
(every coalition member), ``leaders.<id>.resolve``, ``factions.<id>.support``,
``domestic.guarantee``, ``crisis.ceasefire``, ... (:data:`EVENT_TARGETS`). The cross-reference checks (``references``)
checks targets with it, the kernel's packing turns them into codes and indices, and the
plain-Python reference into attributes of its agents.
"""
from __future__ import annotations

from typing import NamedTuple

from .spec import Scenario

# (group, quantity path); a record group's paths omit the record's id
EVENT_TARGETS = {
    ("states", "x"), ("states", "grievance"), ("states", "coalition", "commitment"),
    ("states", "coalition", "deploy_threshold"), ("leaders", "resolve"),
    ("leaders", "political_capital"), ("factions", "support"),
    ("domestic", "guarantee"), ("domestic", "guarantee_base"), ("leaders", "pledged"), ("crisis", "ceasefire"),
}
RECORD_GROUPS = ("states", "leaders", "factions")


class TargetError(ValueError):
    """A target that names nothing; ``name`` and ``options`` are set when an id is unknown (for a suggestion)."""

    def __init__(self, message: str, name: str | None = None, options: tuple[str, ...] = ()):
        super().__init__(message)
        self.name, self.options = name, options


class Target(NamedTuple):
    """What a target changes: one value per entry of ``indices`` (the record's position in ``group``, 0 for
    ``domestic`` and ``crisis``) and of ``actors`` (the state the change belongs to)."""

    group: str
    quantity: str
    indices: tuple[int, ...]
    actors: tuple[str, ...]


def resolve_target(s: Scenario, target: str) -> Target:
    """Parse ``target`` against scenario ``s``; raises :class:`TargetError` (a one-line message) if it names nothing.

    ``states.*.coalition.commitment`` addresses every coalition member, in array order; domestic
    politics and factions belong to the guarantor, the crisis to the adversary.
    """
    parts = target.split(".")
    group, quantity = parts[0], parts[-1]
    if parts[:2] == ["states", "*"]:
        if parts[2:] != ["coalition", "commitment"]:
            raise TargetError("'states.*' (every coalition member) takes only 'coalition.commitment'")
        if not s.members:
            raise TargetError("'states.*' needs coalition members")
        return Target(group, quantity, tuple(s.index(m) for m in s.members), tuple(s.members))
    pattern = (group,) + tuple(parts[2:]) if group in RECORD_GROUPS else tuple(parts)
    if pattern not in EVENT_TARGETS:
        allowed = sorted(".".join(p[:1] + ("<id>",) + p[1:]) if p[0] in RECORD_GROUPS else ".".join(p)
                         for p in EVENT_TARGETS)
        raise TargetError(f"cannot target {target!r}; expected one of {', '.join(allowed)}")
    if group not in RECORD_GROUPS:
        actor = s.roles.guarantor if group == "domestic" else s.roles.adversary
        return Target(group, quantity, (0,), (actor,))
    ids = tuple(r.id for r in getattr(s, group))
    name = parts[1] if len(parts) > 1 else ""
    if name not in ids:
        raise TargetError(f"unknown {group[:-1]} {name!r}", name, ids)
    index = ids.index(name)
    if group == "states":
        if "coalition" in parts and s.states[index].coalition is None:
            raise TargetError(f"{name!r} is not a coalition member")
        return Target(group, quantity, (index,), (name,))
    actor = s.leaders[index].state if group == "leaders" else s.roles.guarantor
    return Target(group, quantity, (index,), (actor,))
