"""Names of the kernel's arrays.

``Params`` holds what a scenario fixes (read-only in the kernel); ``Workspace``
holds one replicate's evolving state. Both are named tuples of a few contiguous
NumPy blocks: a block is a structure of arrays, one row per quantity (named by
the row constants below) and one column per actor, so a phase that sweeps the
states reads one contiguous row.

Few blocks, not one array per quantity, because Numba passes a named tuple as
its flattened fields: compile time grows with their number at every call site,
and wherever reference counting is on, a call that is not inlined increments and
decrements the count of every array in it. For Python callers both tuples also answer the per-quantity names
(``params.fatigue``, ``workspace.x``) as views on their rows.

This module imports nothing but the standard library, so the kernel's
dependencies stay numpy and numba.
"""
from collections import namedtuple

# Event target codes (kernel switch); see EVENT_TARGETS in sim.scenario.targets.
T_LEVEL, T_GRIEVANCE, T_COMMITMENT, T_DEPLOY_THRESHOLD = 0, 1, 2, 3
T_RESOLVE, T_CAPITAL, T_SUPPORT, T_GUARANTEE, T_GUARANTEE_BASE = 4, 5, 6, 7, 8
T_PLEDGED, T_CEASEFIRE = 9, 10
OPS = {"set": 0, "add": 1, "scale": 2}

# --- Params blocks --------------------------------------------------------------

# mechanisms: int64 switches
M_REACTION, M_DECISIONS, M_COALITION, M_DOMESTIC, M_EVENTS, M_DETERRENCE, M_ALIGNMENT = range(7)
N_MECHANISMS = 7

# state: float64 (rows, n_states); non-members carry neutral coalition values
(X0, FATIGUE, GRIEVANCE0, NOISE, PROVOCATION, CAPABILITY, EXPOSURE, COMMITMENT0, DEPLOY_THRESHOLD0,
 WITHDRAW_THRESHOLD, US_DEPENDENCE, DOMESTIC_COST, MEMBER_BIAS, GUARANTEE_REQUIRED, AUTONOMY,
 THREAT_EXPOSURE) = range(16)
N_STATE_PARAMS = 16

# state_flag: int64 (rows, n_states); aligned: shares a group with the adversary (the SCO channel)
F_MEMBER, F_LADDER_ACTOR, F_DYAD, F_ALIGNED = range(4)
N_STATE_FLAGS = 4

# ladder: float64 (rows, n_rungs); kinetic is 0.0 / 1.0
L_THRESHOLD, L_RISK, L_DEPLOYED_RISK, L_KINETIC = range(4)
N_LADDER = 4

# leader: float64 (rows, n_leaders)
RATIONALITY, RESOLVE0, RISK_AVERSION, AUDIENCE_COST, CAPITAL0 = range(5)
N_LEADER_PARAMS = 5

# action: float64 (rows, n_actions); backdown and kinetic are 0.0 / 1.0
A_DELTA, A_COST, A_PLEDGE, A_PRESSURE, A_GOLDSTEIN, A_BACKDOWN, A_KINETIC, A_SUPPORT_SHIFT, A_CEASEFIRE = range(9)
N_ACTION_PARAMS = 9

# faction: float64 (rows, n_factions)
FA_WEIGHT, FA_SUPPORT0, FA_THREAT_RESPONSE, FA_NOISE, FA_RESOLUTION_RESPONSE = range(5)
N_FACTION_PARAMS = 5

# coalition: float64 constants
(C_RATE, C_NOISE, C_W_GUARANTEE, C_W_LEAD, C_W_PEER, C_W_THREAT, C_W_COST, C_DEPLOY_PUSH,
 C_MEMBER_CAPABILITY, C_W_AUTONOMY, C_REQUIRES_CEASEFIRE) = range(11)
N_COALITION = 11

# domestic: float64 constants
(D_GUARANTEE0, D_GUARANTEE_BASE0, D_GUARANTEE_RATE, D_CAPITAL_WEIGHT, D_AGENDA_GAIN, D_FISSURE_COST,
 D_ESCALATION_COST, D_ACTION_COST_WEIGHT, D_CAPITAL_NOISE, D_SUPPORT_WEIGHT) = range(10)
