"""Compile a validated :class:`Scenario` into the flat arrays the Numba kernel reads."""
from __future__ import annotations

import numpy as np

from .layout import (OPS, T_CAPITAL, T_COMMITMENT, T_DEPLOY_THRESHOLD, T_GRIEVANCE, T_GUARANTEE,
                     T_GUARANTEE_BASE, T_LEVEL, T_RESOLVE, T_SUPPORT, Params)
from .scenario import Scenario

def _f64(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float64)


def _i64(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int64)


def _event_code(scenario: Scenario, target: str) -> tuple[int, int]:
    parts = target.split(".")
    if parts[0] == "domestic":
        return (T_GUARANTEE if parts[1] == "guarantee" else T_GUARANTEE_BASE), 0
    group = getattr(scenario, parts[0])
    index = [r.id for r in group].index(parts[1])
    attr = parts[-1]
    codes = {
        ("states", "x"): T_LEVEL, ("states", "grievance"): T_GRIEVANCE,
        ("states", "commitment"): T_COMMITMENT, ("states", "deploy_threshold"): T_DEPLOY_THRESHOLD,
        ("leaders", "resolve"): T_RESOLVE, ("leaders", "political_capital"): T_CAPITAL,
        ("factions", "support"): T_SUPPORT,
    }
    return codes[(parts[0], attr)], index


def compile_params(s: Scenario) -> Params:
    """Flatten a validated scenario into kernel arrays (order = ``s.actor_ids``)."""
    ids = s.actor_ids
    idx = {a: i for i, a in enumerate(ids)}
    states = s.states
    members = [st.coalition for st in states]
    neutral = dict(commitment0=0.0, deploy_threshold=1.0, withdraw_threshold=0.0,
                   us_dependence=0.0, domestic_cost=0.0, bias=0.0)

    def member_attr(name):
        return _f64([getattr(m, name) if m is not None else neutral[name] for m in members])

    action_names = [a.name for a in s.actions]
    mask = np.zeros((len(s.leaders), max(len(s.actions), 1)), dtype=np.int64)
    target_ptr, target_idx = [0], []
    for li, ld in enumerate(s.leaders):
        allowed = ld.actions or tuple(action_names)
        for a in allowed:
            mask[li, action_names.index(a)] = 1
        target_idx.extend(idx[t] for t in ld.targets)
        target_ptr.append(len(target_idx))
    leader_of = {ld.state: li for li, ld in enumerate(s.leaders)}
    events = [(ev, *_event_code(s, ev.target)) for ev in s.events]
    d, c, m = s.domestic, s.coalition, s.mechanisms
    return Params(
        n_states=len(states), n_leaders=len(s.leaders), n_factions=len(s.factions),
        n_actions=len(s.actions), n_rungs=len(s.ladder), n_members=sum(x is not None for x in members),
        steps=s.steps, dt=float(s.dt),
        mech_reaction=int(m.reaction), mech_decisions=int(m.decisions and bool(s.leaders)),
        mech_coalition=int(m.coalition), mech_domestic=int(m.domestic), mech_events=int(m.events),
        x0=_f64([st.x0 for st in states]), fatigue=_f64([st.fatigue for st in states]),
        grievance0=_f64([st.grievance for st in states]), noise=_f64([st.noise for st in states]),
        provocation=_f64([st.provocation for st in states]),
        capability=_f64([st.capability for st in states]), exposure=_f64([st.exposure for st in states]),
        member_capability=float(sum(st.capability for st in states if st.coalition is not None)),
        react_dst=_i64([idx[r.actor] for r in s.reactions]),
        react_src=_i64([idx[r.responds_to] for r in s.reactions]),
        react_k=_f64([r.k for r in s.reactions]),
        thresholds=_f64([r.threshold for r in s.ladder]), rung_risk=_f64([r.risk for r in s.ladder]),
        member=_i64([x is not None for x in members]),
        commitment0=member_attr("commitment0"), deploy_threshold0=member_attr("deploy_threshold"),
        withdraw_threshold=member_attr("withdraw_threshold"), us_dependence=member_attr("us_dependence"),
        domestic_cost=member_attr("domestic_cost"), member_bias=member_attr("bias"),
        coal_rate=c.rate, coal_noise=c.noise, w_guarantee=c.guarantee_weight, w_lead=c.lead_weight,
        w_peer=c.peer_weight, w_threat=c.threat_weight, w_cost=c.cost_weight, deploy_push=c.deploy_push,
        leader_state=_i64([idx[ld.state] for ld in s.leaders]),
        rationality=_f64([ld.rationality for ld in s.leaders]),
        resolve0=_f64([ld.resolve for ld in s.leaders]),
        risk_aversion=_f64([ld.risk_aversion for ld in s.leaders]),
        audience_cost=_f64([ld.audience_cost for ld in s.leaders]),
        capital0=_f64([ld.political_capital for ld in s.leaders]),
        action_mask=mask, target_ptr=_i64(target_ptr), target_idx=_i64(target_idx),
        action_delta=_f64([a.delta for a in s.actions]), action_cost=_f64([a.cost for a in s.actions]),
        action_pledge=_f64([a.pledge for a in s.actions]),
        action_pressure=_f64([a.pressure for a in s.actions]),
        action_goldstein=_f64([a.goldstein for a in s.actions]),
        action_backdown=_i64([a.backdown for a in s.actions]),
        action_kinetic=_i64([a.kinetic for a in s.actions]),
        commitment_decay=s.decisions.commitment_decay,
        faction_weight=_f64([f.weight for f in s.factions]), support0=_f64([f.support for f in s.factions]),
        faction_threat_response=_f64([f.threat_response for f in s.factions]),
        faction_noise=_f64([f.noise for f in s.factions]),
        guarantee0=d.guarantee0, guarantee_base0=d.guarantee_base, guarantee_rate=d.guarantee_rate,
        capital_weight=d.capital_weight, agenda_gain=d.agenda_gain, fissure_cost=d.fissure_cost,
        escalation_cost=d.escalation_cost, action_cost_weight=d.action_cost_weight,
        capital_noise=d.capital_noise,
        adversary=idx[s.roles.adversary], guarantor=idx[s.roles.guarantor],
        coalition_lead=idx[s.roles.coalition_lead],
        adversary_leader=leader_of.get(s.roles.adversary, -1),
        guarantor_leader=leader_of.get(s.roles.guarantor, -1),
        clash_rung=s.outcomes.clash_rung,
        ladder_actor=_i64([not s.outcomes.ladder_actors or a in s.outcomes.ladder_actors for a in ids]),
        deescalation_rung=s.outcomes.deescalation_rung,
        divergence_level=s.outcomes.divergence_level,
        threat_scale=float(s.ladder[s.outcomes.clash_rung].threshold or 1.0),
        event_week=_i64([e.week for e, _, _ in events]), event_target=_i64([code for _, code, _ in events]),
        event_index=_i64([i for _, _, i in events]), event_op=_i64([OPS[e.op] for e, _, _ in events]),
        event_value=_f64([e.value for e, _, _ in events]), event_prob=_f64([e.probability for e, _, _ in events]),
    )
