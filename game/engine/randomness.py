"""Counter-based random streams: every random number is a pure function of (world key, turn, stream, column).

A game owns one seeded `numpy.random.Generator`; it is used once, to give each world a 64-bit key
(`world_keys`). After that no generator state is carried anywhere: the number a world needs for,
say, a chance roll of event 17 in turn 5 is (column = 17)

    h = splitmix64(stream_base(key, turn, stream) + (column + 1) * GOLDEN)

i.e. element `column` of the SplitMix64 sequence seeded by a hash of (key, turn, stream). Because no
number depends on the other worlds of the batch, a world gives the same results alone or in a
batch of 10,000 (batch independence), and the same seed and commands give the same numbers bit
for bit (determinism). Streams are numbered by purpose (`Stream`), so numbers drawn for different
purposes never coincide; the column is an event or decision index, or for noise a pair of noisy
variables (Box–Muller gives two normals per hash).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

import numpy as np

from game.engine.phase4_kernel import loops_for

_GOLDEN_INT = 0x9E3779B97F4A7C15
GOLDEN = np.uint64(_GOLDEN_INT)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_STREAM_SALT_INT = 0xD6E8FEB86659FD93
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S32 = np.uint64(32)
_S11 = np.uint64(11)
_LOW31 = np.uint64(0x7FFFFFFF)
_ONE = np.uint64(1)
_TWO_POW_M53 = 2.0**-53
_TWO_POW_M32 = 2.0**-32
_TWO_POW_M31 = 2.0**-31


class Stream(IntEnum):
    """What a random number is for; each purpose has its own stream so they never share numbers."""

    NOISE = 1  # per-turn shocks, column = a pair of variables with noise
    EVENT_CHANCE = 2  # an event's chance roll, column = event index
    DECISION = 3  # an AI policy's draw, column = decision index (events, then obligations)


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser on a uint64 array (wraps modulo 2**64, as intended)."""
    return _splitmix64_in_place(np.asarray(x + GOLDEN, dtype=np.uint64))


def _splitmix64_in_place(z: np.ndarray) -> np.ndarray:
    """SplitMix64 of `z - GOLDEN`, computed in `z` itself (which it returns).

    In place with one work array, because a fresh temporary per operation costs more than the
    arithmetic for large arrays (the memory is returned to the system and faulted back in).
    """
    shifted = z >> _S30
    z ^= shifted
    z *= _MIX1
    np.right_shift(z, _S27, out=shifted)
    z ^= shifted
    z *= _MIX2
    np.right_shift(z, _S31, out=shifted)
    z ^= shifted
    return z


def stream_base(keys: np.ndarray, turn: int, stream: Stream) -> np.ndarray:
    """[B] uint64: the seed of one world's stream for one purpose in one turn."""
    # Python ints here: numpy warns on uint64 *scalar* overflow, and the wrap-around is the point.
    counter = np.uint64((((turn << 8) | int(stream)) * _STREAM_SALT_INT) & 0xFFFFFFFFFFFFFFFF)
    return splitmix64(splitmix64(keys ^ counter))


def random_bits(keys: np.ndarray, turn: int, stream: Stream, columns: np.ndarray) -> np.ndarray:
    """[C, B] uint64 hashes for the given columns (ints ≥ 0) of one stream in one turn.

    Column-major ([C, B]) because the engine works on one row per variable for all worlds.
    """
    base = stream_base(keys, turn, stream)
    # (column + 2) · GOLDEN = (column + 1) · GOLDEN + the GOLDEN that splitmix64 adds first (mod 2**64).
    offsets = (columns.astype(np.uint64) + np.uint64(2)) * GOLDEN
    return _splitmix64_in_place(offsets[:, None] + base[None, :])


def uniforms_at(base: np.ndarray, column: int) -> np.ndarray:
    """[B] uniforms of one column, from stream bases already computed with `stream_base` (a fast
    path when many columns of the same stream are drawn for different subsets of worlds)."""
    offset = np.uint64(((column + 2) * _GOLDEN_INT) & 0xFFFFFFFFFFFFFFFF)  # + GOLDEN: see random_bits
    bits = _splitmix64_in_place(base + offset)
    bits >>= _S11
    result = bits.astype(np.float64)
    result *= _TWO_POW_M53
    return result


