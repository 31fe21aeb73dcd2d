"""Counter-based random numbers: every draw is a hash of its coordinates.

A draw is ``hash(seed, replicate, step, actor, stream)``, so no generator state
is carried between draws: results do not depend on thread count, launcher or
evaluation order. The hash chains the SplitMix64 finaliser (Steele, Lea &
Flood 2014) over the five coordinates.

Every operand is cast to ``np.uint64``: in Numba, mixing uint64 and int64
silently promotes to float64 and destroys the hash.
"""
import math

import numpy as np
from numba import njit

# Streams: one per kind of draw, so adding a draw never shifts another.
NOISE = 0
DECISION = 1
COMMITMENT = 2
FACTION = 3
CAPITAL = 4
CLASH = 5
EVENT = 6

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_SUB1 = np.uint64(1 << 32)
_SUB2 = np.uint64(1 << 33)
_INV53 = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def _mix(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True)
def hash64(seed, replicate, step, actor, stream):
    """64 random bits for the coordinates (all non-negative integers)."""
    h = _mix(np.uint64(seed) + _GOLDEN)
    h = _mix(h ^ (np.uint64(replicate) + _GOLDEN))
    h = _mix(h ^ (np.uint64(step) + _GOLDEN))
    h = _mix(h ^ (np.uint64(actor) + _GOLDEN))
    return _mix(h ^ (np.uint64(stream) + _GOLDEN))


@njit(cache=True)
def uniform(seed, replicate, step, actor, stream):
    """A double in (0, 1]: 53 random bits, never exactly zero (safe for log)."""
    bits = hash64(seed, replicate, step, actor, stream) >> _S11
    return (float(bits) + 1.0) * _INV53


@njit(cache=True)
def normal(seed, replicate, step, actor, stream):
    """A standard normal by Box-Muller from two uniforms of sub-streams ``s + 2**32`` and ``s + 2**33``.

    Streams are small integers, so the sub-streams never meet another stream's plain uniforms.
    """
    s = np.uint64(stream)
    u1 = uniform(seed, replicate, step, actor, s + _SUB1)
    u2 = uniform(seed, replicate, step, actor, s + _SUB2)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
