"""The Numba kernel: one weekly step of every mechanism (docs/model.md, "Details").

One step ``t`` takes the state at time ``t dt`` to ``(t + 1) dt`` (weeks) in fixed
phases: decisions (at the first step of each week only: leaders decide weekly
whatever ``dt`` is) -> reaction core -> coalition -> US domestic politics ->
events (at week boundaries) -> outcomes. Every rate is per week and enters times
``dt``; every weekly probability p enters as ``1 - (1 - p)**dt``; weekly pledges
and decisions happen once a week; every recorded week is a week. Phases read what
earlier phases wrote; within a phase every actor reads the same start-of-phase
values, so the result does not depend on the order agents are visited in.

Pure functions over ``Params`` / ``Workspace`` (sim.engine.layout): no globals, no
allocation inside a step, every random number from :mod:`sim.engine.rng`. Sums are
explicit loops in a fixed order and ``fastmath`` is off, so the Mesa path, which
calls these same functions phase by phase, and the pure-Python reference in
``benchmarks/`` reproduce the kernel bit for bit.

Speed comes from three choices (docs/performance.md):

- Functions that take ``Params`` or ``Workspace`` are compiled without Numba's
  reference counting (``NO_REFCOUNT``). With it, every call not inlined would
  atomically update the count of every array in both tuples, on cache lines the
  threads share; that cost more than the physics. Allocating in such a function
  is a compile error, which keeps "no allocation inside a step" checked.
- The phases are inlined (``inline="always"``) into three compiled step
  functions: ``choose_actions`` and ``advance`` (the Mesa path: one decision a
  week, one advance a step) and the ensemble's chunk loop, which inlines
  ``step_replicate`` whole.
- Random numbers hash the shared prefix of their coordinates once per replicate
  and week (``rng.replicate_key``, ``rng.chain``), and a phase draws all its
  normals before taking their logarithms and cosines in tight loops.
- Indices read from arrays are cast to ``np.uint64`` before they index: Numba
  then skips the wrap-around of negative indices. They are never mixed with
  signed integers in arithmetic (Numba would promote both to float64).

The on-disk cache (``cache=True``) lives in ``sim/__pycache__``; it does not see
edits to functions in other modules (``sim/engine/rng.py``, or this module as inlined
into ``sim/engine/ensemble.py``): run ``make clean-cache`` after changing them.
"""
import math

import numpy as np
from numba import njit

from . import rng
from .layout import *  # noqa: F401,F403  (the row constants of sim.engine.layout)
from .layout import Workspace

# ``_nrt`` is Numba's own switch for its reference-counting runtime (see the module docstring).
NO_REFCOUNT = dict(cache=True, _nrt=False)
INLINE = dict(cache=True, inline="always")


@njit(cache=True)
def new_workspace(p):
    """Allocate one replicate's state; :func:`init_workspace` fills it."""
    n = p.n_states
    return Workspace(
        np.zeros((N_STATE_VARS, n)), np.zeros((N_STATE_INTS, n), np.int64),
        np.zeros((N_LEADER_VARS, p.n_leaders)), np.zeros(p.n_leaders, np.int64),
        np.zeros((N_SCRATCH, max(p.n_actions, 1))), np.zeros((N_DRAWS, n)), np.zeros((N_QUEUE, n), np.int64),
        np.zeros(ANGLE_BUCKETS + 1, np.int64), np.zeros(p.n_factions), np.zeros(N_US_VARS),
        np.zeros(p.n_rungs, np.int64), np.zeros(N_STATUS, np.int64), np.zeros(max(p.event_code.shape[1], 1), np.int64),
    )


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


@njit(cache=True)
def _clip01(v):
    return min(1.0, max(0.0, v))


@njit(cache=True)
def week_of(step, steps_per_week):
    """The week a step ends in: ``ceil(step / steps_per_week)``."""
    return (step + steps_per_week - 1) // steps_per_week


