"""The Numba kernel: one weekly step of every mechanism (docs/model.md, "Details").

One step ``t`` takes the state of week ``t`` to week ``t + 1`` in fixed phases:
decisions -> reaction core -> coalition -> US domestic politics -> events of
week ``t + 1`` -> outcomes. Phases read what earlier phases wrote; within a
phase every actor reads the same start-of-phase values, so the result does not
depend on the order agents are visited in.

Pure functions over ``Params`` / ``Workspace`` (sim.layout): no globals, no
allocation inside a step, every random number from :mod:`sim.rng`. Sums are
explicit loops and ``fastmath`` is off, so the Mesa path, which calls these same
functions phase by phase, reproduces the kernel bit for bit.

The on-disk cache (``cache=True``) lives in ``sim/__pycache__``; it does not see
edits to helpers in other modules (``sim/rng.py``): run ``make clean-cache``
after changing them.
"""
import math

import numpy as np
from numba import njit

from . import rng
from .layout import (N_STATUS, S_CLASH_WEEK, S_DEESCALATED, S_DEPLOYED, S_DEPLOYED_PEAK, S_DIVERGED,
                     S_MAX_RUNG, T_CAPITAL, T_COMMITMENT, T_DEPLOY_THRESHOLD, T_GRIEVANCE, T_GUARANTEE,
                     T_GUARANTEE_BASE, T_LEVEL, T_RESOLVE, T_SUPPORT, Workspace)


@njit(cache=True)
def new_workspace(p):
    """Allocate one replicate's state; :func:`init_workspace` fills it."""
    n, n_leaders = p.n_states, p.n_leaders
    return Workspace(
        np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, np.int64), np.zeros(n, np.int64),
        np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, np.int64),
        np.zeros(n_leaders), np.zeros(n_leaders), np.zeros(n_leaders), np.zeros(n_leaders, np.int64),
        np.zeros(max(p.n_actions, 1)),
        np.zeros(p.n_factions), np.zeros(1), np.zeros(1), np.zeros(1),
        np.zeros(p.n_rungs, np.int64), np.zeros(N_STATUS, np.int64),
    )


@njit(cache=True)
def rung_of(thresholds, level):
    """Index of the highest rung whose threshold ``level`` reaches."""
    r = 0
    for k in range(1, thresholds.shape[0]):
        if level >= thresholds[k]:
            r = k
    return r


@njit(cache=True)
def _clip01(v):
    return min(1.0, max(0.0, v))


@njit(cache=True)
def init_workspace(p, ws, seed, replicate):
    """Week 0: initial values, week-0 events, initial outcomes."""
    for i in range(p.n_states):
        ws.x[i] = p.x0[i]
        ws.grievance[i] = p.grievance0[i]
        ws.commitment[i] = p.commitment0[i]
        ws.deploy_threshold[i] = p.deploy_threshold0[i]
        ws.deployed[i] = 0
        ws.drift[i] = 0.0
        ws.push[i] = 0.0
    for li in range(p.n_leaders):
        ws.resolve[li] = p.resolve0[li]
        ws.capital[li] = p.capital0[li]
        ws.pledged[li] = 0.0
        ws.choice[li] = -1
    for f in range(p.n_factions):
        ws.support[f] = p.support0[f]
    ws.guarantee[0] = p.guarantee0
    ws.guarantee_base[0] = p.guarantee_base0
    ws.cohesion[0] = _cohesion(p, ws)
    for r in range(p.n_rungs):
        ws.first_week[r] = -1
    for k in range(N_STATUS):
        ws.status[k] = 0
    ws.status[S_CLASH_WEEK] = -1
    ws.status[S_MAX_RUNG] = 0
    apply_events(p, ws, 0, seed, replicate)
    _update_deployments(p, ws)
    for i in range(p.n_states):
        ws.max_rung_actor[i] = 0
    _record_outcomes(p, ws, 0, seed, replicate, False)


@njit(cache=True)
def step(p, ws, t, seed, replicate):
    """Advance one replicate from week ``t`` to week ``t + 1``."""
    if ws.status[S_DIVERGED]:
        return
    choose_actions(p, ws, t, seed, replicate)
    advance(p, ws, t, seed, replicate)


# --- decisions ---------------------------------------------------------------

