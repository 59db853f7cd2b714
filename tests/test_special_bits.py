"""Special functions' float math as torch computes it where the shim once computed otherwise (half kernels
that are not their float kernel rounded once; Cephes in the input's precision): digests (sha256, first 16
hex digits, NaNs as one pattern) of torch 2.13's results, over every half where the input is half
(measured on an AMD EPYC, Zen 4)."""

from __future__ import annotations

import numpy as np
import pytest

import shim

EVERY_HALF_TWICE = np.repeat(np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16), 2)


@pytest.mark.parametrize(
    ("op", "contiguous", "strided"),
    [
        # Vectorized<float>::erf (Abramowitz and Stegun) in every element, rounded to half: near zero it is
        # a multiple of float's ulp at 1, not 1.128 x
        (shim.erf, "868c7070831e50d9", "263171cfaf949255"),
        # -x log(x) with the log rounded to half first
        (shim.special.entr, "80a54287ce3b1781", "68d76b75591b8c34"),
    ],
)
def test_every_half_as_torch(op, contiguous, strided, digest):
    t = shim.tensor(EVERY_HALF_TWICE)
    with np.errstate(all="ignore"):
        assert (digest(op(t).numpy()), digest(op(t[::2]).numpy())) == (contiguous, strided)


def test_half_i0e_computes_in_half_in_its_scalar_loop_only(digest):
    """special.i0e of half: the vector loop (32-byte vectors: 16 halves, two at a time) is the float kernel
    rounded once; the scalar loop, strided elements and a contiguous tail (here 25), is Cephes' Chebyshev
    sum in half arithmetic with the large-x quotient by sqrt in float."""
    t = shim.tensor(EVERY_HALF_TWICE[:-7])
    with np.errstate(all="ignore"):
        got = digest(shim.special.i0e(t).numpy()), digest(shim.special.i0e(t[::2]).numpy())
    assert got == ("d2117b49e8e0577f", "d4b9fa455288f6d7")


def test_half_atan2_takes_sleef_in_its_vector_loop():
    """Near +-pi/2 Sleef's atan2f and glibc's round to neighbouring halves: torch 2.13 gives 0x3e49 (1.5713)
    for these pairs in its vector loop (64 copies each, contiguous) and 0x3e48 in its scalar loop."""
    y = np.repeat(np.array([0x4967, 0x7536, 0xED2E, 0x661A], np.uint16).view(np.float16), 64)
    x = np.repeat(np.array([0x8333, 0xAE2C, 0xA62C, 0x9F39], np.uint16).view(np.float16), 64)
    vector = shim.atan2(shim.tensor(y), shim.tensor(x)).numpy()[::64].view(np.uint16)
    scalar = shim.atan2(shim.tensor(np.repeat(y, 2))[::2], shim.tensor(np.repeat(x, 2))[::2]).numpy()[::64]
    assert vector.tolist() == [0x3E49, 0x3E49, 0xBE49, 0x3E49]
    assert scalar.view(np.uint16).tolist() == [0x3E48, 0x3E48, 0xBE48, 0x3E48]


@pytest.mark.parametrize(("dtype", "expected"), [(np.float32, "01047e349e7c73ba"), (np.float64, "29755c3298aee752")])
def test_ndtri_is_cephes_in_the_inputs_precision(dtype, expected, digest):
    """special.ndtri as torch's calc_ndtri computes it (polevl's steps and the middle range's y + y (...)
    fused, ::log and ::sqrt the C library's double functions even for float): a digest of torch 2.13's
    results over 24,003 values from 0 to 1, tiny and near 1."""
    x = np.concatenate([np.linspace(0, 1, 20001), np.logspace(-40, -1, 2001), 1 - np.logspace(-16, -1, 2001)])
    with np.errstate(all="ignore"):
        assert digest(shim.special.ndtri(shim.tensor(x.astype(dtype))).numpy()) == expected


@pytest.mark.parametrize(("dtype", "expected"), [(np.float32, "88e64975990ac1a6"), (np.float64, "df48344da0b7f726")])
def test_log_ndtr_from_minus_one_up_is_log1p_of_erfc(dtype, expected, digest):
    """special.log_ndtr from x = -1 up: log1p(-erfc(x M_SQRT1_2) / 2) in the input's precision with the C
    library's erfc and log1p, as torch's calc_log_ndtr: a digest of torch 2.13's results over 40,001 values
    in [-1, 12] (below -1 torch reads Faddeeva's erfcx tables, which the shim does not)."""
    x = np.linspace(-1, 12, 40001).astype(dtype)
    assert digest(shim.special.log_ndtr(shim.tensor(x)).numpy()) == expected
