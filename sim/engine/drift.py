"""The drift a state does not choose, s_i, and its coalition, deterrence and alignment terms (docs/model.md, eq. 1).

Decisions read s_i as the tension a leader feels; the reaction phase adds it to the pushes.
"""
import numpy as np
from numba import njit

from .layout import (DEPLOYED_WEIGHT, F_ALIGNED, FATIGUE, GRIEVANCE, GUARANTEE, K_ALIGN_WEIGHT, K_BALANCE,
                     K_DETER_DRIFT, K_N_ALIGNED, LEVEL, M_ALIGNMENT, M_DETERRENCE, M_REACTION, PROVOCATION,
                     R_ADVERSARY)
from .workspace import INLINE


@njit(**INLINE)
def deployed_weight(p, ws):
    """W: capability-weighted share of the coalition deployed, what provokes the adversary (kept by
    :func:`sim.engine.coalition.update_deployments`, the only place deployments change)."""
    return ws.us[DEPLOYED_WEIGHT]


@njit(**INLINE)
def deterrence(p, ws):
    """D = G cap_g / (cap_g + cap_a): the guarantee as the adversary weighs it (Huth 1988: credibility and balance)."""
    if not p.mechanisms[M_DETERRENCE]:
        return 0.0
    return ws.us[GUARANTEE] * p.crisis[K_BALANCE]


@njit(**INLINE)
def partner_level(p, ws):
    """Mean level of the adversary's partners (states sharing a group with it) over the clash threshold."""
    if not p.mechanisms[M_ALIGNMENT] or p.crisis[K_N_ALIGNED] == 0.0:
        return 0.0
    total = 0.0
    for i in range(p.n_states):
        if p.state_flag[F_ALIGNED, i]:
            total += ws.state[LEVEL, i]
    return total / p.crisis[K_N_ALIGNED] / p.threat_scale


@njit(**INLINE)
def pressure(p, ws, i, provoking, deterrence, partners):
    """s_i: the drift of x_i that the state itself does not choose (docs/model.md, eq. 1).

    g_i - a_i x_i + sum_j k_ij x_j (reaction) + v_i W (coalition) and, for the adversary,
    - w_D D (deterrence) + w_SCO xbar_partners / x_clash (alignment).
    """
    s = 0.0
    if p.mechanisms[M_REACTION]:
        s = ws.state[GRIEVANCE, i] - p.state[FATIGUE, i] * ws.state[LEVEL, i]
        # reactions of i in scenario order: the same sum as a pass over all reactions
        for r in range(np.uint64(p.react_ptr[i]), np.uint64(p.react_ptr[i + 1])):
            s += p.react_k[r] * ws.state[LEVEL, np.uint64(p.react_src[r])]
    s += p.state[PROVOCATION, i] * provoking
    if i == p.roles[R_ADVERSARY]:
        s -= p.crisis[K_DETER_DRIFT] * deterrence
        s += p.crisis[K_ALIGN_WEIGHT] * partners
    return s
