"""The Numba kernel's public operations, one name each (docs/model.md, "Details").

One step ``t`` takes the state at time ``t dt`` to ``(t + 1) dt`` (weeks) in fixed
phases, one module each: decisions (``decisions``, at the first step of each week
only: leaders decide weekly whatever ``dt`` is) -> reaction core (``reaction``) ->
coalition (``coalition``) -> US domestic politics (``domestic``) -> events
(``events``, at week boundaries) -> outcomes (``outcomes``); ``step`` strings them
together. Every rate is per week and enters times ``dt``; every weekly probability
p enters as ``1 - (1 - p)**dt``; weekly pledges and decisions happen once a week;
every recorded week is a week. Phases read what earlier phases wrote; within a
phase every actor reads the same start-of-phase values, so the result does not
depend on the order agents are visited in.

Pure functions over ``Params`` / ``Workspace`` (sim.engine.layout) and the
replicate's key ``rng.replicate_key(seed, replicate)``: no globals, no allocation
inside a step, every random number from :mod:`sim.engine.rng`. Sums are explicit
loops in a fixed order and ``fastmath`` is off, so the Mesa path, which calls
``begin``, ``choose_actions`` (then lets its agents change the choice) and ``step``
itself, and the plain-Python reference (``tests/reference_model.py``) reproduce the
ensemble bit for bit.

Speed (docs/performance.md): functions that take ``Params`` or ``Workspace`` are
compiled without reference counting (sim.engine.workspace); random numbers hash
the shared prefix of their coordinates once per replicate and step
(``rng.replicate_key``, ``rng.chain``), and normals come from a ziggurat, which
needs no logarithm or cosine for 99% of them (``rng.normal_at``); indices
read from arrays are cast to ``np.uint64`` before they index, so Numba skips the
wrap-around of negative indices (never mixed with signed integers in arithmetic:
Numba would promote both to float64).

What compiles, once each and shared by every path: ``begin``, ``step`` (every phase
inlined into it, so the ensemble makes one call per step), ``choose_actions`` (the
Mesa path), ``run_trajectory`` and the ensemble's ``run_chunk``. Each takes one
signature (``key_for`` gives Python callers the key's type); phases are not compiled
apart, and nothing is inlined twice into one path: inlining is what costs compile time.
"""
import numpy as np

from . import rng
from .decisions import action_utilities, choose_actions, logit_choice
from .outcomes import rung_of
from .step import begin, run_trajectory, step
from .workspace import new_workspace

__all__ = ["action_utilities", "begin", "choose_actions", "key_for", "logit_choice", "new_workspace",
           "rung_of", "run_trajectory", "step"]


def key_for(seed: int, replicate: int) -> np.uint64:
    """The key every operation takes, for calls from Python: ``rng.replicate_key`` as a NumPy uint64, the type the
    ensemble passes, so that each operation compiles one signature."""
    return np.uint64(rng.replicate_key(seed, replicate))