def uniforms_at_columns(base: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """[P] uniforms, element p of column `columns[p]` from stream base `base[p]`: the numbers of
    `uniforms_at` (and of `uniforms`) for many (world, column) pairs in one pass."""
    offsets = (columns.astype(np.uint64) + np.uint64(2)) * GOLDEN  # + GOLDEN: see random_bits
    offsets += base
    bits = _splitmix64_in_place(offsets)
    bits >>= _S11
    result = bits.astype(np.float64)
    result *= _TWO_POW_M53
    return result


def uniforms(keys: np.ndarray, turn: int, stream: Stream, columns: np.ndarray) -> np.ndarray:
    """[C, B] float64 uniforms in [0, 1), 53 bits each."""
    bits = random_bits(keys, turn, stream, columns)
    bits >>= _S11
    result = bits.astype(np.float64)
    result *= _TWO_POW_M53
    return result


Scratch = Callable[[str, tuple[int, ...]], np.ndarray]
"""`WorldState.scratch`: a reusable float64 work array by name and shape (contents undefined)."""


def normals(keys: np.ndarray, turn: int, stream: Stream, count: int, scratch: Scratch | None = None) -> np.ndarray:
    """[count, B] standard normals by Box–Muller: with P = ceil(count / 2) pairs, row k < P is the
    cosine half and row P + k the sine half of the pair drawn from column k's 64-bit hash.

    The hash gives 32 bits for the radius, 31 bits for an angle in [-π/2, π/2) and one sign bit
    that flips the pair to the other half circle, so the angle is uniform over the full circle.
    Cosine and sine come from a short polynomial (error below 1e-13) instead of numpy's trig
    functions, which are several times slower here and may differ between CPUs; 32-bit radius
    uniforms cut the tails at about 6.7 standard deviations, harmless for game shocks.

    With `scratch` the result may be a reused work array (valid until the next call with the same scratch).
    """
    pairs = (count + 1) // 2
    loops = loops_for(keys.shape[0])
    if loops is not None:  # the same numbers from compiled loops (phase4_kernel)
        # Fresh big arrays cost page faults (as much as the work here): reuse the caller's when given.
        make = scratch or (lambda _name, shape: np.empty(shape))
        n = keys.shape[0]
        bits = make("normals.bits", (pairs, n)).view(np.uint64)
        u1 = make("normals.u1", (pairs, n))
        loops.normals_before_log(stream_base(keys, turn, stream), pairs, bits, u1)
        np.log(u1, out=u1)
        out = make("normals.out", (2 * pairs, n))
        loops.normals_after_log(bits, u1, out)
        return out[:count]
    bits = random_bits(keys, turn, stream, np.arange(pairs))
    # Every step in place (same operations in the same order): fresh temporaries cost page faults.
    work = bits >> _S32
    u1 = work.astype(np.float64)
    u1 += 0.5
    u1 *= _TWO_POW_M32  # in (0, 1): the log is finite
    radius = np.log(u1, out=u1)
    radius *= -2.0
    np.sqrt(radius, out=radius)
    np.bitwise_and(bits, _ONE, out=work)
    flip = work.astype(np.float64)
    flip *= -2.0
    flip += 1.0  # +1 or -1
    radius *= flip
    np.right_shift(bits, _ONE, out=work)
    work &= _LOW31
    half = work.astype(np.float64)
    half *= np.pi * _TWO_POW_M31 * 0.5
    half -= np.pi / 4  # half the angle, in [-π/4, π/4)
    sin_half = _sin_small(half)
    out = np.empty((2 * pairs, keys.shape[0]))
    cos_full = out[:pairs]
    np.multiply(sin_half, sin_half, out=cos_full)
    sin_full = out[pairs:]
    np.subtract(1.0, cos_full, out=sin_full)
    np.sqrt(sin_full, out=sin_full)  # cos(half) > 0.7 here, so this root is well conditioned
    sin_full *= sin_half
    sin_full *= 2.0  # sin(angle) = 2 sin(half) cos(half)
    cos_full *= -2.0
    cos_full += 1.0  # cos(angle) = 1 - 2 sin²(half)
    cos_full *= radius
    sin_full *= radius
    return out[:count]


def _sin_small(x: np.ndarray) -> np.ndarray:
    """sin(x) for |x| <= π/4 by its Taylor series to x^13 (truncation error below 1e-13)."""
    x2 = x * x
    result: np.ndarray = np.multiply(x2, 1.0 / 6227020800.0)
    for coefficient in (-1.0 / 39916800.0, 1.0 / 362880.0, -1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0):
        result += coefficient
        result *= x2
    result += 1.0
    result *= x
    return result


def world_keys(rng: np.random.Generator, n: int) -> np.ndarray:
    """[n] uint64 world keys drawn from the game's seeded Generator (the only use of its state)."""
    return rng.integers(0, np.iinfo(np.uint64).max, size=n, dtype=np.uint64, endpoint=True)
