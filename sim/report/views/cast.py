"""Who plays which role in a stored scenario, and what the reader calls each state.

Views, reports and answer sentences take the adversary, the guarantor, the coalition
lead, the members and the states' display names from the scenario stored with the
results (a run's ``scenario.json``, the scenarios of a sweep), never from a list of
their own: a scenario with other states, or another adversary, gets its own labels.
Without a stored scenario the labels fall back to the roles' generic names
("the adversary"), never to some scenario's states.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

ROLES = ("adversary", "guarantor", "coalition_lead")
GENERIC = {"adversary": "the adversary", "guarantor": "the guarantor", "coalition_lead": "the coalition lead"}


@dataclass(frozen=True)
class Cast:
    """The roles and display names of one scenario (or what several scenarios share)."""

    adversary: str | None = None
    guarantor: str | None = None
    coalition_lead: str | None = None
    members: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()  # states with a leader, in the scenario's order of leaders
    names: Mapping[str, str] = field(default_factory=dict)
    blocs: Mapping[str, str] = field(default_factory=dict)

    def name(self, actor: str) -> str:
        """The state's display name, or its id when the scenario gives none."""
        return self.names.get(actor) or actor

    def label(self, actor: str) -> str:
        """``Russia (RUS)``: the name with the id the tables use, or the id alone."""
        name = self.name(actor)
        return f"{name} ({actor})" if name != actor else actor

    def role_name(self, role: str) -> str:
        actor = getattr(self, role)
        return self.name(actor) if actor else GENERIC[role]

    @property
    def adversary_name(self) -> str:
        return self.role_name("adversary")

    @property
    def guarantor_name(self) -> str:
        return self.role_name("guarantor")

    @property
    def key_actors(self) -> tuple[str, ...]:
        """The states a reader follows: the roles, then every state with a leader."""
        roles = [getattr(self, r) for r in ROLES]
        return tuple(dict.fromkeys(a for a in [*roles, *self.leaders] if a))

    @property
    def clash(self) -> str:
        """What the clash outcome is, in words: ``direct clash between Russia and the coalition``."""
        return f"direct clash between {self.adversary_name} and the coalition"

    def clash_probability(self, horizon=None) -> str:
        """``P(direct clash between Russia and the coalition within 52 weeks)``; no horizon, no ``within``."""
        return f"P({self.clash}" + (f" within {horizon} weeks)" if horizon is not None else ")")

    def role_label(self, role: str) -> str:
        """``the guarantor (United States)``: the role, with the name where the scenario gives one."""
        actor = getattr(self, role)
        return f"{GENERIC[role]} ({self.name(actor)})" if actor else GENERIC[role]

    @property
    def guarantee(self) -> str:
        """The guarantee's name: ``guarantee credibility G of the guarantor (United States)``."""
        return f"guarantee credibility G of {self.role_label('guarantor')}"


def cast_of(scenario: Mapping | None) -> Cast:
    """The cast of a stored scenario: a resolved ``scenario.json`` or a raw scenario mapping.

    Only ``roles``, ``states`` (``id``, ``name``, ``bloc``, ``coalition``) and
    ``leaders`` (``state``) are read; a missing part leaves its fields empty.
    """
    scenario = scenario or {}
    roles = scenario.get("roles") or {}
    states = [s for s in scenario.get("states") or [] if isinstance(s, Mapping) and s.get("id")]
    return Cast(**{r: roles.get(r) for r in ROLES},
                members=tuple(s["id"] for s in states if s.get("coalition")),
                leaders=tuple(dict.fromkeys(ld["state"] for ld in scenario.get("leaders") or []
                                            if isinstance(ld, Mapping) and ld.get("state"))),
                names={s["id"]: str(s["name"]) for s in states if s.get("name")},
                blocs={s["id"]: str(s["bloc"]) for s in states if s.get("bloc")})


def shared_cast(casts: Sequence[Cast]) -> Cast:
    """What every cast agrees on: a role is kept only where all give it the same state and name.

    A comparison of scenarios with different adversaries then speaks of "the adversary".
    """
    if not casts:
        return Cast()
    first = casts[0]
    names = {a: n for a, n in first.names.items() if all(c.names.get(a) == n for c in casts)}
    same = {r: getattr(first, r) for r in ROLES
            if all(getattr(c, r) == getattr(first, r) and c.role_name(r) == first.role_name(r) for c in casts)}
    return replace(Cast(names=names), **same)