N_DOMESTIC = 10

# crisis: float64 constants of deterrence and alignment; BALANCE = cap_guarantor / (cap_guarantor + cap_adversary)
K_DETER_DRIFT, K_DETER_COST, K_BALANCE, K_ALIGN_WEIGHT, K_N_ALIGNED = range(5)
N_CRISIS = 5

# roles: int64 indices (-1: the role has no leader); KINETIC_RUNG: first rung that takes force (n_rungs: none)
(R_ADVERSARY, R_GUARANTOR, R_COALITION_LEAD, R_ADVERSARY_LEADER, R_GUARANTOR_LEADER, R_CLASH_RUNG,
 R_DEESCALATION_RUNG, R_KINETIC_RUNG) = range(8)
N_ROLES = 8

# event_code: int64 (rows, n_events), events grouped by week in list order
E_TARGET, E_INDEX, E_OP, E_ID = range(4)
N_EVENT_CODES = 4
# event_value: float64 (rows, n_events)
E_VALUE, E_PROB = range(2)
N_EVENT_VALUES = 2

PARAM_FIELDS = (
    "n_states", "n_leaders", "n_factions", "n_actions", "n_rungs", "n_members", "steps", "dt",
    "steps_per_week", "commitment_decay", "divergence_level", "threat_scale",
    "mechanisms", "state", "state_flag", "members",
    "react_ptr", "react_src", "react_k",       # reactions by destination (CSR): k_ij x_j for i
    "ladder", "leader", "leader_state", "action_mask", "target_ptr", "target_idx",
    "action", "faction", "coalition", "domestic", "crisis", "roles",
    "event_ptr", "event_code", "event_value",  # events of week w: event_ptr[w] .. event_ptr[w + 1]
)

