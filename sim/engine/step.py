"""One replicate's week 0 and its steps: the phases of docs/model.md in their fixed order.

Every operation takes the replicate's ``key = rng.replicate_key(seed, replicate)``;
a step's draws hash ``rng.chain(key, t)`` once and share it.
"""
from numba import njit

from . import rng
from .coalition import coalition, update_deployments
from .decisions import choose_actions
from .domestic import cohesion, domestic
from .events import apply_events
from .layout import (CAPITAL, COHESION, COMMITMENT, COMMITMENT0, D_GUARANTEE0, D_GUARANTEE_BASE0, DEPLOY_THRESHOLD,
                     DEPLOY_THRESHOLD0, DEPLOYED, DRIFT, FA_SUPPORT0, GRIEVANCE, GRIEVANCE0, GUARANTEE, GUARANTEE_BASE,
                     L_THRESHOLD, LEVEL, M_COALITION, M_DOMESTIC, MAX_RUNG_ACTOR, N_STATUS, PLEDGED, PUSH,
                     R_KINETIC_RUNG, RESOLVE, RESOLVE0, RUNG, S_CEASEFIRE_WEEK, S_CLASH_WEEK, S_DECIDED_STEP,
                     S_DIVERGED, S_DIVERGED_WEEK, STRUCK, X0, CAPITAL0)
from .outcomes import record_outcomes, rung_of
from .reaction import reaction
from .workspace import NO_REFCOUNT


@njit(**NO_REFCOUNT)
def begin(p, ws, key):
    """Week 0: initial values, week-0 events, deployments, outcomes."""
    kinetic_rung = p.roles[R_KINETIC_RUNG]
    for i in range(p.n_states):
        ws.state[LEVEL, i] = p.state[X0, i]
        ws.state[GRIEVANCE, i] = p.state[GRIEVANCE0, i]
        ws.state[COMMITMENT, i] = p.state[COMMITMENT0, i]
        ws.state[DEPLOY_THRESHOLD, i] = p.state[DEPLOY_THRESHOLD0, i]
        ws.state[DRIFT, i] = 0.0
        ws.state[PUSH, i] = 0.0
        ws.state_int[DEPLOYED, i] = 0
        ws.state_int[RUNG, i] = 0
        # a state that starts on a rung that takes force (Ukraine at war) has used force
        ws.state_int[STRUCK, i] = 1 if rung_of(p.ladder[L_THRESHOLD], p.state[X0, i]) >= kinetic_rung else 0
    for li in range(p.n_leaders):
        ws.leader[RESOLVE, li] = p.leader[RESOLVE0, li]
        ws.leader[CAPITAL, li] = p.leader[CAPITAL0, li]
        ws.leader[PLEDGED, li] = 0.0
        ws.choice[li] = -1
    for f in range(p.n_factions):
        ws.support[f] = p.faction[FA_SUPPORT0, f]
    ws.us[GUARANTEE] = p.domestic[D_GUARANTEE0]
    ws.us[GUARANTEE_BASE] = p.domestic[D_GUARANTEE_BASE0]
    ws.us[COHESION] = cohesion(p, ws)
    for r in range(p.n_rungs):
        ws.first_week[r] = -1
    for k in range(N_STATUS):
        ws.status[k] = 0
    for e in range(ws.fired.shape[0]):
        ws.fired[e] = 0
    ws.status[S_CLASH_WEEK] = -1
    ws.status[S_CEASEFIRE_WEEK] = -1
    ws.status[S_DIVERGED_WEEK] = -1
    ws.status[S_DECIDED_STEP] = -1
    apply_events(p, ws, 0, key)
    update_deployments(p, ws)
    for i in range(p.n_states):
        ws.state_int[MAX_RUNG_ACTOR, i] = 0
    record_outcomes(p, ws, 0, key, False)


@njit(**NO_REFCOUNT)
def step(p, ws, t, key):
    """Advance one replicate from step ``t`` to step ``t + 1``: decisions at a week's first step (unless
    :func:`choose_actions` has made them for this step, as the Mesa path does), then every mechanism.

    Every phase is inlined here, directly (one level: Numba copies an inlined function's
    IR, so nesting inlined functions multiplies compile time): the ensemble calls one
    compiled function per step.
    """
    if ws.status[S_DIVERGED]:
        return
    decision_step = t % p.steps_per_week == 0
    if decision_step and ws.status[S_DECIDED_STEP] != t:
        choose_actions(p, ws, t, key)
    step_key = rng.chain(key, t)
    reaction(p, ws, t, step_key)
    if ws.status[S_DIVERGED]:
        return
    if p.mechanisms[M_COALITION]:
        coalition(p, ws, step_key)
    if p.mechanisms[M_DOMESTIC]:
        domestic(p, ws, step_key)
    if (t + 1) % p.steps_per_week == 0:
        apply_events(p, ws, (t + 1) // p.steps_per_week, key)
    record_outcomes(p, ws, t + 1, key, decision_step)


@njit(**NO_REFCOUNT)
def run_trajectory(p, ws, key, out_x):
    """One replicate in ``ws``; writes levels of steps 0..steps into ``out_x`` (steps + 1, n_states)."""
    begin(p, ws, key)
    for i in range(p.n_states):
        out_x[0, i] = ws.state[LEVEL, i]
    for t in range(p.steps):
        step(p, ws, t, key)
        for i in range(p.n_states):
            out_x[t + 1, i] = ws.state[LEVEL, i]
