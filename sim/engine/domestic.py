"""US domestic politics: faction support, political capital P and guarantee credibility G (docs/model.md, eq. 5)."""
import math

from numba import njit

from . import rng
from .layout import (A_COST, A_SUPPORT_SHIFT, CAPITAL, COHESION, D_ACTION_COST_WEIGHT, D_AGENDA_GAIN,
                     D_CAPITAL_NOISE, D_CAPITAL_WEIGHT, D_ESCALATION_COST, D_FISSURE_COST, D_GUARANTEE_RATE,
                     D_SUPPORT_WEIGHT, FA_NOISE, FA_RESOLUTION_RESPONSE, FA_THREAT_RESPONSE, FA_WEIGHT, GUARANTEE,
                     GUARANTEE_BASE, LEVEL, M_DECISIONS, R_ADVERSARY, R_GUARANTOR, R_GUARANTOR_LEADER, RUNG)
from .workspace import INLINE, clip01


@njit(**INLINE)
def mean_support(p, ws):
    """S-bar = sum_f w_f s_f (1 without factions: no domestic opposition)."""
    if p.n_factions == 0:
        return 1.0
    mean = 0.0
    for f in range(p.n_factions):
        mean += p.faction[FA_WEIGHT, f] * ws.support[f]
    return mean


@njit(**INLINE)
def cohesion(p, ws):
    """Party cohesion C = 1 - 2 sum_f w_f |s_f - S-bar| (1 when every faction agrees)."""
    if p.n_factions == 0:
        return 1.0
    mean = mean_support(p, ws)
    spread = 0.0
    for f in range(p.n_factions):
        spread += p.faction[FA_WEIGHT, f] * abs(ws.support[f] - mean)
    return clip01(1.0 - 2.0 * spread)


@njit(**INLINE)
def _move_factions(p, ws, step_key, threat, sqrt_dt):
    """s_f <- clip(s_f + (r_f x_adv / x_clash + shift q_f) dt + sigma_f sqrt(dt) z)."""
    g = p.roles[R_GUARANTOR_LEADER]
    shift = 0.0
    if g >= 0 and p.mechanisms[M_DECISIONS]:
        shift = p.action[A_SUPPORT_SHIFT, ws.choice[g]]
    for f in range(p.n_factions):
        s = ws.support[f] + (p.faction[FA_THREAT_RESPONSE, f] * threat
                             + shift * p.faction[FA_RESOLUTION_RESPONSE, f]) * p.dt
        if p.faction[FA_NOISE, f] > 0.0:
            s += p.faction[FA_NOISE, f] * sqrt_dt * rng.normal_at(step_key, f, rng.FACTION)
        ws.support[f] = clip01(s)


@njit(**INLINE)
def _move_capital(p, ws, step_key, start_cohesion, sqrt_dt):
    """The guarantor leader's political capital P (1 when the guarantor has no leader)."""
    d = p.domestic
    g = p.roles[R_GUARANTOR_LEADER]
    if g < 0:
        return 1.0
    capital = ws.leader[CAPITAL, g]
    height = ws.state_int[RUNG, p.roles[R_GUARANTOR]] / (p.n_rungs - 1.0)
    dP = (d[D_AGENDA_GAIN] * (1.0 - capital) - d[D_FISSURE_COST] * (1.0 - start_cohesion) * ws.us[GUARANTEE]
          - d[D_ESCALATION_COST] * height)
    if p.mechanisms[M_DECISIONS]:
        dP -= d[D_ACTION_COST_WEIGHT] * p.action[A_COST, ws.choice[g]]
    capital += dP * p.dt
    if d[D_CAPITAL_NOISE] > 0.0:
        capital += d[D_CAPITAL_NOISE] * sqrt_dt * rng.normal_at(step_key, 0, rng.CAPITAL)
    capital = clip01(capital)
    ws.leader[CAPITAL, g] = capital
    return capital


@njit(**INLINE)
def domestic(p, ws, step_key):
    """One step of domestic politics; G relaxes toward its target at rate gamma.

    G* = G_base (w_cap P + w_sup S-bar + (1 - w_cap - w_sup) C): an isolationist US gives a weak guarantee
    and a split party a less credible one. Cohesion and S-bar are read at the start of the step.
    """
    d = p.domestic
    start_cohesion = cohesion(p, ws)
    start_support = mean_support(p, ws)
    threat = ws.state[LEVEL, p.roles[R_ADVERSARY]] / p.threat_scale
    sqrt_dt = math.sqrt(p.dt)
    _move_factions(p, ws, step_key, threat, sqrt_dt)
    capital = _move_capital(p, ws, step_key, start_cohesion, sqrt_dt)
    w_cohesion = 1.0 - d[D_CAPITAL_WEIGHT] - d[D_SUPPORT_WEIGHT]
    target = ws.us[GUARANTEE_BASE] * (d[D_CAPITAL_WEIGHT] * capital + d[D_SUPPORT_WEIGHT] * start_support
                                      + w_cohesion * start_cohesion)
    ws.us[GUARANTEE] = clip01(ws.us[GUARANTEE] + d[D_GUARANTEE_RATE] * (target - ws.us[GUARANTEE]) * p.dt)
    ws.us[COHESION] = cohesion(p, ws)
