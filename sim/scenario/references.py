"""Cross-references of a built scenario: actors, rungs, roles, reactions and event targets exist and agree."""
from __future__ import annotations

from . import spec as sc
from .errors import ScenarioError, add_problem, did_you_mean
from .targets import TargetError, resolve_target

MAX_MID_HIACT = 21  # the MID codebook's highest-action codes run 0..21


def check_references(s: sc.Scenario, source: str, errors: list | None = None) -> None:
    def unique(records, attr, where):
        seen = set()
        for i, r in enumerate(records):
            value = getattr(r, attr)
            if value in seen:
                add_problem(errors, ScenarioError(source, f"{where}[{i}].{attr}", f"duplicate {attr} {value!r}"))
            seen.add(value)

    def actor(value, key):
        if value not in ids:
            add_problem(errors, ScenarioError(source, key, f"unknown actor {value!r}{did_you_mean(value, ids)}"))

    if not s.states:
        return add_problem(errors, ScenarioError(source, "states", "at least one state is required"))
    ids = s.actor_ids
    unique(s.states, "id", "states")
    unique(s.leaders, "id", "leaders")
    unique(s.leaders, "state", "leaders")
    unique(s.factions, "id", "factions")
    unique(s.actions, "name", "actions")
    unique(s.ladder, "name", "ladder")
    if len(s.ladder) < 2:
        add_problem(errors, ScenarioError(source, "ladder", "at least two rungs are required"))
    if len(s.states) > sc.MAX_STATES:
        add_problem(errors, ScenarioError(source, "states", f"at most {sc.MAX_STATES} states, got {len(s.states)}"))
    if len(s.ladder) > sc.MAX_RUNGS:
        add_problem(errors, ScenarioError(source, "ladder", f"at most {sc.MAX_RUNGS} rungs, got {len(s.ladder)}"))
    for i, st in enumerate(s.states):
        if st.x0 > s.outcomes.divergence_level:  # the kernel checks levels only as they change
            add_problem(errors, ScenarioError(source, f"states[{i}].x0", f"{st.x0!r} starts above "
                                           f"outcomes.divergence_level ({s.outcomes.divergence_level:g})"))
    per_week = 1.0 / s.dt
    if abs(per_week - round(per_week)) > 1e-9 * per_week:
        add_problem(errors, ScenarioError(source, "dt", f"{s.dt!r} weeks per step does not divide a week; expected "
                                                     f"1/n for a whole n (1, 0.5, 0.25, 0.2, ...)"))
    if s.domestic.capital_weight + s.domestic.support_weight > 1.0 + 1e-12:
        add_problem(errors, ScenarioError(source, "domestic.support_weight",
                                       f"capital_weight + support_weight must be at most 1 (cohesion gets the "
                                       f"rest), got {s.domestic.capital_weight} + {s.domestic.support_weight}"))
    if s.ladder and s.ladder[0].threshold != 0.0:
        add_problem(errors, ScenarioError(source, "ladder[0].threshold", "the first rung must start at 0"))
    owner: dict[int, int] = {}
    for i, rung in enumerate(s.ladder):
        for j, code in enumerate(rung.mid_hiact):
            if not 0 <= code <= MAX_MID_HIACT:
                add_problem(errors, ScenarioError(source, f"ladder[{i}].mid_hiact[{j}]",
                                               f"{code} is not a MID highest-action code, expected 0..{MAX_MID_HIACT}"))
            elif code in owner:
                add_problem(errors, ScenarioError(source, f"ladder[{i}].mid_hiact[{j}]",
                                               f"code {code} already belongs to ladder[{owner[code]}]"))
            owner.setdefault(code, i)
    for i in range(1, len(s.ladder)):
        if s.ladder[i].threshold <= s.ladder[i - 1].threshold:
            add_problem(errors, ScenarioError(source, f"ladder[{i}].threshold",
                                           f"rungs must be in increasing order of threshold "
                                           f"({s.ladder[i].threshold} after {s.ladder[i - 1].threshold})"))
    for key, value in (("outcomes.clash_rung", s.outcomes.clash_rung),
                       ("outcomes.deescalation_rung", s.outcomes.deescalation_rung)):
        if value >= len(s.ladder):
            add_problem(errors, ScenarioError(source, key,
                                           f"rung {value} does not exist (ladder has {len(s.ladder)} rungs)"))
    for i, a in enumerate(s.outcomes.ladder_actors):
        actor(a, f"outcomes.ladder_actors[{i}]")
    for i, a in enumerate(s.outcomes.deescalation_actors):
        actor(a, f"outcomes.deescalation_actors[{i}]")
    for role in ("adversary", "guarantor", "coalition_lead"):
        actor(getattr(s.roles, role), f"roles.{role}")
    lead = s.states[s.index(s.roles.coalition_lead)] if s.roles.coalition_lead in ids else None
    if lead is not None and lead.coalition is None:
        add_problem(errors, ScenarioError(source, "roles.coalition_lead", f"{lead.id!r} has no 'coalition' membership"))
    for i, st in enumerate(s.states):
        m = st.coalition
        if m is not None and not m.withdraw_threshold < m.deploy_threshold:
            add_problem(errors, ScenarioError(source, f"states[{i}].coalition.withdraw_threshold",
                                           f"must be below deploy_threshold "
                                           f"({m.withdraw_threshold} >= {m.deploy_threshold})"))
    for i, r in enumerate(s.reactions):
        actor(r.actor, f"reactions[{i}].actor")
        actor(r.responds_to, f"reactions[{i}].responds_to")
        if r.actor == r.responds_to:
            add_problem(errors, ScenarioError(source, f"reactions[{i}]",
                                           "an actor's self-reaction is its fatigue, not a reaction"))
    action_names = [a.name for a in s.actions]
    for i, ld in enumerate(s.leaders):
        actor(ld.state, f"leaders[{i}].state")
        for j, t in enumerate(ld.targets):
            actor(t, f"leaders[{i}].targets[{j}]")
        for j, a in enumerate(ld.actions):
            if a not in action_names:
                add_problem(errors, ScenarioError(source, f"leaders[{i}].actions[{j}]",
                                               f"unknown action {a!r}{did_you_mean(a, action_names)}"))
    if s.leaders and not s.actions:
        add_problem(errors, ScenarioError(source, "actions", "leaders need an action catalogue"))
    if s.factions and abs(sum(f.weight for f in s.factions) - 1.0) > 1e-9:
        add_problem(errors, ScenarioError(source, "factions",
                                       f"weights must sum to 1, got {sum(f.weight for f in s.factions):g}"))
    for i, ev in enumerate(s.events):
        try:
            _check_event(s, ev, f"events[{i}]", source)
        except ScenarioError as err:
            add_problem(errors, err)


def _check_event(s: sc.Scenario, ev: sc.Event, key: str, source: str) -> None:
    if ev.op not in ("set", "add", "scale"):
        raise ScenarioError(source, f"{key}.op", f"expected one of set, add, scale, got {ev.op!r}")
    try:
        resolve_target(s, ev.target)
    except TargetError as err:
        hint = did_you_mean(err.name, err.options) if err.name is not None else ""
        raise ScenarioError(source, f"{key}.target", f"{err}{hint}") from None