# --- one replicate: the Mesa path and sim.simulate ------------------------------------

@njit(**NO_REFCOUNT)
def init_workspace(p, ws, seed, replicate):
    """Week 0: initial values, week-0 events, initial outcomes."""
    begin_replicate(p, ws, rng.replicate_key(seed, replicate))


@njit(**NO_REFCOUNT)
def choose_actions(p, ws, t, seed, replicate):
    """Each leader picks an action by quantal response; writes ``ws.choice``. Called at the first step of a week."""
    _choose_actions(p, ws, rng.chain(rng.replicate_key(seed, replicate), t))


@njit(**NO_REFCOUNT)
def advance(p, ws, t, seed, replicate):
    """Apply the chosen actions and every other mechanism: from step ``t`` to ``t + 1``."""
    key = rng.replicate_key(seed, replicate)
    _advance(p, ws, t, rng.chain(key, t), key)


@njit(**NO_REFCOUNT)
def step(p, ws, t, seed, replicate):
    """Advance one replicate from step ``t`` to step ``t + 1``."""
    step_replicate(p, ws, t, rng.replicate_key(seed, replicate))


@njit(cache=True)
def run_trajectory(p, seed, replicate, out_x):
    """One replicate; writes levels of steps 0..steps into ``out_x`` (steps + 1, n_states)."""
    ws = new_workspace(p)
    init_workspace(p, ws, seed, replicate)
    out_x[0, :] = ws.state[LEVEL, :]
    for t in range(p.steps):
        step(p, ws, t, seed, replicate)
        out_x[t + 1, :] = ws.state[LEVEL, :]
    return ws


# --- the step, keyed by rng.replicate_key(seed, replicate) ---------------------------

@njit(**NO_REFCOUNT)
def begin_replicate(p, ws, key):
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
    ws.us[COHESION] = _cohesion(p, ws)
    for r in range(p.n_rungs):
        ws.first_week[r] = -1
    for k in range(N_STATUS):
        ws.status[k] = 0
    for e in range(ws.fired.shape[0]):
        ws.fired[e] = 0
    ws.status[S_CLASH_WEEK] = -1
    ws.status[S_CEASEFIRE_WEEK] = -1
    ws.status[S_DIVERGED_WEEK] = -1
    _apply_events(p, ws, 0, key)
    _update_deployments(p, ws)
    for i in range(p.n_states):
        ws.state_int[MAX_RUNG_ACTOR, i] = 0
    _record_outcomes(p, ws, 0, key, False)


@njit(**INLINE)
def step_replicate(p, ws, t, key):
    """:func:`step` with every phase inlined: the body of the ensemble's replicate loop."""
    if ws.status[S_DIVERGED]:
        return
    step_key = rng.chain(key, t)
    if t % p.steps_per_week == 0:
        _choose_actions(p, ws, step_key)
    _advance(p, ws, t, step_key, key)


# --- decisions ---------------------------------------------------------------

@njit(**INLINE)
def _deployed_weight(p, ws):
    """W: capability-weighted share of the coalition deployed, what provokes the adversary (kept by
    :func:`_update_deployments`, the only place deployments change)."""
    return ws.us[DEPLOYED_WEIGHT]


@njit(**INLINE)
def _deterrence(p, ws):
    """D = G cap_g / (cap_g + cap_a): the guarantee as the adversary weighs it (Huth 1988: credibility and balance)."""
    if not p.mechanisms[M_DETERRENCE]:
        return 0.0
    return ws.us[GUARANTEE] * p.crisis[K_BALANCE]


@njit(**INLINE)
def _partner_level(p, ws):
    """Mean level of the adversary's partners (states sharing a group with it) over the clash threshold."""
    if not p.mechanisms[M_ALIGNMENT] or p.crisis[K_N_ALIGNED] == 0.0:
        return 0.0
    total = 0.0
    for i in range(p.n_states):
        if p.state_flag[F_ALIGNED, i]:
            total += ws.state[LEVEL, i]
    return total / p.crisis[K_N_ALIGNED] / p.threat_scale


