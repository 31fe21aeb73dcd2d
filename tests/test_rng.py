"""The counter-based generator: determinism, independence of coordinates, distributions."""
import numpy as np
from numba import njit
from scipy import stats

from sim.engine import rng
from sim.engine.workspace import tanh


def test_hash_is_uint64_and_deterministic():
    h = rng.hash64(1, 2, 3, 4, 5)
    assert isinstance(h, (int, np.integer)) and not isinstance(h, float)
    assert h == rng.hash64(1, 2, 3, 4, 5)
    assert len({rng.hash64(1, 2, 3, 4, s) for s in range(100)}) == 100
    # each coordinate matters
    base = rng.hash64(1, 1, 1, 1, 1)
    for args in [(2, 1, 1, 1, 1), (1, 2, 1, 1, 1), (1, 1, 2, 1, 1), (1, 1, 1, 2, 1), (1, 1, 1, 1, 2)]:
        assert rng.hash64(*args) != base


def test_large_seeds_do_not_degrade_to_float():
    big = 2**63 - 1
    a, b = rng.hash64(big, 0, 0, 0, 0), rng.hash64(big - 1, 0, 0, 0, 0)
    assert a != b  # float64 promotion would collapse neighbouring large seeds


def test_uniform_is_uniform_on_open_unit_interval():
    u = np.array([rng.uniform(7, r, 3, 2, rng.DECISION) for r in range(20000)])
    assert u.min() > 0.0 and u.max() <= 1.0
    assert stats.kstest(u, "uniform").pvalue > 0.001


def test_normal_moments():
    z = np.array([rng.normal(11, r, 0, 5, rng.NOISE) for r in range(20000)])
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1.0) < 0.03
    assert stats.kstest(z, "norm").pvalue > 0.001


def test_normal_sub_streams_do_not_reuse_other_streams():
    """The uniforms behind a normal (sub-streams s + 2**32 (j + 1)) never equal a plain stream's uniform."""
    for stream in range(8):
        for other in range(8):
            plain = rng.uniform(3, 4, 5, 6, other)
            for j in range(4):
                assert plain != rng.uniform(3, 4, 5, 6, stream + (j + 1) * (1 << 32))


def test_prefix_keys_give_the_same_draws():
    """The kernel hashes (seed, replicate) and (.., step) once; the draws must not change."""
    for seed, rep, step, actor, stream in [(0, 0, 0, 0, 0), (2**63 - 1, 77, 51, 30, rng.COMMITMENT)]:
        key = np.uint64(rng.chain(np.uint64(rng.replicate_key(seed, rep)), step))
        assert rng.uniform_at(key, actor, stream) == rng.uniform(seed, rep, step, actor, stream)
        assert rng.normal_at(key, actor, stream) == rng.normal(seed, rep, step, actor, stream)


def test_ziggurat_layers_have_equal_area():
    """Every layer of the ziggurat (and the base strip with its tail) has area v; the top edge is 0."""
    edge, f = rng._EDGE, lambda x: np.exp(-0.5 * x * x)
    assert edge[1] == rng.ZIGGURAT_R and edge[-1] == 0.0 and np.all(np.diff(edge[1:]) < 0)
    areas = edge[1:-1] * (f(edge[2:]) - f(edge[1:-1]))
    assert np.allclose(areas, rng.ZIGGURAT_V, rtol=1e-9)
    tail = np.sqrt(np.pi / 2) * stats.norm.sf(rng.ZIGGURAT_R) * 2  # integral of f beyond r
    assert abs(edge[0] * f(rng.ZIGGURAT_R) - rng.ZIGGURAT_V) < 1e-15
    assert abs(rng.ZIGGURAT_R * f(rng.ZIGGURAT_R) + tail - rng.ZIGGURAT_V) < 1e-9


@njit
def _normals(n, seed):
    out = np.empty(n)
    key = rng.chain(rng.replicate_key(seed, 0), 0)
    for i in range(n):
        out[i] = rng.normal_at(key, i, rng.NOISE)
    return out


def test_normals_have_the_normal_distribution_into_the_tail():
    """2 million draws: moments, the KS test, and how often the rare wedge and tail paths land beyond r."""
    z = _normals(2_000_000, 5)
    assert abs(z.mean()) < 0.003 and abs(z.std() - 1.0) < 0.003
    assert abs(stats.skew(z)) < 0.01 and abs(stats.kurtosis(z)) < 0.02
    assert stats.kstest(z, "norm").pvalue > 0.001
    cells = np.histogram(z, bins=stats.norm.ppf(np.linspace(0.0, 1.0, 101)))[0]
    assert stats.chisquare(cells).pvalue > 0.001
    for c in (2.0, rng.ZIGGURAT_R, 4.0):  # the tail beyond r comes only from the slow path, on either side
        expected = stats.norm.sf(c) * len(z)
        for side in (z > c, z < -c):
            assert abs(side.sum() - expected) < 5 * np.sqrt(expected), c


def test_tanh_is_the_c_librarys_to_rounding():
    s = np.concatenate([np.linspace(-30.0, 30.0, 20001), np.logspace(-12, 1, 500), -np.logspace(-12, 1, 500), [0.0]])
    ours = np.array([tanh(float(v)) for v in s])
    assert np.max(np.abs(ours - np.tanh(s))) <= 4.5e-16
    assert tanh(0.0) == 0.0 and tanh(50.0) == 1.0 and tanh(-50.0) == -1.0