# Per-quantity names for Python callers: name -> (block, row); row None = the whole block.
PARAM_ROWS = {
    "mech_reaction": ("mechanisms", M_REACTION), "mech_decisions": ("mechanisms", M_DECISIONS),
    "mech_coalition": ("mechanisms", M_COALITION), "mech_domestic": ("mechanisms", M_DOMESTIC),
    "mech_events": ("mechanisms", M_EVENTS), "mech_deterrence": ("mechanisms", M_DETERRENCE),
    "mech_alignment": ("mechanisms", M_ALIGNMENT),
    "x0": ("state", X0), "fatigue": ("state", FATIGUE), "grievance0": ("state", GRIEVANCE0),
    "noise": ("state", NOISE), "provocation": ("state", PROVOCATION), "capability": ("state", CAPABILITY),
    "exposure": ("state", EXPOSURE), "commitment0": ("state", COMMITMENT0),
    "deploy_threshold0": ("state", DEPLOY_THRESHOLD0), "withdraw_threshold": ("state", WITHDRAW_THRESHOLD),
    "us_dependence": ("state", US_DEPENDENCE), "domestic_cost": ("state", DOMESTIC_COST),
    "member_bias": ("state", MEMBER_BIAS), "guarantee_required": ("state", GUARANTEE_REQUIRED),
    "autonomy": ("state", AUTONOMY), "threat_exposure": ("state", THREAT_EXPOSURE),
    "member": ("state_flag", F_MEMBER), "ladder_actor": ("state_flag", F_LADDER_ACTOR),
    "dyad": ("state_flag", F_DYAD), "aligned": ("state_flag", F_ALIGNED),
    "thresholds": ("ladder", L_THRESHOLD), "rung_risk": ("ladder", L_RISK),
    "deployed_risk": ("ladder", L_DEPLOYED_RISK), "rung_kinetic": ("ladder", L_KINETIC),
    "rationality": ("leader", RATIONALITY), "resolve0": ("leader", RESOLVE0),
    "risk_aversion": ("leader", RISK_AVERSION), "audience_cost": ("leader", AUDIENCE_COST),
    "capital0": ("leader", CAPITAL0),
    "action_delta": ("action", A_DELTA), "action_cost": ("action", A_COST), "action_pledge": ("action", A_PLEDGE),
    "action_pressure": ("action", A_PRESSURE), "action_goldstein": ("action", A_GOLDSTEIN),
    "action_backdown": ("action", A_BACKDOWN), "action_kinetic": ("action", A_KINETIC),
    "action_support_shift": ("action", A_SUPPORT_SHIFT), "action_ceasefire": ("action", A_CEASEFIRE),
    "faction_weight": ("faction", FA_WEIGHT), "support0": ("faction", FA_SUPPORT0),
    "faction_threat_response": ("faction", FA_THREAT_RESPONSE), "faction_noise": ("faction", FA_NOISE),
    "resolution_response": ("faction", FA_RESOLUTION_RESPONSE),
    "coal_rate": ("coalition", C_RATE), "coal_noise": ("coalition", C_NOISE),
    "w_guarantee": ("coalition", C_W_GUARANTEE), "w_lead": ("coalition", C_W_LEAD),
    "w_peer": ("coalition", C_W_PEER), "w_threat": ("coalition", C_W_THREAT), "w_cost": ("coalition", C_W_COST),
    "deploy_push": ("coalition", C_DEPLOY_PUSH), "member_capability": ("coalition", C_MEMBER_CAPABILITY),
    "w_autonomy": ("coalition", C_W_AUTONOMY), "requires_ceasefire": ("coalition", C_REQUIRES_CEASEFIRE),
    "guarantee0": ("domestic", D_GUARANTEE0), "guarantee_base0": ("domestic", D_GUARANTEE_BASE0),
    "guarantee_rate": ("domestic", D_GUARANTEE_RATE), "capital_weight": ("domestic", D_CAPITAL_WEIGHT),
    "agenda_gain": ("domestic", D_AGENDA_GAIN), "fissure_cost": ("domestic", D_FISSURE_COST),
    "escalation_cost": ("domestic", D_ESCALATION_COST), "action_cost_weight": ("domestic", D_ACTION_COST_WEIGHT),
    "capital_noise": ("domestic", D_CAPITAL_NOISE), "support_weight": ("domestic", D_SUPPORT_WEIGHT),
    "deterrence_drift": ("crisis", K_DETER_DRIFT), "deterrence_cost": ("crisis", K_DETER_COST),
    "balance": ("crisis", K_BALANCE), "alignment_weight": ("crisis", K_ALIGN_WEIGHT),
    "adversary": ("roles", R_ADVERSARY), "guarantor": ("roles", R_GUARANTOR),
    "coalition_lead": ("roles", R_COALITION_LEAD), "adversary_leader": ("roles", R_ADVERSARY_LEADER),
    "guarantor_leader": ("roles", R_GUARANTOR_LEADER), "clash_rung": ("roles", R_CLASH_RUNG),
    "deescalation_rung": ("roles", R_DEESCALATION_RUNG), "kinetic_rung": ("roles", R_KINETIC_RUNG),
}


def _row(tup, name, rows):
    try:
        block, row = rows[name]
    except KeyError:
        raise AttributeError(f"{type(tup).__name__!r} has no field {name!r}") from None
    value = getattr(tup, block)[row]
    return value.item() if getattr(value, "ndim", 1) == 0 else value


class Params(namedtuple("Params", PARAM_FIELDS)):
    """A scenario compiled to kernel arrays (:func:`sim.engine.pack.compile_params`)."""

    __slots__ = ()

    def __getattr__(self, name):
        return _row(self, name, PARAM_ROWS)


# --- Workspace blocks ----------------------------------------------------------