@njit(**INLINE)
def _pressure(p, ws, i, provoking, deterrence, partners):
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


@njit(**INLINE)
def _utilities(p, ws, leader, provoking, deterrence, partners):
    """u_k, into ``scratch[UTILITY]``; unavailable actions get -inf (docs/model.md, eq. 3).

    u_k = tanh(s) d_k + rho max(tanh s, 0) (max(d_k, 0) - b_k) - lambda (r/R) max(d_k, 0) - c_k (1 - P)
          - alpha C b_k - c_D D max(d_k, 0) [adversary only]
    Resolve rho acts only under pressure (s > 0): it values standing firm or escalating and
    makes backing down costly, and never adds to the pull toward de-escalation.
    """
    i = np.uint64(p.leader_state[leader])
    tension = math.tanh(_pressure(p, ws, i, provoking, deterrence, partners))
    firm = ws.leader[RESOLVE, leader] * max(tension, 0.0)
    height = ws.state_int[RUNG, i] / (p.n_rungs - 1.0)
    deterred = p.crisis[K_DETER_COST] * deterrence if leader == p.roles[R_ADVERSARY_LEADER] else 0.0
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
    _utilities(p, ws, leader, _deployed_weight(p, ws), _deterrence(p, ws), _partner_level(p, ws))
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
def _choose_actions(p, ws, step_key):
    if not p.mechanisms[M_DECISIONS]:
        return
    provoking, deterrence, partners = _deployed_weight(p, ws), _deterrence(p, ws), _partner_level(p, ws)
    for li in range(p.n_leaders):
        _utilities(p, ws, li, provoking, deterrence, partners)
        u01 = rng.uniform_at(step_key, li, rng.DECISION)
        ws.choice[li] = _logit_draw(ws.scratch, p.n_actions, p.leader[RATIONALITY, li], u01)


# --- the rest of the step ------------------------------------------------------

