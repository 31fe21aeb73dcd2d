"""The counter-based generator: determinism, independence of coordinates, distributions."""
import numpy as np
from scipy import stats

from sim.engine import rng


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
    """Box-Muller's two uniforms must not equal any plain stream's uniform at the same coordinates."""
    for stream in range(8):
        for other in range(8):
            plain = rng.uniform(3, 4, 5, 6, other)
            assert plain != rng.uniform(3, 4, 5, 6, stream + (1 << 32))
            assert plain != rng.uniform(3, 4, 5, 6, stream + (1 << 33))


def test_prefix_keys_give_the_same_draws():
    """The kernel hashes (seed, replicate) and (.., step) once; the draws must not change."""
    for seed, rep, step, actor, stream in [(0, 0, 0, 0, 0), (2**63 - 1, 77, 51, 30, rng.COMMITMENT)]:
        key = np.uint64(rng.chain(np.uint64(rng.replicate_key(seed, rep)), step))
        assert rng.uniform_at(key, actor, stream) == rng.uniform(seed, rep, step, actor, stream)
        assert rng.normal_at(key, actor, stream) == rng.normal(seed, rep, step, actor, stream)
        u1, u2 = rng.uniform_pair_at(key, actor, stream)
        assert rng.radius(u1) * rng.angle(u2) == rng.normal(seed, rep, step, actor, stream)
