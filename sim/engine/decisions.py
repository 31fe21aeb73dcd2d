"""Leaders' decisions: utilities, the quantal-response (logit) choice, and applying what was chosen.

Leaders decide at the first step of each week whatever ``dt`` is (docs/model.md, eq. 3).
"""
import math

import numpy as np
from numba import njit

from . import rng
from .drift import deployed_weight, deterrence, partner_level, pressure
from .layout import (A_BACKDOWN, A_CEASEFIRE, A_COST, A_DELTA, A_KINETIC, A_PLEDGE, A_PRESSURE, AUDIENCE_COST,
                     CAPITAL, EXPOSURE, K_DETER_COST, M_DECISIONS, N_SCRATCH, PLEDGED, PUSH, R_ADVERSARY_LEADER,
                     RATIONALITY, RESOLVE, RISK_AVERSION, RUNG, S_CEASEFIRE_WEEK, S_DECIDED_STEP, STRUCK, UTILITY,
                     WEIGHT)
from .workspace import INLINE, NO_REFCOUNT, tanh


@njit(**INLINE)
def _utilities(p, ws, leader, provoking, deterred_by, partners):
    """u_k, into ``scratch[UTILITY]``; unavailable actions get -inf (docs/model.md, eq. 3).

    u_k = tanh(s) d_k + rho max(tanh s, 0) (max(d_k, 0) - b_k) - lambda (r/R) max(d_k, 0) - c_k (1 - P)
          - alpha C b_k - c_D D max(d_k, 0) [adversary only]
    Resolve rho acts only under pressure (s > 0): it values standing firm or escalating and
    makes backing down costly, and never adds to the pull toward de-escalation.
    """
    i = np.uint64(p.leader_state[leader])
    tension = tanh(pressure(p, ws, i, provoking, deterred_by, partners))
    firm = ws.leader[RESOLVE, leader] * max(tension, 0.0)
    height = ws.state_int[RUNG, i] / (p.n_rungs - 1.0)
    deterred = p.crisis[K_DETER_COST] * deterred_by if leader == p.roles[R_ADVERSARY_LEADER] else 0.0
    for k in range(p.n_actions):
        if p.action_mask[leader, k] == 0:
            ws.scratch[UTILITY, k] = -np.inf
            continue
        d = p.action[A_DELTA, k]
        up = max(d, 0.0)
        backdown = p.action[A_BACKDOWN, k]
        u = tension * d + firm * (up - backdown)
        u -= p.leader[RISK_AVERSION, leader] * height * up
        u -= p.action[A_COST, k] * (1.0 - ws.leader[CAPITAL, leader])
        u -= p.leader[AUDIENCE_COST, leader] * ws.leader[PLEDGED, leader] * backdown
        u -= deterred * up
        ws.scratch[UTILITY, k] = u


@njit(**NO_REFCOUNT)
def action_utilities(p, ws, leader, out):
    """Utilities of ``leader``'s actions at the current state; ``out`` must hold ``n_actions`` values."""
    _utilities(p, ws, leader, deployed_weight(p, ws), deterrence(p, ws), partner_level(p, ws))
    for k in range(p.n_actions):
        out[k] = ws.scratch[UTILITY, k]


@njit(**INLINE)
def _logit_draw(scratch, n, beta, u01):
    """Inverse CDF of P(k) = exp(beta u_k) / sum_j exp(beta u_j); each weight is computed once."""
    best = -np.inf
    for k in range(n):
        if scratch[UTILITY, k] > best:
            best = scratch[UTILITY, k]
    total = 0.0
    for k in range(n):
        w = 0.0
        if scratch[UTILITY, k] > -np.inf:
            gap = beta * (scratch[UTILITY, k] - best)
            w = 1.0 if gap == 0.0 else math.exp(gap)  # exp(0) is exactly 1: skip the call for the best action
            total += w
        scratch[WEIGHT, k] = w
    target = u01 * total
    acc = 0.0
    last = -1
    for k in range(n):
        if scratch[UTILITY, k] > -np.inf:
            acc += scratch[WEIGHT, k]
            last = k
            if target <= acc:
                return k
    return last  # rounding left target a hair above acc


@njit(cache=True)
def logit_choice(utility, n, beta, u01):
    """Sample index k with P(k) = exp(beta u_k) / sum_j exp(beta u_j) by inverse CDF."""
    scratch = np.zeros((N_SCRATCH, max(n, 1)))
    for k in range(n):
        scratch[UTILITY, k] = utility[k]
    return _logit_draw(scratch, n, beta, u01)


@njit(**INLINE)
def choose_actions(p, ws, t, key):
    """Each leader picks an action by quantal response into ``ws.choice``; called at the first step of a week.

    ``key`` is the replicate's ``rng.replicate_key(seed, replicate)``; :func:`sim.engine.step.step` at ``t``
    keeps these choices (a Mesa leader may replace its draw in between).
    """
    ws.status[S_DECIDED_STEP] = t
    if not p.mechanisms[M_DECISIONS]:
        return
    step_key = rng.chain(key, t)
    provoking, deterred_by, partners = deployed_weight(p, ws), deterrence(p, ws), partner_level(p, ws)
    for li in range(p.n_leaders):
        _utilities(p, ws, li, provoking, deterred_by, partners)
        u01 = rng.uniform_at(step_key, li, rng.DECISION)
        ws.choice[li] = _logit_draw(ws.scratch, p.n_actions, p.leader[RATIONALITY, li], u01)


@njit(**INLINE)
def apply_actions(p, ws, t):
    """The chosen actions: pushes on actors and targets; once a week, pledges, force used and a ceasefire."""
    decay = max(0.0, 1.0 - p.commitment_decay)
    weekly = t % p.steps_per_week == 0
    for li in range(p.n_leaders):
        k = np.uint64(ws.choice[li])
        i = np.uint64(p.leader_state[li])
        ws.state[PUSH, i] += p.action[A_DELTA, k]
        n_targets = p.target_ptr[li + 1] - p.target_ptr[li]
        for q in range(p.target_ptr[li], p.target_ptr[li + 1]):
            target = np.uint64(p.target_idx[q])
            # coercion bites in proportion to the target's economic exposure
            ws.state[PUSH, target] += p.action[A_PRESSURE, k] * p.state[EXPOSURE, target] / n_targets
        if not weekly:
            continue
        # public pledges are kept, not forgotten: audience costs grow with the crisis (Fearon 1994)
        ws.leader[PLEDGED, li] = ws.leader[PLEDGED, li] * decay + p.action[A_PLEDGE, k]
        if p.action[A_KINETIC, k] == 1.0:
            ws.state_int[STRUCK, i] = 1
        if (p.action[A_CEASEFIRE, k] == 1.0 and li == p.roles[R_ADVERSARY_LEADER]
                and ws.status[S_CEASEFIRE_WEEK] < 0):
            ws.status[S_CEASEFIRE_WEEK] = t // p.steps_per_week