# state: float64 (rows, n_states)
LEVEL, DRIFT, PUSH, GRIEVANCE, COMMITMENT, DEPLOY_THRESHOLD = range(6)
N_STATE_VARS = 6
# state_int: int64 (rows, n_states); STRUCK: its leader has used force, which unlocks the kinetic rungs
RUNG, MAX_RUNG_ACTOR, DEPLOYED, STRUCK = range(4)
N_STATE_INTS = 4
# leader: float64 (rows, n_leaders)
RESOLVE, CAPITAL, PLEDGED = range(3)
N_LEADER_VARS = 3
# scratch: float64 (rows, n_actions), the logit choice's working rows
UTILITY, WEIGHT = range(2)
N_SCRATCH = 2
# draws: float64 (rows, n_states), a phase's intermediates in the order of its actors: the q-th member's
# target commitment
TARGET = 0
N_DRAWS = 1
# us: float64 (rows,), US domestic politics
GUARANTEE, GUARANTEE_BASE, COHESION = range(3)
# the deployed capability share W, kept by the deployment update (read several times a step)
DEPLOYED_WEIGHT = 3
N_US_VARS = 4


WORKSPACE_FIELDS = ("state", "state_int", "leader", "choice", "scratch", "draws", "support", "us",
                    "first_week", "status", "fired")

WORKSPACE_ROWS = {
    "x": ("state", LEVEL), "drift": ("state", DRIFT), "push": ("state", PUSH),
    "grievance": ("state", GRIEVANCE), "commitment": ("state", COMMITMENT),
    "deploy_threshold": ("state", DEPLOY_THRESHOLD),
    "rung": ("state_int", RUNG), "max_rung_actor": ("state_int", MAX_RUNG_ACTOR),
    "deployed": ("state_int", DEPLOYED), "struck": ("state_int", STRUCK),
    "resolve": ("leader", RESOLVE), "capital": ("leader", CAPITAL), "pledged": ("leader", PLEDGED),
    "utility": ("scratch", UTILITY),
    # one-element views, so that ``workspace.guarantee[0]`` reads and writes as before
    "guarantee": ("us", slice(GUARANTEE, GUARANTEE + 1)),
    "guarantee_base": ("us", slice(GUARANTEE_BASE, GUARANTEE_BASE + 1)),
    "cohesion": ("us", slice(COHESION, COHESION + 1)),
}


class Workspace(namedtuple("Workspace", WORKSPACE_FIELDS)):
    """One replicate's evolving state (:func:`sim.engine.kernel.new_workspace`)."""

    __slots__ = ()

    def __getattr__(self, name):
        return _row(self, name, WORKSPACE_ROWS)


# Indices into Workspace.status (int64 counters and flags of one replicate); weeks are weeks, -1 = never.
(S_DIVERGED, S_CLASH_WEEK, S_DEPLOYED, S_DEPLOYED_PEAK, S_MAX_RUNG, S_DEESCALATED, S_CLASH_CAUSE, S_CEASEFIRE_WEEK,
 S_DYAD_ABOVE, S_DIVERGED_WEEK, S_DECIDED_STEP) = range(11)
N_STATUS = 11  # S_DECIDED_STEP: the step whose decisions are made (the Mesa path makes them before the step)
# S_CLASH_CAUSE values
CAUSE_NONE, CAUSE_INCIDENT, CAUSE_DELIBERATE = 0, 1, 2
CLASH_CAUSES = ("none", "incident", "deliberate")


# --- the ensemble's outputs ----------------------------------------------------

# Per-week integer accumulators; the ensemble holds one slot per thread on a leading axis.
COUNT_FIELDS = ("level_hist", "rung_occ", "deployed_dist", "commit_fp", "deployed_member", "unit_hist", "unit_fp")
Counts = namedtuple("Counts", COUNT_FIELDS)

# Per-replicate outcome columns; the kernel writes row r for replicate r.
SUMMARY_FIELDS = ("max_rung", "max_rung_adversary", "first_week", "clash_week", "clash_cause", "deployed_peak",
                  "deployed_final", "guarantee_final", "capital_final", "diverged", "diverged_week", "deescalated",
                  "ceasefire_week")
Summaries = namedtuple("Summaries", SUMMARY_FIELDS)

# What one call of the ensemble runs and where it writes: replicates ``first .. first + count - 1`` of ``seed``
# (replicate ``first``'s summary in row ``row``), per-week counts (``Counts``, binned up to ``hist_max``) and
# per-replicate summaries.
Span = namedtuple("Span", ("seed", "first", "count", "row"))
Outputs = namedtuple("Outputs", ("counts", "summaries", "hist_max"))
