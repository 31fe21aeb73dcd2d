"""Scheduled events: at a week boundary, set, add to or scale one quantity (docs/model.md, "Events")."""
from numba import njit

from . import rng
from .layout import (CAPITAL, COMMITMENT, DEPLOY_THRESHOLD, E_ID, E_INDEX, E_OP, E_PROB, E_TARGET, E_VALUE,
                     GRIEVANCE, GUARANTEE, GUARANTEE_BASE, LEVEL, M_EVENTS, PLEDGED, RESOLVE, S_CEASEFIRE_WEEK,
                     T_CAPITAL, T_CEASEFIRE, T_COMMITMENT, T_DEPLOY_THRESHOLD, T_GRIEVANCE, T_GUARANTEE, T_LEVEL,
                     T_PLEDGED, T_RESOLVE, T_SUPPORT)
from .workspace import INLINE, clip01


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
def apply_events(p, ws, week, key):
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
            value = clip01(value)
        _event_set(ws, code, i, value, week)