@njit(cache=True)
def perceived_pressure(p, ws, i):
    """Richardson drift of state i at current levels: sum_j k_ij x_j - a_i x_i + g_i + provocation."""
    s = ws.grievance[i] - p.fatigue[i] * ws.x[i]
    for r in range(p.react_k.shape[0]):
        if p.react_dst[r] == i:
            s += p.react_k[r] * ws.x[p.react_src[r]]
    if p.mech_coalition:
        s += p.provocation[i] * deployed_weight(p, ws)
    return s


@njit(cache=True)
def deployed_weight(p, ws):
    """Capability-weighted share of the coalition deployed: what provokes the adversary."""
    if p.member_capability <= 0.0:
        return 0.0
    w = 0.0
    for j in range(p.n_states):
        if ws.deployed[j]:
            w += p.capability[j]
    return w / p.member_capability


@njit(cache=True)
def action_utilities(p, ws, leader, out):
    """u_k = rho tanh(s) d_k - lambda (r/R) max(d_k, 0) - c_k (1 - P) - alpha C b_k.

    Unavailable actions get -inf. ``out`` must hold ``n_actions`` values.
    """
    i = p.leader_state[leader]
    tension = math.tanh(perceived_pressure(p, ws, i))
    height = ws.rung[i] / (p.n_rungs - 1.0)
    for k in range(p.n_actions):
        if p.action_mask[leader, k] == 0:
            out[k] = -np.inf
            continue
        d = p.action_delta[k]
        u = ws.resolve[leader] * tension * d
        u -= p.risk_aversion[leader] * height * max(d, 0.0)
        u -= p.action_cost[k] * (1.0 - ws.capital[leader])
        u -= p.audience_cost[leader] * ws.pledged[leader] * p.action_backdown[k]
        out[k] = u


@njit(cache=True)
def logit_choice(utility, n, beta, u01):
    """Sample index k with P(k) = exp(beta u_k) / sum_j exp(beta u_j) by inverse CDF."""
    best = -np.inf
    for k in range(n):
        if utility[k] > best:
            best = utility[k]
    total = 0.0
    for k in range(n):
        if utility[k] > -np.inf:
            total += math.exp(beta * (utility[k] - best))
    target = u01 * total
    acc = 0.0
    last = -1
    for k in range(n):
        if utility[k] > -np.inf:
            acc += math.exp(beta * (utility[k] - best))
            last = k
            if target <= acc:
                return k
    return last  # rounding left target a hair above acc


@njit(cache=True)
def choose_actions(p, ws, t, seed, replicate):
    """Each leader picks an action by quantal response; writes ``ws.choice``."""
    if not p.mech_decisions:
        return
    for li in range(p.n_leaders):
        action_utilities(p, ws, li, ws.utility)
        u01 = rng.uniform(seed, replicate, t, li, rng.DECISION)
        ws.choice[li] = logit_choice(ws.utility, p.n_actions, p.rationality[li], u01)


# --- the rest of the step ------------------------------------------------------

@njit(cache=True)
def advance(p, ws, t, seed, replicate):
    """Apply the chosen actions and every other mechanism; ends at week t + 1."""
    _reaction(p, ws, t, seed, replicate)
    if ws.status[S_DIVERGED]:
        return
    if p.mech_coalition:
        _coalition(p, ws, t, seed, replicate)
    if p.mech_domestic:
        _domestic(p, ws, t, seed, replicate)
    apply_events(p, ws, t + 1, seed, replicate)
    _record_outcomes(p, ws, t + 1, seed, replicate, True)


