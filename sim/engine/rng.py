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
def chain(h, coordinate):
    """Fold one more coordinate into the hash ``h``: ``mix(h XOR (c + G64))``."""
    return _mix(np.uint64(h) ^ (np.uint64(coordinate) + _GOLDEN))


@njit(cache=True)
def replicate_key(seed, replicate):
    """The hash of ``(seed, replicate)``: the prefix that every draw of a replicate shares."""
    return chain(_mix(np.uint64(seed) + _GOLDEN), replicate)


@njit(cache=True)
def hash64(seed, replicate, step, actor, stream):
    """64 random bits for the coordinates (all non-negative integers)."""
    return chain(chain(chain(replicate_key(seed, replicate), step), actor), stream)


@njit(cache=True)
def _unit(bits):
    return (float(bits >> _S11) + 1.0) * _INV53


@njit(cache=True)
def radius(u1):
    """Box-Muller's radius sqrt(-2 ln u1)."""
    return math.sqrt(-2.0 * math.log(u1))


@njit(cache=True)
def angle(u2):
    """Box-Muller's cos(2 pi u2)."""
    return math.cos(2.0 * math.pi * u2)


@njit(cache=True)
def _box_muller(actor_key, stream):
    s = np.uint64(stream)
    return radius(_unit(chain(actor_key, s + _SUB1))) * angle(_unit(chain(actor_key, s + _SUB2)))


@njit(cache=True)
def uniform(seed, replicate, step, actor, stream):
    """A double in (0, 1]: 53 random bits, never exactly zero (safe for log)."""
    return _unit(hash64(seed, replicate, step, actor, stream))


@njit(cache=True)
def normal(seed, replicate, step, actor, stream):
    """A standard normal by Box-Muller from two uniforms of sub-streams ``s + 2**32`` and ``s + 2**33``.

    Streams are small integers, so the sub-streams never meet another stream's plain uniforms.
    """
    return _box_muller(chain(chain(replicate_key(seed, replicate), step), actor), stream)


# The kernel hashes each prefix once: a step's key serves every draw of that step,
# an actor's key both uniforms of its normal. Same bits as the functions above.

@njit(cache=True)
def uniform_at(step_key, actor, stream):
    """:func:`uniform` from the key ``chain(replicate_key(seed, replicate), step)``."""
    return _unit(chain(chain(step_key, actor), stream))


@njit(cache=True)
def normal_at(step_key, actor, stream):
    """:func:`normal` from the key ``chain(replicate_key(seed, replicate), step)``."""
    return _box_muller(chain(step_key, actor), stream)


@njit(cache=True)
def uniform_pair_at(step_key, actor, stream):
    """The two uniforms ``(u1, u2)`` behind :func:`normal_at`: ``radius(u1) * angle(u2)`` is that normal.

    Drawing many pairs first and then taking every logarithm, then every cosine,
    keeps each libm function in a tight loop; the numbers are the same.
    """
    h = chain(step_key, actor)
    s = np.uint64(stream)
    return _unit(chain(h, s + _SUB1)), _unit(chain(h, s + _SUB2))