@njit(**INLINE)
def _advance(p, ws, t, step_key, key):
    decision_step = t % p.steps_per_week == 0
    _reaction(p, ws, t, step_key, decision_step)
    if ws.status[S_DIVERGED]:
        return
    if p.mechanisms[M_COALITION]:
        _coalition(p, ws, step_key)
    if p.mechanisms[M_DOMESTIC]:
        _domestic(p, ws, step_key)
    if (t + 1) % p.steps_per_week == 0:
        _apply_events(p, ws, (t + 1) // p.steps_per_week, key)
    _record_outcomes(p, ws, t + 1, key, decision_step)


@njit(**INLINE)
def _normals(ws, step_key, count, stream):
    """Box-Muller factors for the actors ``queue[DRAWN, :count]``, in that order: the q-th normal is
    ``draws[U1, q] * draws[U2, q]``.

    Every pair of uniforms first (a loop the compiler vectorises), then every
    logarithm, then every cosine, each in a tight loop. The cosines go in increasing
    order of angle (a counting sort into ANGLE_BUCKETS): the C library's cos branches
    on the range of its argument, and random arguments make it mispredict at nearly
    every call, which doubles its cost. The order changes no value.
    """
    for b in range(ANGLE_BUCKETS + 1):
        ws.buckets[b] = 0
    for q in range(count):
        ws.draws[U1, q], ws.draws[U2, q] = rng.uniform_pair_at(step_key, ws.queue[DRAWN, q], stream)
    for q in range(count):
        b = _angle_bucket(ws.draws[U2, q])
        ws.queue[BUCKET, q] = b
        ws.buckets[b + 1] += 1
    for q in range(count):
        ws.draws[U1, q] = rng.radius(ws.draws[U1, q])
    for b in range(ANGLE_BUCKETS):
        ws.buckets[b + 1] += ws.buckets[b]
    for q in range(count):
        b = np.uint64(ws.queue[BUCKET, q])
        ws.queue[BY_ANGLE, np.uint64(ws.buckets[b])] = q
        ws.buckets[b] += 1
    for k in range(count):
        q = np.uint64(ws.queue[BY_ANGLE, k])
        ws.draws[U2, q] = rng.angle(ws.draws[U2, q])


@njit(cache=True)
def _angle_bucket(u2):
    return min(int(u2 * ANGLE_BUCKETS), ANGLE_BUCKETS - 1)


@njit(**INLINE)
def _act(p, ws, t):
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


@njit(**INLINE)
def _reaction(p, ws, t, step_key, decision_step):
    """Euler-Maruyama: x <- max(0, x + (push + deploy push + s_i) dt + sigma sqrt(dt) z)."""
    n = p.n_states
    for i in range(n):
        ws.state[PUSH, i] = 0.0
    if p.mechanisms[M_DECISIONS]:
        _act(p, ws, t)
    coalition, reaction = p.mechanisms[M_COALITION], p.mechanisms[M_REACTION]
    provoking, deterrence, partners = _deployed_weight(p, ws), _deterrence(p, ws), _partner_level(p, ws)
    for i in range(n):
        d = ws.state[PUSH, i]
        if coalition:
            d += p.coalition[C_DEPLOY_PUSH] * ws.state_int[DEPLOYED, i]
        ws.state[DRIFT, i] = d + _pressure(p, ws, i, provoking, deterrence, partners)
    if reaction:
        drawn = 0
        for i in range(n):
            if p.state[NOISE, i] > 0.0:
                ws.queue[DRAWN, drawn] = i
                drawn += 1
        _normals(ws, step_key, drawn, rng.NOISE)
    sqrt_dt = math.sqrt(p.dt)
    q = 0
    for i in range(n):
        level = ws.state[LEVEL, i] + ws.state[DRIFT, i] * p.dt
        if reaction and p.state[NOISE, i] > 0.0:
            level += p.state[NOISE, i] * sqrt_dt * (ws.draws[U1, q] * ws.draws[U2, q])
            q += 1
        if not (level <= p.divergence_level):  # also catches NaN
            ws.status[S_DIVERGED] = 1
            ws.status[S_DIVERGED_WEEK] = week_of(t + 1, p.steps_per_week)
        ws.state[LEVEL, i] = max(0.0, level)


@njit(**INLINE)
def _coalition(p, ws, step_key):
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
    if noisy:
        for q in range(p.members.shape[0]):
            ws.queue[DRAWN, q] = p.members[q]
        _normals(ws, step_key, p.members.shape[0], rng.COMMITMENT)
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
            m += c[C_NOISE] * sqrt_dt * (ws.draws[U1, q] * ws.draws[U2, q])
        ws.state[COMMITMENT, j] = _clip01(m)
    _update_deployments(p, ws)


@njit(**INLINE)
def _update_deployments(p, ws):
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


@njit(**INLINE)
def _mean_support(p, ws):
    """S-bar = sum_f w_f s_f (1 without factions: no domestic opposition)."""
    if p.n_factions == 0:
        return 1.0
    mean = 0.0
    for f in range(p.n_factions):
        mean += p.faction[FA_WEIGHT, f] * ws.support[f]
    return mean


@njit(**INLINE)
def _cohesion(p, ws):
    """Party cohesion C = 1 - 2 sum_f w_f |s_f - S-bar| (1 when every faction agrees)."""
    if p.n_factions == 0:
        return 1.0
    mean = _mean_support(p, ws)
    spread = 0.0
    for f in range(p.n_factions):
        spread += p.faction[FA_WEIGHT, f] * abs(ws.support[f] - mean)
    return _clip01(1.0 - 2.0 * spread)


@njit(**INLINE)
def _domestic(p, ws, step_key):
    """Faction support, US political capital P and guarantee credibility G (docs/model.md, eq. 5).

    G* = G_base (w_cap P + w_sup S-bar + (1 - w_cap - w_sup) C): an isolationist US gives a weak guarantee
    and a split party a less credible one.
    """
    d = p.domestic
    cohesion = _cohesion(p, ws)
    mean_support = _mean_support(p, ws)
    threat = ws.state[LEVEL, p.roles[R_ADVERSARY]] / p.threat_scale
    sqrt_dt = math.sqrt(p.dt)
    g = p.roles[R_GUARANTOR_LEADER]
    shift = 0.0
    if g >= 0 and p.mechanisms[M_DECISIONS]:
        shift = p.action[A_SUPPORT_SHIFT, ws.choice[g]]
    for f in range(p.n_factions):
        s = ws.support[f] + (p.faction[FA_THREAT_RESPONSE, f] * threat
                             + shift * p.faction[FA_RESOLUTION_RESPONSE, f]) * p.dt
        if p.faction[FA_NOISE, f] > 0.0:
            s += p.faction[FA_NOISE, f] * sqrt_dt * rng.normal_at(step_key, f, rng.FACTION)
        ws.support[f] = _clip01(s)
    capital = 1.0
    if g >= 0:
        capital = ws.leader[CAPITAL, g]
        height = ws.state_int[RUNG, p.roles[R_GUARANTOR]] / (p.n_rungs - 1.0)
        dP = (d[D_AGENDA_GAIN] * (1.0 - capital) - d[D_FISSURE_COST] * (1.0 - cohesion) * ws.us[GUARANTEE]
              - d[D_ESCALATION_COST] * height)
        if p.mechanisms[M_DECISIONS]:
            dP -= d[D_ACTION_COST_WEIGHT] * p.action[A_COST, ws.choice[g]]
        capital += dP * p.dt
        if d[D_CAPITAL_NOISE] > 0.0:
            capital += d[D_CAPITAL_NOISE] * sqrt_dt * rng.normal_at(step_key, 0, rng.CAPITAL)
        capital = _clip01(capital)
        ws.leader[CAPITAL, g] = capital
    w_cohesion = 1.0 - d[D_CAPITAL_WEIGHT] - d[D_SUPPORT_WEIGHT]
    target = ws.us[GUARANTEE_BASE] * (d[D_CAPITAL_WEIGHT] * capital + d[D_SUPPORT_WEIGHT] * mean_support
                                      + w_cohesion * cohesion)
    ws.us[GUARANTEE] = _clip01(ws.us[GUARANTEE] + d[D_GUARANTEE_RATE] * (target - ws.us[GUARANTEE]) * p.dt)
    ws.us[COHESION] = _cohesion(p, ws)


@njit(**INLINE)
def _event_get(ws, code, i):
    """The workspace value an event target code addresses."""
    if code == T_LEVEL:
        return ws.state[LEVEL, i]
    if code == T_GRIEVANCE:
        return ws.state[GRIEVANCE, i]
    if code == T_COMMITMENT:
        return ws.state[COMMITMENT, i]
    if code == T_DEPLOY_THRESHOLD:
        return ws.state[DEPLOY_THRESHOLD, i]
    if code == T_RESOLVE:
        return ws.leader[RESOLVE, i]
    if code == T_CAPITAL:
        return ws.leader[CAPITAL, i]
    if code == T_PLEDGED:
        return ws.leader[PLEDGED, i]
    if code == T_SUPPORT:
        return ws.support[i]
    if code == T_GUARANTEE:
        return ws.us[GUARANTEE]
    if code == T_CEASEFIRE:
        return 1.0 if ws.status[S_CEASEFIRE_WEEK] >= 0 else 0.0
    return ws.us[GUARANTEE_BASE]


@njit(**INLINE)
def _event_set(ws, code, i, value, week):
    if code == T_LEVEL:
        ws.state[LEVEL, i] = value
    elif code == T_GRIEVANCE:
        ws.state[GRIEVANCE, i] = value
    elif code == T_COMMITMENT:
        ws.state[COMMITMENT, i] = value
    elif code == T_DEPLOY_THRESHOLD:
        ws.state[DEPLOY_THRESHOLD, i] = value
    elif code == T_RESOLVE:
        ws.leader[RESOLVE, i] = value
    elif code == T_CAPITAL:
        ws.leader[CAPITAL, i] = value
    elif code == T_PLEDGED:
        ws.leader[PLEDGED, i] = value
    elif code == T_SUPPORT:
        ws.support[i] = value
    elif code == T_GUARANTEE:
        ws.us[GUARANTEE] = value
    elif code == T_CEASEFIRE:
        if value < 0.5:
            ws.status[S_CEASEFIRE_WEEK] = -1
        elif ws.status[S_CEASEFIRE_WEEK] < 0:
            ws.status[S_CEASEFIRE_WEEK] = week
    else:
        ws.us[GUARANTEE_BASE] = value


@njit(**INLINE)
def _apply_events(p, ws, week, key):
    """Apply the events scheduled for ``week`` in list order (each fires with its probability); marks ``ws.fired``."""
    if not p.mechanisms[M_EVENTS]:
        return
    for e in range(p.event_ptr[week], p.event_ptr[week + 1]):
        prob = p.event_value[E_PROB, e]
        # one draw per event and replicate: step 0, actor = the event's id
        if prob < 1.0 and rng.uniform_at(rng.chain(key, 0), p.event_code[E_ID, e], rng.EVENT) > prob:
            continue
        ws.fired[p.event_code[E_ID, e]] = 1
        code, i = p.event_code[E_TARGET, e], p.event_code[E_INDEX, e]
        op, v = p.event_code[E_OP, e], p.event_value[E_VALUE, e]
        old = _event_get(ws, code, i)
        value = v if op == 0 else (old + v if op == 1 else old * v)
        if code == T_LEVEL or code == T_RESOLVE or code == T_PLEDGED:
            value = max(0.0, value)
        elif code != T_GRIEVANCE:
            value = _clip01(value)
        _event_set(ws, code, i, value, week)


@njit(**INLINE)
def _record_outcomes(p, ws, step, key, decision_step):
    """Rungs, first passage, de-escalation of the dyad and the clash hazard at ``step``.

    A state stands on a rung that takes force only once its leader has used force, so rungs
    mean what the actors did (docs/model.md, "Rungs"). The clash is a weekly hazard
    (eq. 6): an incident rate by the adversary's rung that needs no deployment, a term that
    grows with the deployed share, and a deliberate strike when the adversary's leader chose a
    kinetic action while coalition forces are deployed. Step 0 records no clash.
    """
    week = week_of(step, p.steps_per_week)
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
    if step == 0 or ws.status[S_CLASH_WEEK] >= 0:
        return
    cause = CAUSE_NONE
    adversary_leader = p.roles[R_ADVERSARY_LEADER]
    if (decision_step and p.mechanisms[M_DECISIONS] and adversary_leader >= 0 and ws.status[S_DEPLOYED] > 0
            and p.action[A_KINETIC, ws.choice[adversary_leader]] == 1.0):
        cause = CAUSE_DELIBERATE
    ra = ws.state_int[RUNG, p.roles[R_ADVERSARY]]
    safe = (1.0 - p.ladder[L_RISK, ra]) * (1.0 - p.ladder[L_DEPLOYED_RISK, ra] * _deployed_weight(p, ws))
    if p.steps_per_week != 1:
        safe = safe ** p.dt
    hazard = 1.0 - safe
    if cause == CAUSE_NONE and hazard > 0.0 and rng.uniform_at(rng.chain(key, step), 0, rng.CLASH) <= hazard:
        cause = CAUSE_INCIDENT
    if cause != CAUSE_NONE:
        ws.status[S_CLASH_WEEK] = week
        ws.status[S_CLASH_CAUSE] = cause
