"""The compiled phase-4 loop itself (numba; imported only through `phase4_kernel`, which explains the rules).

Module-level functions, so that numba can cache their machine code on disk (`cache=True`): nested or
closure functions cannot be cached.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(cache=True, boundscheck=False, nogil=True)

# randomness.py's constants, as numba sees them (uint64 throughout: mixing in a signed int gives a float).
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_ONE = np.uint64(1)
_TWO = np.uint64(2)
_LOW31 = np.uint64(0x7FFFFFFF)
_S11, _S27, _S30, _S31, _S32 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31), np.uint64(32)
_TWO_POW_M32 = 2.0**-32
_HALF_ANGLE_STEP = np.pi * 2.0**-31 * 0.5  # evaluated as randomness.normals evaluates it
_QUARTER_PI = np.pi / 4
_SINE_COEFFICIENTS = (-1.0 / 39916800.0, 1.0 / 362880.0, -1.0 / 5040.0, 1.0 / 120.0, -1.0 / 6.0)
_SINE_TOP = 1.0 / 6227020800.0


@_jit
def _shaped(x: float, code: int) -> float:
    """Influence shape `code` (`compiled.SHAPES`) of x = reading − pivot, as `turn.influence_contributions`."""
    if code == 1:  # sqrt: sign(x)·√|x|
        return float(np.copysign(np.sqrt(np.abs(x)), x))
    if code == 2:  # square: sign(x)·x²
        return float(x * np.abs(x))
    if code == 3:  # threshold: 1 when x > 0
        return 1.0 if x > 0 else 0.0
    if code == 4:  # numpy's sign: +0 for ±0, NaN for NaN (numba's own np.sign keeps −0)
        if x > 0:
            return 1.0
        if x < 0:
            return -1.0
        return x if x != x else 0.0
    return x


@_jit
def move_compiled(rows: np.ndarray, history: np.ndarray, t: int, history_variables: np.ndarray,
                  source: np.ndarray, target: np.ndarray, weight: np.ndarray, pivot: np.ndarray,
                  code: np.ndarray, lag: np.ndarray, inertia: np.ndarray, history_column: np.ndarray,
                  old: np.ndarray, reading: np.ndarray, drift_variables: np.ndarray, baseline: np.ndarray,
                  drift: np.ndarray, noise_variables: np.ndarray, noise: np.ndarray, noise_column: np.ndarray,
                  lever_variables: np.ndarray, lever_move: np.ndarray) -> None:
    """Phase 4 on `rows` [V, B] in place; `history` [D, S, B] gets this turn's readings. `old` [V, B] is a
    work array for the values before phase 4 (every force reads them) and `reading` [B] one for a lagged
    source's reading. Noise of world w is column `noise_column[w]` of `noise` [N, K].

    Each influence is added to its target as soon as it is computed, in table order: the same sums, in the
    same order, as computing them all and then adding them, because every reading comes from `old`.
    """
    n = rows.shape[1]
    depth = history.shape[0]
    for v in range(rows.shape[0]):
        for w in range(n):
            old[v, w] = rows[v, w]
    if depth:
        now = t % depth
        for s in range(history_variables.shape[0]):
            v = history_variables[s]
            for w in range(n):
                history[now, s, w] = old[v, w]
    for i in range(source.shape[0]):
        k, p, wt, lg, ine, v = code[i], pivot[i], weight[i], lag[i], inertia[i], target[i]
        if lg == 0 and ine == 1:
            src = source[i]
            if k == 0:
                for w in range(n):
                    rows[v, w] += (old[src, w] - p) * wt
            else:
                for w in range(n):
                    rows[v, w] += _shaped(old[src, w] - p, k) * wt
        else:
            c = history_column[i]
            first = (t - lg) % depth  # Python's modulo: non-negative before the first turns
            if ine == 1:
                for w in range(n):
                    rows[v, w] += _shaped(history[first, c, w] - p, k) * wt
            else:
                for w in range(n):
                    reading[w] = history[first, c, w]
                for back in range(lg + 1, lg + ine):
                    slot = (t - back) % depth
                    for w in range(n):
                        reading[w] += history[slot, c, w]
                d = float(ine)
                for w in range(n):
                    rows[v, w] += _shaped(reading[w] / d - p, k) * wt
    # Then drift, noise and the levers, as `_move_block` adds them.
    for j in range(drift_variables.shape[0]):
        v = drift_variables[j]
        base, f = baseline[v], drift[v]
        for w in range(n):
            rows[v, w] += (base - old[v, w]) * f
    for j in range(noise_variables.shape[0]):
        v = noise_variables[j]
        for w in range(n):
            rows[v, w] += noise[j, noise_column[w]]
    for j in range(lever_variables.shape[0]):
        v = lever_variables[j]
        for w in range(n):
            rows[v, w] += lever_move[j, w]


@_jit
def normals_before_log(base: np.ndarray, pairs: int, bits: np.ndarray, u1: np.ndarray) -> None:
    """First half of `randomness.normals` for stream bases `base` [B]: the [pairs, B] hashes into `bits`,
    the radius uniforms into `u1`. The logarithm is numpy's (`np.log` in place), between the two halves:
    numpy's and the C library's logarithms may differ in the last bit, and the numbers must be numpy's."""
    n = base.shape[0]
    for k in range(pairs):
        offset = (np.uint64(k) + _TWO) * _GOLDEN
        for w in range(n):
            z = offset + base[w]
            z ^= z >> _S30
            z *= _MIX1
            z ^= z >> _S27
            z *= _MIX2
            z ^= z >> _S31
            bits[k, w] = z
            u = float(z >> _S32)
            u += 0.5
            u1[k, w] = u * _TWO_POW_M32


@_jit
def normals_after_log(bits: np.ndarray, log_u1: np.ndarray, out: np.ndarray) -> None:
    """Second half of `randomness.normals`: rows k (cosine) and pairs + k (sine) of `out` [2·pairs, B]."""
    pairs, n = bits.shape
    for k in range(pairs):
        for w in range(n):
            z = bits[k, w]
            radius = np.sqrt(log_u1[k, w] * -2.0)
            flip = float(z & _ONE)
            flip *= -2.0
            flip += 1.0
            radius *= flip
            half = float((z >> _ONE) & _LOW31)
            half *= _HALF_ANGLE_STEP
            half -= _QUARTER_PI
            x2 = half * half
            sine = x2 * _SINE_TOP
            for coefficient in _SINE_COEFFICIENTS:
                sine += coefficient
                sine *= x2
            sine += 1.0
            sine *= half
            cosine = sine * sine
            sin_full = np.sqrt(1.0 - cosine)
            sin_full *= sine
            sin_full *= 2.0
            cosine *= -2.0
            cosine += 1.0
            out[k, w] = cosine * radius
            out[pairs + k, w] = sin_full * radius
