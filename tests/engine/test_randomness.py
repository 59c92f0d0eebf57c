"""Counter-based random streams: pure functions of (key, turn, stream, column)."""

from __future__ import annotations

import numpy as np
import pytest

from game.engine.randomness import Stream, normals, random_bits, splitmix64, uniforms, world_keys


def keys(n: int, seed: int = 0) -> np.ndarray:
    return world_keys(np.random.default_rng(seed), n)


def test_splitmix64_matches_the_reference() -> None:
    # Reference outputs of SplitMix64 seeded with 0 (the state advances by the golden gamma).
    state = np.array([0], dtype=np.uint64)
    golden = np.uint64(0x9E3779B97F4A7C15)
    outputs = []
    for _ in range(3):
        outputs.append(int(splitmix64(state)[0]))
        state = state + golden
    assert outputs == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]


def test_a_worlds_numbers_do_not_depend_on_the_batch() -> None:
    batch = keys(50)
    together = uniforms(batch, 7, Stream.NOISE, np.arange(5))
    alone = uniforms(batch[13:14], 7, Stream.NOISE, np.arange(5))
    assert np.array_equal(together[:, 13:14], alone)
    assert np.array_equal(normals(batch, 3, Stream.NOISE, 9)[:, 13:14], normals(batch[13:14], 3, Stream.NOISE, 9))


def test_streams_turns_and_columns_differ() -> None:
    k = keys(4)
    base = random_bits(k, 1, Stream.NOISE, np.arange(3))
    assert not np.array_equal(base, random_bits(k, 2, Stream.NOISE, np.arange(3)))
    assert not np.array_equal(base, random_bits(k, 1, Stream.EVENT_CHANCE, np.arange(3)))
    assert len(np.unique(base)) == base.size


def test_uniforms_are_in_the_unit_interval_and_uniform() -> None:
    u = uniforms(keys(20_000), 0, Stream.EVENT_CHANCE, np.arange(4))
    assert u.min() >= 0 and u.max() < 1
    assert u.mean() == pytest.approx(0.5, abs=0.01)
    assert np.histogram(u, bins=10, range=(0, 1))[0].min() > 7_500


def test_normals_are_standard() -> None:
    z = normals(keys(50_000), 0, Stream.NOISE, 5)
    assert z.shape == (5, 50_000)
    assert np.all(np.isfinite(z))
    assert z.mean(axis=1) == pytest.approx(np.zeros(5), abs=0.02)
    assert z.std(axis=1) == pytest.approx(np.ones(5), abs=0.02)
    assert abs(np.corrcoef(z[0], z[1])[0, 1]) < 0.02  # the two halves of a Box–Muller pair
    assert np.mean(np.abs(z) > 1.96) == pytest.approx(0.05, abs=0.005)


def test_world_keys_come_from_the_generator() -> None:
    assert np.array_equal(keys(5, seed=3), keys(5, seed=3))
    assert not np.array_equal(keys(5, seed=3), keys(5, seed=4))
    assert keys(5).dtype == np.uint64
