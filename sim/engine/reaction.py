"""The reaction core: Euler-Maruyama on the escalation levels (docs/model.md, eq. 1-2)."""
import math

from numba import njit

from . import rng
from .decisions import apply_actions
from .drift import deployed_weight, deterrence, partner_level, pressure
from .layout import (C_DEPLOY_PUSH, DEPLOYED, DRIFT, LEVEL, M_COALITION, M_DECISIONS, M_REACTION, NOISE,
                     PUSH, S_DIVERGED, S_DIVERGED_WEEK)
from .workspace import INLINE, week_of


@njit(**INLINE)
def reaction(p, ws, t, step_key):
    """x <- max(0, x + (push + deploy push + s_i) dt + sigma sqrt(dt) z); flags a level out of range as diverged."""
    n = p.n_states
    for i in range(n):
        ws.state[PUSH, i] = 0.0
    if p.mechanisms[M_DECISIONS]:
        apply_actions(p, ws, t)
    coalition, noisy = p.mechanisms[M_COALITION], p.mechanisms[M_REACTION]
    provoking, deterred_by, partners = deployed_weight(p, ws), deterrence(p, ws), partner_level(p, ws)
    for i in range(n):
        d = ws.state[PUSH, i]
        if coalition:
            d += p.coalition[C_DEPLOY_PUSH] * ws.state_int[DEPLOYED, i]
        ws.state[DRIFT, i] = d + pressure(p, ws, i, provoking, deterred_by, partners)
    sqrt_dt = math.sqrt(p.dt)
    for i in range(n):
        level = ws.state[LEVEL, i] + ws.state[DRIFT, i] * p.dt
        if noisy and p.state[NOISE, i] > 0.0:
            level += p.state[NOISE, i] * sqrt_dt * rng.normal_at(step_key, i, rng.NOISE)
        if not (level <= p.divergence_level):  # also catches NaN
            ws.status[S_DIVERGED] = 1
            ws.status[S_DIVERGED_WEEK] = week_of(t + 1, p.steps_per_week)
        ws.state[LEVEL, i] = max(0.0, level)
