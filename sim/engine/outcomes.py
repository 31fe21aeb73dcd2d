"""What a replicate reached: rungs, first passage, de-escalation and the clash (docs/model.md, "Rungs", eq. 6)."""
from numba import njit

from . import rng
from .drift import deployed_weight
from .layout import (A_KINETIC, CAUSE_DELIBERATE, CAUSE_INCIDENT, CAUSE_NONE, F_DYAD, F_LADDER_ACTOR, L_DEPLOYED_RISK,
                     L_RISK, L_THRESHOLD, LEVEL, M_DECISIONS, MAX_RUNG_ACTOR, R_ADVERSARY, R_ADVERSARY_LEADER,
                     R_DEESCALATION_RUNG, R_KINETIC_RUNG, RUNG, S_CLASH_CAUSE, S_CLASH_WEEK, S_DEESCALATED,
                     S_DEPLOYED, S_DYAD_ABOVE, S_MAX_RUNG, STRUCK)
from .workspace import INLINE, week_of


@njit(cache=True)
def rung_of(thresholds, level):
    """Index of the highest rung whose threshold ``level`` reaches."""
    r = 0
    for k in range(1, thresholds.shape[0]):
        if level >= thresholds[k]:
            r = k
    return r


@njit(**INLINE)
def _rung_near(ladder, level, r):
    """:func:`rung_of`, searched from rung ``r`` (last week's): levels rarely move a rung in a week.

    The same rung because validated thresholds start at 0 and increase; a NaN level gets rung 0.
    """
    top = ladder.shape[1] - 1
    while r < top and level >= ladder[L_THRESHOLD, r + 1]:
        r += 1
    while r > 0 and not (level >= ladder[L_THRESHOLD, r]):
        r -= 1
    return r


@njit(**INLINE)
def _record_rungs(p, ws, week):
    """Each state's rung (a kinetic rung only once its leader has used force), the top rung, first passages,
    and whether the dyad came back down; returns nothing, writes ``ws``."""
    kinetic_rung = p.roles[R_KINETIC_RUNG]
    top = 0
    dyad = 0
    for i in range(p.n_states):
        r = _rung_near(p.ladder, ws.state[LEVEL, i], ws.state_int[RUNG, i])
        if r >= kinetic_rung and not ws.state_int[STRUCK, i]:
            r = kinetic_rung - 1
        ws.state_int[RUNG, i] = r
        if r > ws.state_int[MAX_RUNG_ACTOR, i]:
            ws.state_int[MAX_RUNG_ACTOR, i] = r
        if r > top and p.state_flag[F_LADDER_ACTOR, i]:
            top = r
        if r > dyad and p.state_flag[F_DYAD, i]:
            dyad = r
    if top > ws.status[S_MAX_RUNG]:
        ws.status[S_MAX_RUNG] = top
    for r in range(top + 1):
        if ws.first_week[r] < 0:
            ws.first_week[r] = week
    if dyad > p.roles[R_DEESCALATION_RUNG]:
        ws.status[S_DYAD_ABOVE] = 1
    elif ws.status[S_DYAD_ABOVE]:
        ws.status[S_DEESCALATED] = 1


@njit(**INLINE)
def record_outcomes(p, ws, step, key, decision_step):
    """Rungs, first passage, de-escalation of the dyad and the clash hazard at ``step``.

    A state stands on a rung that takes force only once its leader has used force, so rungs
    mean what the actors did (docs/model.md, "Rungs"). The clash is a weekly hazard
    (eq. 6): an incident rate by the adversary's rung that needs no deployment, a term that
    grows with the deployed share, and a deliberate strike when the adversary's leader chose a
    kinetic action while coalition forces are deployed. Step 0 records no clash.
    """
    week = week_of(step, p.steps_per_week)
    _record_rungs(p, ws, week)
    if step == 0 or ws.status[S_CLASH_WEEK] >= 0:
        return
    cause = CAUSE_NONE
    adversary_leader = p.roles[R_ADVERSARY_LEADER]
    if (decision_step and p.mechanisms[M_DECISIONS] and adversary_leader >= 0 and ws.status[S_DEPLOYED] > 0
            and p.action[A_KINETIC, ws.choice[adversary_leader]] == 1.0):
        cause = CAUSE_DELIBERATE
    ra = ws.state_int[RUNG, p.roles[R_ADVERSARY]]
    safe = (1.0 - p.ladder[L_RISK, ra]) * (1.0 - p.ladder[L_DEPLOYED_RISK, ra] * deployed_weight(p, ws))
    if p.steps_per_week != 1:
        safe = safe ** p.dt
    hazard = 1.0 - safe
    if cause == CAUSE_NONE and hazard > 0.0 and rng.uniform_at(rng.chain(key, step), 0, rng.CLASH) <= hazard:
        cause = CAUSE_INCIDENT
    if cause != CAUSE_NONE:
        ws.status[S_CLASH_WEEK] = week
        ws.status[S_CLASH_CAUSE] = cause