@njit(cache=True)
def _reaction(p, ws, t, seed, replicate):
    """Euler-Maruyama: x <- max(0, x + (Kx - a x + g + pushes) dt + sigma sqrt(dt) z)."""
    n = p.n_states
    for i in range(n):
        ws.push[i] = 0.0
    if p.mech_decisions:
        for li in range(p.n_leaders):
            k = ws.choice[li]
            ws.push[p.leader_state[li]] += p.action_delta[k]
            n_targets = p.target_ptr[li + 1] - p.target_ptr[li]
            for q in range(p.target_ptr[li], p.target_ptr[li + 1]):
                target = p.target_idx[q]
                # coercion bites in proportion to the target's economic exposure
                ws.push[target] += p.action_pressure[k] * p.exposure[target] / n_targets
            decay = max(0.0, 1.0 - p.commitment_decay * p.dt)
            ws.pledged[li] = ws.pledged[li] * decay + p.action_pledge[k]
    provoking = deployed_weight(p, ws) if p.mech_coalition else 0.0
    for i in range(n):
        d = ws.push[i]
        if p.mech_coalition:
            d += p.provocation[i] * provoking + p.deploy_push * ws.deployed[i]
        if p.mech_reaction:
            d += ws.grievance[i] - p.fatigue[i] * ws.x[i]
        ws.drift[i] = d
    if p.mech_reaction:
        for r in range(p.react_k.shape[0]):
            ws.drift[p.react_dst[r]] += p.react_k[r] * ws.x[p.react_src[r]]
    sqrt_dt = math.sqrt(p.dt)
    for i in range(n):
        level = ws.x[i] + ws.drift[i] * p.dt
        if p.mech_reaction and p.noise[i] > 0.0:
            level += p.noise[i] * sqrt_dt * rng.normal(seed, replicate, t, i, rng.NOISE)
        if not (level <= p.divergence_level):  # also catches NaN
            ws.status[S_DIVERGED] = 1
        ws.x[i] = max(0.0, level)


@njit(cache=True)
def _coalition(p, ws, t, seed, replicate):
    """m_j <- clip(m_j + kappa (logistic(a_j) - m_j) dt + sigma_m sqrt(dt) z); deploy/withdraw with hysteresis."""
    threat = ws.x[p.adversary] / p.threat_scale
    lead = ws.commitment[p.coalition_lead]
    share = ws.status[S_DEPLOYED] / max(p.n_members, 1)
    sqrt_dt = math.sqrt(p.dt)
    for j in range(p.n_states):
        if not p.member[j]:
            continue
        a = (p.member_bias[j] + p.w_guarantee * p.us_dependence[j] * ws.guarantee[0] + p.w_lead * lead
             + p.w_peer * share - p.w_threat * threat - p.w_cost * p.domestic_cost[j])
        target = 1.0 / (1.0 + math.exp(-a))
        m = ws.commitment[j] + p.coal_rate * (target - ws.commitment[j]) * p.dt
        if p.coal_noise > 0.0:
            m += p.coal_noise * sqrt_dt * rng.normal(seed, replicate, t, j, rng.COMMITMENT)
        ws.commitment[j] = _clip01(m)
    _update_deployments(p, ws)


@njit(cache=True)
def _update_deployments(p, ws):
    count = 0
    for j in range(p.n_states):
        if not p.member[j] or not p.mech_coalition:
            ws.deployed[j] = 0
            continue
        if ws.deployed[j] == 0 and ws.commitment[j] >= ws.deploy_threshold[j]:
            ws.deployed[j] = 1
        elif ws.deployed[j] == 1 and ws.commitment[j] < p.withdraw_threshold[j]:
            ws.deployed[j] = 0
        count += ws.deployed[j]
    ws.status[S_DEPLOYED] = count
    if count > ws.status[S_DEPLOYED_PEAK]:
        ws.status[S_DEPLOYED_PEAK] = count


@njit(cache=True)
def _cohesion(p, ws):
    """Party cohesion 1 - 2 sum_f w_f |s_f - s_bar| (1 when every faction agrees)."""
    if p.n_factions == 0:
        return 1.0
    mean = 0.0
    for f in range(p.n_factions):
        mean += p.faction_weight[f] * ws.support[f]
    spread = 0.0
    for f in range(p.n_factions):
        spread += p.faction_weight[f] * abs(ws.support[f] - mean)
    return _clip01(1.0 - 2.0 * spread)


@njit(cache=True)
def _domestic(p, ws, t, seed, replicate):
    """Faction support, US political capital P and guarantee credibility G."""
    cohesion = _cohesion(p, ws)
    threat = ws.x[p.adversary] / p.threat_scale
    sqrt_dt = math.sqrt(p.dt)
    for f in range(p.n_factions):
        s = ws.support[f] + p.faction_threat_response[f] * threat * p.dt
        if p.faction_noise[f] > 0.0:
            s += p.faction_noise[f] * sqrt_dt * rng.normal(seed, replicate, t, f, rng.FACTION)
        ws.support[f] = _clip01(s)
    capital = 1.0
    g = p.guarantor_leader
    if g >= 0:
        capital = ws.capital[g]
        height = ws.rung[p.guarantor] / (p.n_rungs - 1.0)
        dP = (p.agenda_gain * (1.0 - capital) - p.fissure_cost * (1.0 - cohesion) * ws.guarantee[0]
              - p.escalation_cost * height)
        if p.mech_decisions:
            dP -= p.action_cost_weight * p.action_cost[ws.choice[g]]
        capital += dP * p.dt
        if p.capital_noise > 0.0:
            capital += p.capital_noise * sqrt_dt * rng.normal(seed, replicate, t, 0, rng.CAPITAL)
        capital = _clip01(capital)
        ws.capital[g] = capital
    target = ws.guarantee_base[0] * (p.capital_weight * capital + (1.0 - p.capital_weight) * cohesion)
    ws.guarantee[0] = _clip01(ws.guarantee[0] + p.guarantee_rate * (target - ws.guarantee[0]) * p.dt)
    ws.cohesion[0] = _cohesion(p, ws)


