"""A replicate's workspace, the compile options of the kernel, and the scalar helpers every phase uses.

Functions that take ``Params`` or ``Workspace`` are compiled without Numba's
reference counting (``NO_REFCOUNT``): with it, every call not inlined would
atomically update the count of every array in both tuples, on cache lines the
threads share; that cost more than the physics. Allocating in such a function is a
compile error, which keeps "no allocation inside a step" checked.
"""
import math

import numpy as np
from numba import njit

from .layout import (N_DRAWS, N_LEADER_VARS, N_SCRATCH, N_STATE_INTS, N_STATE_VARS, N_STATUS,
                     N_US_VARS, Workspace)

# ``_nrt`` is Numba's own switch for its reference-counting runtime (see the module docstring).
NO_REFCOUNT = dict(cache=True, _nrt=False)
INLINE = dict(cache=True, inline="always")


def new_workspace(p):
    """Allocate one replicate's state; :func:`sim.engine.step.begin` fills it (NumPy: nothing to compile)."""
    n = p.n_states
    return Workspace(
        np.zeros((N_STATE_VARS, n)), np.zeros((N_STATE_INTS, n), np.int64),
        np.zeros((N_LEADER_VARS, p.n_leaders)), np.zeros(p.n_leaders, np.int64),
        np.zeros((N_SCRATCH, max(p.n_actions, 1))), np.zeros((N_DRAWS, n)),
        np.zeros(p.n_factions), np.zeros(N_US_VARS),
        np.zeros(p.n_rungs, np.int64), np.zeros(N_STATUS, np.int64), np.zeros(max(p.event_code.shape[1], 1), np.int64),
    )


@njit(cache=True)
def tanh(s):
    """tanh from one ``exp``: ``(1 - e) / (1 + e)``, ``e = exp(-2|s|)``, signed. Within a few 1e-16 of the C
    library's (tests/test_rng.py), at a fraction of the cost: glibc's tanh goes through the slower expm1."""
    e = math.exp(-2.0 * abs(s))
    t = (1.0 - e) / (1.0 + e)
    return t if s >= 0.0 else -t


@njit(cache=True)
def clip01(v):
    return min(1.0, max(0.0, v))


@njit(cache=True)
def week_of(step, steps_per_week):
    """The week a step ends in: ``ceil(step / steps_per_week)``."""
    return (step + steps_per_week - 1) // steps_per_week
