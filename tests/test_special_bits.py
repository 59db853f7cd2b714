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


def test_float_i1_and_i1e_fuse_the_unrolled_chebyshev_sums_first_step(digest):
    """float's i1 and i1e sum 17- and 7-term Chebyshev series, which GCC unrolls: the first step, y c0 - 0 +
    c1, becomes one fused multiply-add (the other steps, y q - p + c, fuse y q - p as elsewhere).  torch
    2.13's values where the unfused first step gave another float; and digests over 100,001 values in
    [-10, 10] and 65,536 bit patterns of every binade."""
    x = shim.tensor([-0.2322336733341217, -0.08880157023668289, 6.359957695007324, -6.921444416046143])
    assert shim.special.i1(x).tolist() == [
        -0.11690139770507812, -0.04444456472992897, 85.76248931884766, -144.9626922607422,
    ]  # fmt: skip
    assert shim.special.i1e(x).tolist() == [
        -0.0926748514175415, -0.040667980909347534, 0.14832104742527008, -0.1429917961359024,
    ]  # fmt: skip
    patterns = np.arange(0, 2**32, 65537, dtype=np.uint64).astype(np.uint32).view(np.float32)
    x = shim.tensor(np.concatenate([np.linspace(-10, 10, 100001).astype(np.float32), patterns]))
    with np.errstate(all="ignore"):
        assert digest(shim.special.i1(x).numpy()) == "f2309385097a8c5b"
        assert digest(shim.special.i1e(x).numpy()) == "0f957b589fb66aa2"


@pytest.mark.parametrize(
    ("name", "single", "double"),
    [
        ("bessel_j0", "5108a7052ec14f56", "e705bb3589e3bcf8"),
        ("bessel_j1", "21c896d96febe780", "2e841133823ee25a"),
        ("bessel_y0", "9f5e629a4dec73cd", "7a916747d1f89636"),
        ("bessel_y1", "9ce3d5bbaf1145b3", "31bad6bb0f3b9228"),
        ("modified_bessel_i0", "be8734df8258fd68", "8d45afaffbe786dc"),
        ("modified_bessel_i1", "31f266d69c210aef", "0b9409850051300d"),
        ("modified_bessel_k0", "aa082d34831cb6ee", "1c5b0f0a944bf6b3"),
        ("modified_bessel_k1", "925ef344f3d95826", "dd8011f200a1da14"),
        ("scaled_modified_bessel_k0", "e878278d621a7069", "049bdffa9538b411"),
        ("scaled_modified_bessel_k1", "aaf3d912031c4ced", "38e9cdb5db69e760"),
        ("spherical_bessel_j0", "0b6ff6e100530d1b", "7d35289dc43f9d5a"),
        ("airy_ai", "c5b0cb890799b36d", "1796817196f024c8"),
    ],
)
def test_bessel_and_airy_functions_fuse_as_gcc_contracts_them(name, single, double, digest):
    """Math.h's Bessel and Airy functions in the input's precision, each a*b + c that GCC contracts fused: x*x - 2
    of K's series, the first product of each sum (P cos - 5/x Q sin, yp/yq + 2/pi log(x) j0, Ai's series' last
    step and its left form), spherical j0's nested series; K's far form exp(-x) times the sum, then over
    sqrt(x); J1's and Y1's 25 / x**2 written (5/x)(5/x).  Digests of torch 2.13's results over 65,001 values
    from -200 to 700, in float and double."""
    x = np.concatenate([np.linspace(-12, 12, 40001), np.linspace(-200, 200, 20001), np.geomspace(1e-6, 700, 5000)])
    fn = getattr(shim.special, name)
    with np.errstate(all="ignore"):
        assert digest(fn(shim.tensor(x.astype(np.float32))).numpy()) == single
        assert digest(fn(shim.tensor(x)).numpy()) == double


@pytest.mark.parametrize(
    ("dtype", "trigamma", "polygamma3", "zeta"),
    [
        (np.float32, "23d6fc1380c57168", "14703d20eb5fa42c", "5e0e041988de6e67"),
        (np.float64, "8e56618767a2ba66", "e881cf946eff6767", "ccf4053e356c0c91"),
    ],
)
def test_trigamma_and_zeta_as_torch_compiles_them(dtype, trigamma, polygamma3, zeta, digest):
    """calc_trigamma in the input's precision with glibc's sin and its series' steps fused; zeta (and so
    polygamma from n = 2) in double with glibc's pow, its first term powf for float.  Digests of torch 2.13's
    results over 10,002 values from -10 to 10,000 and 10,002 pairs (s in [1.01, 40], q in [0.01, 100])."""
    x = shim.tensor(np.concatenate([np.linspace(-10, 30, 8001), np.geomspace(1e-4, 1e4, 2001)]).astype(dtype))
    s = shim.tensor(np.linspace(1.01, 40, 10002).astype(dtype))
    q = shim.tensor(np.geomspace(0.01, 100, 10002).astype(dtype))
    with np.errstate(all="ignore"):
        assert digest(shim.polygamma(1, x).numpy()) == trigamma
        assert digest(shim.polygamma(3, x).numpy()) == polygamma3
        assert digest(shim.special.zeta(s, q).numpy()) == zeta


def test_erfcx_and_log_ndtr_read_faddeevas_tables_as_torch_does(digest):
    """calc_erfcx: Faddeeva's Chebyshev fits (shim/_ops/faddeeva_tables.py) evaluated as torch's build does
    (Horner in double, unfused; the negative side's 2 exp(x**2) from the C library's double exp; the continued
    fraction above 50 with its last steps fused), and log_ndtr below -1 from it.  Digests of torch 2.13's
    results: erfcx of floats from -27 to 50 (above, torch's float continued fraction is not reproduced) and
    of doubles from -27 to 1e9, log_ndtr of floats from -60 and of doubles from -200, to 5."""
    special = [0.0, -0.0, np.inf, -np.inf, np.nan]
    single = np.concatenate([np.linspace(-27, 50, 20001), special]).astype(np.float32)
    double = np.concatenate([np.linspace(-27, 60, 20001), np.geomspace(50, 1e9, 2001), special])
    with np.errstate(all="ignore"):
        assert digest(shim.special.erfcx(shim.tensor(single)).numpy()) == "4269b2e7b78f96eb"
        assert digest(shim.special.erfcx(shim.tensor(double)).numpy()) == "9786106b5668e884"
        x = shim.tensor(np.linspace(-60, 5, 20001).astype(np.float32))
        assert digest(shim.special.log_ndtr(x).numpy()) == "a3053300d7eb4bcb"
        assert digest(shim.special.log_ndtr(shim.tensor(np.linspace(-200, 5, 20001))).numpy()) == "d299ca50e40c01e7"


def test_half_polygamma_accumulates_zeta_in_float(digest):
    """polygamma(n, half) from n = 2: (-1)**(n+1) n! zeta(n + 1, x) with zeta accumulated in float (half's
    accumulation type; the double one gives other halves), rounded to half, times the factor in float.
    Digests of torch 2.13's results over every half."""
    x = shim.tensor(np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16))
    with np.errstate(all="ignore"):
        assert digest(shim.polygamma(2, x).numpy()) == "82b2856b527c7c8a"
        assert digest(shim.polygamma(3, x).numpy()) == "0275cd95a352dd2c"