@njit(cache=True)
def _event_slot(p, ws, code):
    """The workspace array an event target code writes to."""
    if code == T_LEVEL:
        return ws.x
    if code == T_GRIEVANCE:
        return ws.grievance
    if code == T_COMMITMENT:
        return ws.commitment
    if code == T_DEPLOY_THRESHOLD:
        return ws.deploy_threshold
    if code == T_RESOLVE:
        return ws.resolve
    if code == T_CAPITAL:
        return ws.capital
    if code == T_SUPPORT:
        return ws.support
    if code == T_GUARANTEE:
        return ws.guarantee
    return ws.guarantee_base


@njit(cache=True)
def apply_events(p, ws, week, seed, replicate):
    """Apply the events scheduled for ``week`` (each fires with its probability)."""
    if not p.mech_events:
        return
    for e in range(p.event_week.shape[0]):
        if p.event_week[e] != week:
            continue
        if p.event_prob[e] < 1.0 and rng.uniform(seed, replicate, 0, e, rng.EVENT) > p.event_prob[e]:
            continue
        code = p.event_target[e]
        slot = _event_slot(p, ws, code)
        i = p.event_index[e]
        op = p.event_op[e]
        v = p.event_value[e]
        value = v if op == 0 else (slot[i] + v if op == 1 else slot[i] * v)
        if code == T_LEVEL or code == T_RESOLVE:
            value = max(0.0, value)
        elif code != T_GRIEVANCE:
            value = _clip01(value)
        slot[i] = value


@njit(cache=True)
def _record_outcomes(p, ws, week, seed, replicate, check_clash):
    """Rungs, first passage, de-escalation and the NATO-Russia clash test for ``week``."""
    top = 0
    for i in range(p.n_states):
        r = rung_of(p.thresholds, ws.x[i])
        ws.rung[i] = r
        if r > ws.max_rung_actor[i]:
            ws.max_rung_actor[i] = r
        if r > top and p.ladder_actor[i]:
            top = r
    if top > ws.status[S_MAX_RUNG]:
        ws.status[S_MAX_RUNG] = top
    for r in range(top + 1):
        if ws.first_week[r] < 0:
            ws.first_week[r] = week
    if ws.status[S_MAX_RUNG] > p.deescalation_rung and top <= p.deescalation_rung:
        ws.status[S_DEESCALATED] = 1
    if not check_clash or ws.status[S_CLASH_WEEK] >= 0 or ws.status[S_DEPLOYED] == 0:
        return
    ra = ws.rung[p.adversary]
    deliberate = ra >= p.clash_rung
    if deliberate and p.mech_decisions and p.adversary_leader >= 0:
        deliberate = p.action_kinetic[ws.choice[p.adversary_leader]] == 1
    inadvertent = False
    if p.rung_risk[ra] > 0.0:
        inadvertent = rng.uniform(seed, replicate, week, 0, rng.CLASH) <= p.rung_risk[ra]
    if deliberate or inadvertent:
        ws.status[S_CLASH_WEEK] = week


@njit(cache=True)
def run_trajectory(p, seed, replicate, out_x):
    """One replicate; writes levels of weeks 0..steps into ``out_x`` (steps + 1, n_states)."""
    ws = new_workspace(p)
    init_workspace(p, ws, seed, replicate)
    for i in range(p.n_states):
        out_x[0, i] = ws.x[i]
    for t in range(p.steps):
        step(p, ws, t, seed, replicate)
        for i in range(p.n_states):
            out_x[t + 1, i] = ws.x[i]
    return ws
