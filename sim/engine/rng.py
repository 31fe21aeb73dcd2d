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


def _ziggurat_tables():
    """Layer edges ``x[0..256]`` and the ratios ``x[i + 1] / x[i]`` of the 256-layer ziggurat.

    Marsaglia & Tsang (2000), J. Stat. Softw. 5(8), with their ``r`` and ``v`` for 256 layers;
    layer 0 is the base strip, of width ``v / f(r)``, whose tail beyond ``r`` the slow path samples.
    Computed with ``math`` (the C library), like every other transcendental of the kernel.
    """
    x = [0.0] * (ZIGGURAT_LAYERS + 1)
    f = math.exp(-0.5 * ZIGGURAT_R * ZIGGURAT_R)
    x[0], x[1] = ZIGGURAT_V / f, ZIGGURAT_R
    for i in range(2, ZIGGURAT_LAYERS):
        x[i] = math.sqrt(-2.0 * math.log(ZIGGURAT_V / x[i - 1] + f))
        f = math.exp(-0.5 * x[i] * x[i])
    edges = np.array(x)
    return edges, edges[1:] / edges[:-1]


ZIGGURAT_LAYERS = 256
ZIGGURAT_R = 3.6541528853610088  # where the tail starts (Marsaglia & Tsang 2000, p. 5, 256 layers)
ZIGGURAT_V = 4.92867323399e-3    # the area of each layer (ibid.)
_EDGE, _RATIO = _ziggurat_tables()
_LAYER = np.uint64(ZIGGURAT_LAYERS - 1)
_SUB = np.uint64(1 << 32)


@njit(cache=True)
def _bits(actor_key, stream, j):
    """The bits of the j-th uniform a normal of ``stream`` consumes: sub-stream ``stream + 2**32 (j + 1)``."""
    return chain(actor_key, np.uint64(stream) + _SUB * np.uint64(j + 1))


@njit(cache=True)
def _ziggurat(actor_key, stream):
    """A standard normal by the ziggurat (Marsaglia & Tsang 2000; the wedge test of Doornik 2005).

    The first uniform's low 8 bits choose the layer and its top 53 bits the signed abscissa;
    99% of draws end at the first comparison, with no transcendental function. The rare
    wedge and tail draws take further uniforms of the same normal's sub-streams, in order.
    """
    j = 0
    while True:
        bits = _bits(actor_key, stream, j)
        j += 1
        layer = bits & _LAYER
        u = 2.0 * float(bits >> _S11) * _INV53 - 1.0
        if abs(u) < _RATIO[layer]:
            return u * _EDGE[layer]
        if layer == 0:
            while True:  # the tail beyond r (Marsaglia 1964)
                x = math.log(_unit(_bits(actor_key, stream, j))) / ZIGGURAT_R
                y = math.log(_unit(_bits(actor_key, stream, j + 1)))
                j += 2
                if -2.0 * y >= x * x:
                    return x - ZIGGURAT_R if u < 0.0 else ZIGGURAT_R - x
        x = u * _EDGE[layer]
        f0 = math.exp(-0.5 * (_EDGE[layer] * _EDGE[layer] - x * x))
        f1 = math.exp(-0.5 * (_EDGE[layer + 1] * _EDGE[layer + 1] - x * x))
        if f1 + _unit(_bits(actor_key, stream, j)) * (f0 - f1) < 1.0:
            return x
        j += 1


@njit(cache=True)
def uniform(seed, replicate, step, actor, stream):
    """A double in (0, 1]: 53 random bits, never exactly zero (safe for log)."""
    return _unit(hash64(seed, replicate, step, actor, stream))


@njit(cache=True)
def normal(seed, replicate, step, actor, stream):
    """A standard normal by the ziggurat from the uniforms of sub-streams ``s + 2**32``, ``s + 2 * 2**32``, ...

    Streams are small integers (below 2**32), so the sub-streams never meet another stream's plain
    uniforms, nor another stream's sub-streams.
    """
    return _ziggurat(chain(chain(replicate_key(seed, replicate), step), actor), stream)


# The kernel hashes each prefix once: a step's key serves every draw of that step,
# an actor's key every uniform of its normal. Same bits as the functions above.

@njit(cache=True)
def uniform_at(step_key, actor, stream):
    """:func:`uniform` from the key ``chain(replicate_key(seed, replicate), step)``."""
    return _unit(chain(chain(step_key, actor), stream))


@njit(cache=True)
def normal_at(step_key, actor, stream):
    """:func:`normal` from the key ``chain(replicate_key(seed, replicate), step)``."""
    return _ziggurat(chain(step_key, actor), stream)

