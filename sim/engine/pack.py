"""Compile a validated :class:`Scenario` into the flat arrays the Numba kernel reads."""
from __future__ import annotations

import numpy as np

from .layout import (N_ACTION_PARAMS, N_EVENT_CODES, N_EVENT_VALUES, N_FACTION_PARAMS, N_LADDER, N_LEADER_PARAMS,
                     N_STATE_FLAGS, N_STATE_PARAMS, OPS, T_CAPITAL, T_CEASEFIRE, T_COMMITMENT, T_DEPLOY_THRESHOLD,
                     T_GRIEVANCE, T_GUARANTEE, T_GUARANTEE_BASE, T_LEVEL, T_PLEDGED, T_RESOLVE, T_SUPPORT, Params)
from sim.scenario.spec import Scenario
from sim.scenario.targets import resolve_target


def _f64(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float64)


def _i64(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int64)


# (group, quantity) of a resolved target -> the kernel's code
_TARGET_CODES = {
    ("states", "x"): T_LEVEL, ("states", "grievance"): T_GRIEVANCE,
    ("states", "commitment"): T_COMMITMENT, ("states", "deploy_threshold"): T_DEPLOY_THRESHOLD,
    ("leaders", "resolve"): T_RESOLVE, ("leaders", "political_capital"): T_CAPITAL, ("leaders", "pledged"): T_PLEDGED,
    ("factions", "support"): T_SUPPORT,
    ("domestic", "guarantee"): T_GUARANTEE, ("domestic", "guarantee_base"): T_GUARANTEE_BASE,
    ("crisis", "ceasefire"): T_CEASEFIRE,
}


def event_targets(scenario: Scenario, target: str) -> list[tuple[int, int, str]]:
    """What a validated event ``target`` addresses: ``(code, index, actor id)`` per value it changes
    (``states.*.coalition.commitment``: every coalition member, each drawn apart)."""
    t = resolve_target(scenario, target)
    code = _TARGET_CODES[(t.group, t.quantity)]
    return [(code, index, actor) for index, actor in zip(t.indices, t.actors)]


def expanded_events(scenario: Scenario) -> list[tuple[int, object, int, int, str]]:
    """Every value an event changes, in scenario order: ``(id, event, code, index, actor)``.

    ``id`` numbers the expanded list: it keys the event's random draw and its ``fired`` flag.
    An event after the horizon does not happen (a shortened horizon keeps a scenario valid).
    """
    rows = []
    for ev in scenario.events:
        if ev.week > scenario.horizon:
            continue
        for code, index, actor in event_targets(scenario, ev.target):
            rows.append((len(rows), ev, code, index, actor))
    return rows


