"""Sleef's double functions (shim/_cpu/sleef_double.py): the cheap exact multiply-adds against the general
fused multiply-add and exact rationals, Estrin's scheme against Sleef's POLY macros written out, and
digests of torch 2.13's results for the double kernels that call them."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import shim as torch
from shim._cpu.capability import capability
from shim._cpu.fma import fma64
from shim._cpu.sleef_double import (
    _Dekker,
    _Estrin,
    _Exact,
    _Operand,
    atan2d,
    atanhd,
    coshd,
    erfd,
    exp2d,
    expd,
    expm1d,
    hypotd,
    lgammad,
    log1pd,
    logd,
    powd,
    sinhd,
    tanhd,
)


def _random_doubles(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    every_bit_pattern = rng.integers(0, 1 << 63, n, dtype=np.int64).view(np.float64)
    every_bit_pattern[::2] = -every_bit_pattern[::2]  # (negation: a NaN pattern stays quiet)
    ordinary = rng.uniform(-1, 1, n) * 2.0 ** rng.integers(-40, 11, n)
    near_multiples_of_ln2 = np.round(rng.uniform(-1000, 1000, n)) * np.log(2) * (1 + rng.uniform(-1e-15, 1e-15, n))
    specials = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2250738585072014e-308, 709.78, 709.79]
    return np.concatenate([every_bit_pattern, ordinary, near_multiples_of_ln2, specials, [-745.1, -1000.0, -1000.1]])


_FUNCTIONS = {"exp": expd, "exp2": exp2d, "log": logd, "log1p": log1pd, "expm1": expm1d, "sinh": sinhd}
_FUNCTIONS |= {"cosh": coshd, "tanh": tanhd, "atanh": atanhd, "erf": erfd, "lgamma": lgammad}


@pytest.mark.parametrize("name", sorted(_FUNCTIONS))
def test_the_cheap_steps_give_the_general_fmas_bits(name):
    """The Dekker multiply-adds and the cheap general fma (with their doubtful elements redone) equal the same
    steps through fma64 on every element: a condition of the cheap forms that failed would show here."""
    fn = _FUNCTIONS[name]
    x = _random_doubles(30_000, 20261207)
    if name == "log":
        x = np.abs(x)
    elif name == "log1p":
        x[x < -1] = -1 / x[x < -1]  # (into (-1, 0): its main path)
    elif name == "atanh":
        x[np.abs(x) > 1] = 1 / x[np.abs(x) > 1]
    assert np.array_equal(fn(x).view(np.int64), fn.exact(x).view(np.int64))


def test_pow_cheap_steps_give_the_general_fmas_bits():
    """powd's cheap steps (with its doubtful elements redone) against the same steps through fma64, over
    random bases and exponents and every pair of special values."""
    from shim._cpu.sleef_double import _steps_of_pow

    rng = np.random.default_rng(3)
    x = np.abs(rng.normal(0, 3, 20_000)) * np.where(rng.random(20_000) < 0.2, -1, 1)
    y = np.where(rng.random(20_000) < 0.2, np.round(rng.normal(0, 4, 20_000)), rng.normal(0, 3, 20_000))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, 2.0, -2.0, 3.0, 1e-300, 1e300, 2.5])
    x = np.concatenate([x, np.repeat(special, special.size)])
    y = np.concatenate([y, np.tile(special, special.size)])
    with np.errstate(all="ignore"):
        exact = _steps_of_pow(x, y, _Exact())
    assert np.array_equal(powd(x, y), exact, equal_nan=True)


def test_atan2_and_hypot_cheap_steps_give_the_general_fmas_bits():
    """atan2d's and hypotd's cheap steps against the same steps through fma64, over random pairs of every magnitude and
    every pair of special values."""
    from shim._cpu.sleef_double import _steps_of_atan2, _steps_of_hypot

    rng = np.random.default_rng(4)
    y = rng.normal(0, 3, 20_000) * 10.0 ** rng.integers(-300, 300, 20_000)
    x = rng.normal(0, 3, 20_000) * 10.0 ** rng.integers(-300, 300, 20_000)
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-310, -5e-324, 1e308])
    y = np.concatenate([y, np.repeat(special, special.size)])
    x = np.concatenate([x, np.tile(special, special.size)])
    with np.errstate(all="ignore"):
        exact = _steps_of_atan2(y, x, _Exact())
        exact_hypot = _steps_of_hypot(y, x, _Exact())
    assert np.array_equal(atan2d(y, x), exact, equal_nan=True)
    assert np.array_equal(hypotd(y, x), exact_hypot, equal_nan=True)


def _rounded(exact: Fraction) -> float:
    return float(exact)  # (Fraction -> float rounds to nearest, ties to even)


def test_mla_is_the_correctly_rounded_sum_where_it_does_not_doubt():
    """a * b + c for addends that outweigh the product, against exact rationals; the elements it doubts are
    the ones whose error terms sum to near a power of two (here made on purpose: ties)."""
    rng = np.random.default_rng(5)
    a = rng.uniform(-0.35, 0.35, 4000)
    b = rng.uniform(-1, 1, 4000) * 2.0 ** rng.integers(-30, 0, 4000)
    c = np.sign(rng.uniform(-1, 1, 4000)) * rng.uniform(1, 2, 4000)
    # ties: c = 1, a b = 2**-53 exactly (c + ab halfway between 1 and the next double)
    a[:10], b[:10], c[:10] = 2.0**-53, 1.0, 1.0
    arithmetic = _Dekker(a.shape)
    result = arithmetic.mla(_Operand(a), _Operand(b), c)
    want = np.array([_rounded(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)])
    sure = ~arithmetic.doubt
    assert arithmetic.doubt[:10].all() and sure.sum() > 3900
    assert np.array_equal(result[sure], want[sure])
    assert np.array_equal(_Exact().mla(_Operand(a), _Operand(b), c), want)


def _poly4(x, x2, c3, c2, c1, c0):
    return fma64(x2, fma64(x, c3, c2), fma64(x, c1, c0))


def test_estrin_is_sleefs_poly_macros():
    """POLY10 (x**8 POLY2 + POLY8) and POLY7 (x**4 POLY3 + POLY4, POLY3 = x**2 c6 + POLY2) as estrin.h
    writes them, each MLA one fused multiply-add."""
    x = np.random.default_rng(3).uniform(-0.4, 0.4, 3000)
    x2, x4 = x * x, x * x * x * x
    x8 = x4 * x4
    c = [float(v) for v in np.random.default_rng(4).uniform(0.1, 1, 10) * 10.0 ** -np.arange(10)[::-1]]
    poly8 = fma64(x4, _poly4(x, x2, *c[2:6]), _poly4(x, x2, *c[6:10]))
    want10 = fma64(x8, fma64(x, c[0], c[1]), poly8)
    powers = [_Operand(x2), _Operand(x4), _Operand(x8)]
    assert np.array_equal(_Estrin(*c)(_Exact(), _Operand(x), powers), want10)
    c7 = c[3:]
    poly3 = fma64(x2, c7[0], fma64(x, c7[1], c7[2]))
    want7 = fma64(x4, poly3, _poly4(x, x2, *c7[3:]))
    assert np.array_equal(_Estrin(*c7)(_Exact(), _Operand(x), powers), want7)


def test_special_values():
    """Sleef's rules: exp is inf above 709.78..., +0 below -1000, 1 at +-0, NaN for NaN; log -inf at +-0,
    NaN below zero, inf at inf."""
    e = expd(np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 709.79, -1000.1, 1.0]))
    assert e[:2].tolist() == [1.0, 1.0] and e[2] == np.inf and e[3] == 0 and np.isnan(e[4])
    assert e[5] == np.inf and e[6] == 0 and e[7] == np.exp(1.0)
    v = logd(np.array([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1.0]))
    assert v[0] == v[1] == -np.inf and np.isnan(v[2]) and v[3] == np.inf and np.isnan(v[4]) and np.isnan(v[5])
    assert v[6] == 0


# digests of torch 2.13's results (AVX512 kernels: 8 double lanes) for default_rng(20261207).normal(0, 6, 999)
_TORCH_DIGESTS = {
    "sigmoid": (lambda t: torch.sigmoid(t), "a48bb63540eb6dd8"),
    "silu's gradient": (lambda t: torch.autograd.grad(torch.nn.functional.silu(t).sum(), t)[0], "f2662423b25b6207"),
    "softmax": (lambda t: t[:990].reshape(99, 10).softmax(1), "c655ef91d6136980"),
    "log_softmax along dim 0": (lambda t: t[:990].reshape(30, 33).log_softmax(0), "260b7a892c0cc51a"),
    "cross_entropy's gradient": (
        lambda t: torch.autograd.grad(
            torch.nn.functional.cross_entropy(t[:990].reshape(99, 10), torch.arange(99) % 10), t
        )[0],
        "5ed752598331af36",
    ),
    "elu's gradient": (lambda t: torch.autograd.grad(torch.nn.functional.elu(t).sum(), t)[0], "1141b8f070810dcb"),
    "log1p": (lambda t: torch.log1p(t.abs()), "192b0699eececf8f"),
    "softplus": (lambda t: torch.nn.functional.softplus(t), "5fa0874d56ae7388"),
    "mish's gradient": (lambda t: torch.autograd.grad(torch.nn.functional.mish(t).sum(), t)[0], "0562dae255cfd0dd"),
    "gelu's tanh form's gradient": (
        lambda t: torch.autograd.grad(torch.nn.functional.gelu(t, approximate="tanh").sum(), t)[0],
        "41b413b587af5ec0",
    ),
    "sinh": (lambda t: torch.sinh(t * 20), "69c3d783b943b5c3"),
    "expm1": (lambda t: torch.expm1(t), "b7170921095d531e"),
    "exp2": (lambda t: torch.exp2(t * 20), "663286c34a24c97a"),
    "logaddexp": (lambda t: torch.logaddexp(t, t.flip(0)), "487c96612d5046af"),
    "pow": (lambda t: torch.pow(t.abs(), t.flip(0) / 4), "b0ee727f22646cb2"),
    "pow's gradient": (lambda t: torch.autograd.grad((t.abs() ** 2.7).sum(), t)[0], "2190e7896ecec089"),
    "gelu's gradient": (lambda t: torch.autograd.grad(torch.nn.functional.gelu(t).sum(), t)[0], "4f62d158004a274f"),
    "atanh": (lambda t: torch.atanh(t / 20), "2b2a5d2807e6eec4"),
}


@pytest.mark.skipif(capability() != "AVX512", reason="the digests are of torch's AVX512 kernels (8 double lanes)")
@pytest.mark.parametrize("name", sorted(_TORCH_DIGESTS))
def test_double_kernels_equal_torchs(name, digest):
    fn, expected = _TORCH_DIGESTS[name]
    x = torch.tensor(np.random.default_rng(20261207).normal(0, 6, 999), requires_grad=True)
    assert digest(fn(x).detach().numpy()) == expected
