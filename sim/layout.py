"""Names of the kernel's arrays.

``Params`` holds what a scenario fixes (read-only in the kernel); ``Workspace``
holds one replicate's evolving state. Both are named tuples of NumPy arrays and
scalars, so the kernel stays free of Python objects while keeping domain names.
This module imports nothing, so the kernel's dependencies stay numpy and numba.
"""
from collections import namedtuple

# Event target codes (kernel switch); see EVENT_TARGETS in sim.validate.
T_LEVEL, T_GRIEVANCE, T_COMMITMENT, T_DEPLOY_THRESHOLD = 0, 1, 2, 3
T_RESOLVE, T_CAPITAL, T_SUPPORT, T_GUARANTEE, T_GUARANTEE_BASE = 4, 5, 6, 7, 8
OPS = {"set": 0, "add": 1, "scale": 2}

PARAM_FIELDS = (
    "n_states", "n_leaders", "n_factions", "n_actions", "n_rungs", "n_members", "steps", "dt",
    "mech_reaction", "mech_decisions", "mech_coalition", "mech_domestic", "mech_events",
    "x0", "fatigue", "grievance0", "noise", "provocation", "capability", "exposure", "member_capability",
    "react_dst", "react_src", "react_k",
    "thresholds", "rung_risk",
    "member", "commitment0", "deploy_threshold0", "withdraw_threshold", "us_dependence",
    "domestic_cost", "member_bias",
    "coal_rate", "coal_noise", "w_guarantee", "w_lead", "w_peer", "w_threat", "w_cost", "deploy_push",
    "leader_state", "rationality", "resolve0", "risk_aversion", "audience_cost", "capital0",
    "action_mask", "target_ptr", "target_idx",
    "action_delta", "action_cost", "action_pledge", "action_pressure", "action_goldstein",
    "action_backdown", "action_kinetic", "commitment_decay",
    "faction_weight", "support0", "faction_threat_response", "faction_noise",
    "guarantee0", "guarantee_base0", "guarantee_rate", "capital_weight", "agenda_gain",
    "fissure_cost", "escalation_cost", "action_cost_weight", "capital_noise",
    "adversary", "guarantor", "coalition_lead", "adversary_leader", "guarantor_leader",
    "clash_rung", "ladder_actor", "deescalation_rung", "divergence_level", "threat_scale",
    "event_week", "event_target", "event_index", "event_op", "event_value", "event_prob",
)
Params = namedtuple("Params", PARAM_FIELDS)

WORKSPACE_FIELDS = (
    "x", "drift", "push", "rung", "max_rung_actor",
    "grievance", "commitment", "deploy_threshold", "deployed",
    "resolve", "capital", "pledged", "choice", "utility",
    "support", "guarantee", "guarantee_base", "cohesion",
    "first_week", "status",
)
Workspace = namedtuple("Workspace", WORKSPACE_FIELDS)

# Indices into Workspace.status (int64 counters and flags of one replicate).
S_DIVERGED, S_CLASH_WEEK, S_DEPLOYED, S_DEPLOYED_PEAK, S_MAX_RUNG, S_DEESCALATED = 0, 1, 2, 3, 4, 5
N_STATUS = 6