def _by(keys: list[int], n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """A stable order grouping items by key, and the CSR pointer of each group (``n_groups + 1``)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ptr = np.zeros(n_groups + 1, dtype=np.int64)
    for k in keys:
        ptr[k + 1] += 1
    return _i64(order), np.cumsum(ptr)


def compile_params(s: Scenario) -> Params:
    """Flatten a validated scenario into kernel arrays (order = ``s.actor_ids``).

    Reactions are grouped by the reacting state and events by week, each group in
    the scenario's order, so that every sum runs in the order the scenario lists its
    terms whichever way the kernel reaches them.
    """
    idx = {a: i for i, a in enumerate(s.actor_ids)}
    d, c, m, o = s.domestic, s.coalition, s.mechanisms, s.outcomes
    aligned = _aligned(s, idx)
    leader_of = {ld.state: li for li, ld in enumerate(s.leaders)}
    kinetic = [r for r, rung in enumerate(s.ladder) if rung.kinetic]
    cap_g, cap_a = s.states[idx[s.roles.guarantor]].capability, s.states[idx[s.roles.adversary]].capability
    balance = cap_g / (cap_g + cap_a) if cap_g + cap_a > 0 else 0.0
    return Params(
        n_states=len(s.states), n_leaders=len(s.leaders), n_factions=len(s.factions),
        n_actions=len(s.actions), n_rungs=len(s.ladder), n_members=sum(st.coalition is not None for st in s.states),
        steps=s.steps, dt=float(s.dt), steps_per_week=s.steps_per_week,
        commitment_decay=float(s.decisions.commitment_decay), divergence_level=float(o.divergence_level),
        threat_scale=float(s.ladder[o.clash_rung].threshold or 1.0),
        mechanisms=_i64([m.reaction, m.decisions and bool(s.leaders), m.coalition, m.domestic, m.events,
                         m.deterrence, m.alignment]),
        **_state_fields(s, idx, aligned),
        ladder=_f64([[r.threshold for r in s.ladder], [r.risk for r in s.ladder], [r.deployed_risk for r in s.ladder],
                     [float(r.kinetic) for r in s.ladder]]).reshape(N_LADDER, len(s.ladder)),
        **_leader_fields(s, idx),
        faction=_f64([[f.weight for f in s.factions], [f.support for f in s.factions],
                      [f.threat_response for f in s.factions], [f.noise for f in s.factions],
                      [f.resolution_response for f in s.factions]]
                     ).reshape(N_FACTION_PARAMS, len(s.factions)),
        coalition=_f64([c.rate, c.noise, c.guarantee_weight, c.lead_weight, c.peer_weight, c.threat_weight,
                        c.cost_weight, c.deploy_push,
                        sum(st.capability for st in s.states if st.coalition is not None), c.autonomy_weight,
                        float(c.requires_ceasefire)]),
        domestic=_f64([d.guarantee0, d.guarantee_base, d.guarantee_rate, d.capital_weight, d.agenda_gain,
                       d.fissure_cost, d.escalation_cost, d.action_cost_weight, d.capital_noise, d.support_weight]),
        crisis=_f64([s.deterrence.drift, s.deterrence.action_cost, balance, s.alignment.weight, float(sum(aligned))]),
        roles=_i64([idx[s.roles.adversary], idx[s.roles.guarantor], idx[s.roles.coalition_lead],
                    leader_of.get(s.roles.adversary, -1), leader_of.get(s.roles.guarantor, -1),
                    o.clash_rung, o.deescalation_rung, kinetic[0] if kinetic else len(s.ladder)]),
        **_event_fields(s),
    )


def _aligned(s: Scenario, idx: dict[str, int]) -> list[bool]:
    """Partners of the adversary: states sharing one of its groups (the SCO channel)."""
    adversary_groups = set(s.states[idx[s.roles.adversary]].groups)
    return [a != s.roles.adversary and bool(adversary_groups & set(st.groups)) for a, st in zip(s.actor_ids, s.states)]


def _state_fields(s: Scenario, idx: dict[str, int], aligned: list[bool]) -> dict:
    """The per-state blocks: parameters (non-members carry neutral coalition values), flags, members, reactions."""
    ids, states, o = s.actor_ids, s.states, s.outcomes
    members = [st.coalition for st in states]
    neutral = dict(commitment0=0.0, deploy_threshold=1.0, withdraw_threshold=0.0, us_dependence=0.0,
                   domestic_cost=0.0, bias=0.0, guarantee_required=0.0, autonomy=0.0, threat_exposure=0.0)

    def member_attr(name):
        return [getattr(m, name) if m is not None else neutral[name] for m in members]

    dyad = o.deescalation_actors or (s.roles.adversary, s.roles.coalition_lead)
    react_order, react_ptr = _by([idx[r.actor] for r in s.reactions], len(states))
    return dict(
        state=_f64([
            [st.x0 for st in states], [st.fatigue for st in states], [st.grievance for st in states],
            [st.noise for st in states], [st.provocation for st in states], [st.capability for st in states],
            [st.exposure for st in states], member_attr("commitment0"), member_attr("deploy_threshold"),
            member_attr("withdraw_threshold"), member_attr("us_dependence"), member_attr("domestic_cost"),
            member_attr("bias"), member_attr("guarantee_required"), member_attr("autonomy"),
            member_attr("threat_exposure"),
        ]).reshape(N_STATE_PARAMS, len(states)),
        state_flag=_i64([[x is not None for x in members],
                         [not o.ladder_actors or a in o.ladder_actors for a in ids],
                         [a in dyad for a in ids], aligned]).reshape(N_STATE_FLAGS, len(states)),
        members=_i64([i for i, x in enumerate(members) if x is not None]),
        react_ptr=react_ptr,
        react_src=_i64([idx[s.reactions[r].responds_to] for r in react_order]),
        react_k=_f64([s.reactions[r].k for r in react_order]),
    )


def _leader_fields(s: Scenario, idx: dict[str, int]) -> dict:
    """Leaders, the actions each may take, their targets (CSR), and the action catalogue."""
    action_names = [a.name for a in s.actions]
    mask = np.zeros((len(s.leaders), max(len(s.actions), 1)), dtype=np.int64)
    target_ptr, target_idx = [0], []
    for li, ld in enumerate(s.leaders):
        allowed = ld.actions or tuple(action_names)
        for a in allowed:
            mask[li, action_names.index(a)] = 1
        target_idx.extend(idx[t] for t in ld.targets)
        target_ptr.append(len(target_idx))
    return dict(
        leader=_f64([[ld.rationality for ld in s.leaders], [ld.resolve for ld in s.leaders],
                     [ld.risk_aversion for ld in s.leaders], [ld.audience_cost for ld in s.leaders],
                     [ld.political_capital for ld in s.leaders]]).reshape(N_LEADER_PARAMS, len(s.leaders)),
        leader_state=_i64([idx[ld.state] for ld in s.leaders]),
        action_mask=mask, target_ptr=_i64(target_ptr), target_idx=_i64(target_idx),
        action=_f64([[a.delta for a in s.actions], [a.cost for a in s.actions], [a.pledge for a in s.actions],
                     [a.pressure for a in s.actions], [a.goldstein for a in s.actions],
                     [float(a.backdown) for a in s.actions], [float(a.kinetic) for a in s.actions],
                     [a.support_shift for a in s.actions], [float(a.ceasefire) for a in s.actions]]
                    ).reshape(N_ACTION_PARAMS, len(s.actions)),
    )


def _event_fields(s: Scenario) -> dict:
    """Every value an event changes, grouped by week (CSR ``event_ptr``), each week in scenario order."""
    expanded = expanded_events(s)
    event_order, event_ptr = _by([ev.week for _, ev, _, _, _ in expanded], s.horizon + 1)
    events = [expanded[e] for e in event_order]
    return dict(
        event_ptr=event_ptr,
        event_code=_i64([[code for _, _, code, _, _ in events], [i for _, _, _, i, _ in events],
                         [OPS[ev.op] for _, ev, _, _, _ in events], [e for e, _, _, _, _ in events]]
                        ).reshape(N_EVENT_CODES, len(events)),
        event_value=_f64([[ev.value for _, ev, _, _, _ in events], [ev.probability for _, ev, _, _, _ in events]]
                         ).reshape(N_EVENT_VALUES, len(events)),
    )
