"""Standard normals for the actors a phase draws for, batched so each libm function runs in a tight loop."""
import numpy as np
from numba import njit

from . import rng
from .layout import ANGLE_BUCKETS, BUCKET, BY_ANGLE, DRAWN, U1, U2
from .workspace import INLINE


@njit(**INLINE)
def normals(ws, step_key, count, stream):
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
