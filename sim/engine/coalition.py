"""Coalition commitment and deployments (docs/model.md, eq. 4)."""
import math

import numpy as np
from numba import njit

from . import rng
from .layout import (AUTONOMY, C_MEMBER_CAPABILITY, C_NOISE, C_RATE, C_REQUIRES_CEASEFIRE, C_W_AUTONOMY, C_W_COST,
                     C_W_GUARANTEE, C_W_LEAD, C_W_PEER, C_W_THREAT, CAPABILITY, COMMITMENT, DEPLOY_THRESHOLD,
                     DEPLOYED, DEPLOYED_WEIGHT, DOMESTIC_COST, GUARANTEE, GUARANTEE_REQUIRED, LEVEL,
                     M_COALITION, MEMBER_BIAS, R_ADVERSARY, R_COALITION_LEAD, S_CEASEFIRE_WEEK, S_DEPLOYED,
                     S_DEPLOYED_PEAK, TARGET, THREAT_EXPOSURE, US_DEPENDENCE, WITHDRAW_THRESHOLD)
from .workspace import INLINE, clip01


@njit(**INLINE)
def coalition(p, ws, step_key):
    """m_j <- clip(m_j + kappa (logistic(a_j) - m_j) dt + sigma_m sqrt(dt) z); deploy/withdraw with hysteresis.

    a_j = bias_j - w_G dep_j max(0, G_req_j - G) + w_A aut_j (1 - G) + w_L m_lead + w_P share
          - w_T e_j x_adv / x_clash - w_C cost_j   (docs/model.md, eq. 4)
    """
    c = p.coalition
    threat = ws.state[LEVEL, p.roles[R_ADVERSARY]] / p.threat_scale
    lead = ws.state[COMMITMENT, p.roles[R_COALITION_LEAD]]
    share = ws.status[S_DEPLOYED] / max(p.n_members, 1)
    guarantee = ws.us[GUARANTEE]
    noisy = c[C_NOISE] > 0.0
    for q in range(p.members.shape[0]):
        j = np.uint64(p.members[q])
        shortfall = max(0.0, p.state[GUARANTEE_REQUIRED, j] - guarantee)
        ws.draws[TARGET, q] = (p.state[MEMBER_BIAS, j] - c[C_W_GUARANTEE] * p.state[US_DEPENDENCE, j] * shortfall
                               + c[C_W_AUTONOMY] * p.state[AUTONOMY, j] * (1.0 - guarantee)
                               + c[C_W_LEAD] * lead + c[C_W_PEER] * share
                               - c[C_W_THREAT] * p.state[THREAT_EXPOSURE, j] * threat
                               - c[C_W_COST] * p.state[DOMESTIC_COST, j])
    for q in range(p.members.shape[0]):
        ws.draws[TARGET, q] = 1.0 / (1.0 + math.exp(-ws.draws[TARGET, q]))
    sqrt_dt = math.sqrt(p.dt)
    for q in range(p.members.shape[0]):
        j = np.uint64(p.members[q])
        m = ws.state[COMMITMENT, j] + c[C_RATE] * (ws.draws[TARGET, q] - ws.state[COMMITMENT, j]) * p.dt
        if noisy:
            m += c[C_NOISE] * sqrt_dt * rng.normal_at(step_key, j, rng.COMMITMENT)
        ws.state[COMMITMENT, j] = clip01(m)
    update_deployments(p, ws)


@njit(**INLINE)
def update_deployments(p, ws):
    """Hysteresis: deploy at m >= theta_up, withdraw below theta_down; non-members never deploy.

    With ``requires_ceasefire``, no member deploys before a ceasefire.
    """
    count = 0
    weight = 0.0
    on = p.mechanisms[M_COALITION]
    waiting = p.coalition[C_REQUIRES_CEASEFIRE] == 1.0 and ws.status[S_CEASEFIRE_WEEK] < 0
    for q in range(p.members.shape[0]):
        j = np.uint64(p.members[q])
        if not on:
            ws.state_int[DEPLOYED, j] = 0
            continue
        if (ws.state_int[DEPLOYED, j] == 0 and not waiting
                and ws.state[COMMITMENT, j] >= ws.state[DEPLOY_THRESHOLD, j]):
            ws.state_int[DEPLOYED, j] = 1
        elif ws.state_int[DEPLOYED, j] == 1 and ws.state[COMMITMENT, j] < p.state[WITHDRAW_THRESHOLD, j]:
            ws.state_int[DEPLOYED, j] = 0
        count += ws.state_int[DEPLOYED, j]
        if ws.state_int[DEPLOYED, j]:
            weight += p.state[CAPABILITY, j]
    ws.status[S_DEPLOYED] = count
    total = p.coalition[C_MEMBER_CAPABILITY]
    ws.us[DEPLOYED_WEIGHT] = weight / total if total > 0.0 else 0.0
    if count > ws.status[S_DEPLOYED_PEAK]:
        ws.status[S_DEPLOYED_PEAK] = count
