"""Sleef's float-pair functions (shim/_cpu/sleef.py) and the C library's float functions torch's scalar loops
call: their fast paths against their step-by-step forms, and values observed under torch 2.13, where torch's
float results are not the correctly rounded ones."""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np
import pytest

import shim as torch
from shim._cpu import sleef
from shim._cpu.libm import _float_ufunc, glibc_exp2f, glibc_expf, glibc_powf

_PAIR_ROUNDED = {
    "expm1": np.expm1,
    "log1p": np.log1p,
    "atanh": np.arctanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
}


def _random_floats(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    every_bit_pattern = rng.integers(0, 1 << 32, n, dtype=np.uint64).astype(np.uint32).view(np.float32)
    ordinary = rng.uniform(-1, 1, n).astype(np.float32) * np.float32(2.0) ** rng.integers(-24, 5, n).astype(np.float32)
    return np.concatenate([every_bit_pattern, ordinary, np.float32([0, -0.0, 1, -1, np.inf, -np.inf, np.nan])])


@pytest.mark.parametrize("name", sorted(_PAIR_ROUNDED))
def test_the_double_decides_only_away_from_midpoints(name):
    """The fast path (the double function rounded once, the steps near a midpoint and on the rules' inputs)
    gives the steps' bits: a band too narrow for the pair's error would show here."""
    fn = getattr(sleef, name + "f")
    x = _random_floats(400_000, 20261206)
    assert np.array_equal(fn(x).view(np.uint32), fn.steps(x).view(np.uint32))


@pytest.mark.parametrize("name", sorted(_PAIR_ROUNDED))
def test_the_pair_functions_are_within_one_ulp(name):
    """Sleef's u10 promise, as the steps compute: at most one ulp from the correctly rounded value (where its
    rules do not answer inf: sinh and cosh past 89)."""
    x = _random_floats(100_000, 7)
    with np.errstate(all="ignore"):
        exact = _PAIR_ROUNDED[name](x.astype(np.float64)).astype(np.float32)
        ours = getattr(sleef, name + "f").steps(x)
    finite = np.isfinite(exact) & np.isfinite(ours) & (np.abs(exact) >= np.finfo(np.float32).smallest_normal)
    distance = np.abs(exact[finite].view(np.int32).astype(np.int64) - ours[finite].view(np.int32).astype(np.int64))
    assert distance.max() <= 1


@pytest.mark.parametrize(
    ("name", "fast", "edges"), [("expf", glibc_expf, [88.72, -103.9]), ("exp2f", glibc_exp2f, [127.9, -149.5])]
)
def test_the_near_midpoint_fast_path_is_the_c_librarys_function(name, fast, edges):
    """The fast path (the double function, rounded) agrees with the C library wherever it does not ask it."""
    c_function = getattr(ctypes.CDLL(ctypes.util.find_library("m")), name)
    c_function.restype, c_function.argtypes = ctypes.c_float, [ctypes.c_float]
    rng = np.random.default_rng(20261206)
    x = np.concatenate([rng.standard_normal(20_000).astype(np.float32) * 40, np.float32([*edges, 0, -0.0])])
    with np.errstate(all="ignore"):
        expected = np.array([c_function(v) for v in x.tolist()], np.float32)
    assert np.array_equal(fast(x), expected)


def test_powfs_fast_path_widens_its_band_with_the_results_exponent():
    """glibc's powf misrounds farther from a midpoint as its result's exponent grows (0.0087 ulp for
    0.9603715 ** -1832.0698, about 2**107, where the band was 1/128 ulp): the fast path agrees with the C
    library on that pair and on 200,000 random pairs whose results span the whole range."""
    powf = _float_ufunc("powf", 2)
    rng = np.random.default_rng(20261207)
    x = np.concatenate([np.float32([0.9603715]), np.exp(rng.uniform(-3, 3, 200_000)).astype(np.float32)])
    y = np.concatenate([np.float32([-1832.0698]), (rng.standard_normal(200_000) * 10.0 ** rng.integers(0, 4, 200_000))])
    y = y.astype(np.float32)
    with np.errstate(all="ignore"):
        expected = np.asarray(powf(x, y), np.float32)
        got = glibc_powf(x, y)
    same = (got.view(np.uint32) == expected.view(np.uint32)) | (np.isnan(got) & np.isnan(expected))
    assert same.all(), (x[~same][:3], y[~same][:3])


def _lanes(values: list[float]) -> torch.Tensor:
    """The values followed by padding to 64 floats: every one of them in torch's vector loop."""
    return torch.tensor(values + [0.5] * (64 - len(values)))


def test_values_observed_under_torch():
    """Observed under torch 2.13 (AMD EPYC, AVX512 capability): Sleef in the vector lanes of exp2, atanh,
    sinh, cosh, pow and atan2 and in every element of expm1 and log1p; glibc's in their scalar loops; glibc's asinhf and
    acoshf throughout.  Each first value is one torch does not round correctly."""
    assert torch.expm1(torch.tensor([-0.233831524848938, 0.9268461465835571])).tolist() == [
        -0.20850485563278198,
        1.526528239250183,
    ]
    assert torch.log1p(torch.tensor([0.09427375346422195, 0.4736477732658386])).tolist() == [
        0.09009090811014175,
        0.387740820646286,
    ]
    assert torch.exp2(_lanes([-9.21868896484375, 7.420274257659912]))[:2].tolist() == [
        0.0016784101026132703,
        171.2872772216797,
    ]
    assert torch.atanh(_lanes([-0.10066154599189758]))[0].item() == -0.10100362449884415
    assert torch.atanh(torch.tensor([-0.10066154599189758, -0.15820524096488953])).tolist() == [
        -0.10100361704826355,
        -0.15954533219337463,
    ]
    assert torch.atanh(torch.tensor(-0.732997477054596)).item() == -0.935174822807312
    assert torch.sinh(_lanes([-0.37342357635498047]))[0].item() == -0.38216298818588257
    assert torch.sinh(torch.tensor(-1.8128916025161743)).item() == -2.982480049133301
    assert torch.cosh(_lanes([1.624426245689392]))[0].item() == 2.636265277862549
    assert torch.cosh(torch.tensor([1.624426245689392, -0.9563390612602234])).tolist() == [
        2.636265516281128,
        1.493224859237671,
    ]
    base, exponent = _lanes([4.576900482177734]), _lanes([-1.5519174337387085])
    assert torch.pow(base, exponent)[0].item() == 0.09437296539545059  # (Sleef's powf)
    assert torch.pow(base[:1], exponent[:1]).item() == 0.09437297284603119  # (glibc's powf)
    assert (_lanes([4.591187953948975]) ** 2.5)[0].item() == 45.166107177734375
    assert (torch.tensor([4.591187953948975]) ** 2.5).item() == 45.16611099243164
    y, x = _lanes([4.0652875900268555]), _lanes([4.393411636352539])
    assert torch.atan2(y, x)[0].item() == 0.7466262578964233  # (Sleef's atan2f)
    assert torch.atan2(y[:1], x[:1]).item() == 0.7466263175010681  # (glibc's atan2f)
    assert torch.atan2(torch.tensor(3.253329038619995), torch.tensor(-0.6201027631759644)).item() == 1.7591426372528076
    assert torch.asinh(torch.tensor([0.24084153771400452, -0.9561775922775269])).tolist() == [
        0.23857198655605316,
        -0.8500444889068604,
    ]
    assert torch.acosh(_lanes([3.2842395305633545, 1.3350073099136353]))[:2].tolist() == [
        1.8582546710968018,
        0.7972608208656311,
    ]


def test_expf_scales_by_one_power_of_two_where_every_result_is_normal():
    """expf's one product by 2**q (an array whose every input lies in [-86.5, 88]) gives the bits of Sleef's
    two half-scalings, which the same inputs take beside a NaN; and inputs just beyond that range (subnormal
    or overflowing results, where one product would round differently) keep the half-scalings.  An empty
    array passes."""
    rng = np.random.default_rng(20261207)
    inside = np.concatenate(
        [rng.uniform(-86.5, 88, 200_000), np.linspace(-86.49, -80, 50_000), np.linspace(80, 87.99, 50_000)]
    )
    beyond = [
        np.linspace(lo, hi, 20_000) for lo, hi in ((-87, -86.5), (-90, -87), (-104, -90), (88, 88.5), (88.5, 100))
    ]
    for block in (inside, *beyond):
        block = block.astype(np.float32)
        beside_nan = sleef.expf(np.append(block, np.float32(np.nan)))
        assert np.array_equal(sleef.expf(block).view(np.uint32), beside_nan[:-1].view(np.uint32))
    assert sleef.expf(np.zeros((2, 0), np.float32)).shape == (2, 0)


def test_log1pf_skips_the_rules_only_where_no_input_needs_them():
    """log1pf looks for its rules' inputs (beyond 1e38, -1 and below, -0) only where the extremes say some may
    be there: arrays without them give the bits the same values give beside a NaN (which makes it look), and
    -0 keeps its sign beside positives; an empty array passes."""
    rng = np.random.default_rng(20261207)
    for block in (rng.uniform(0, 50, 50_000), rng.uniform(-0.999, 3, 50_000), np.float32([3e38, -0.0, 0.0, 1.0])):
        block = block.astype(np.float32)
        beside_nan = sleef.log1pf.steps(np.append(block, np.float32(np.nan)))
        assert np.array_equal(sleef.log1pf.steps(block).view(np.uint32), beside_nan[:-1].view(np.uint32))
    assert np.signbit(sleef.log1pf.steps(np.float32([-0.0, 2.0]))).tolist() == [True, False]
    ruled = sleef.log1pf.steps(np.float32([-1, -2, 3e38]))  # (an array of the rules' inputs only)
    assert (
        ruled[0] == -np.inf and ruled.view(np.uint32)[1] == 0xFFFFFFFF and ruled[2] == sleef.logf(np.float32([3e38]))[0]
    )
    assert sleef.log1pf(np.zeros((2, 0), np.float32)).shape == (2, 0)


def test_logf_skips_its_rules_only_for_positive_normal_finite_arrays():
    """logf leaves out the subnormal scaling and its rules (inf, negatives, NaN, 0) only where every input is
    a positive normal float: such arrays give the bits the same values give beside a NaN, and arrays with a
    subnormal, a zero or a negative keep them."""
    rng = np.random.default_rng(20261207)
    ordinary = np.concatenate([rng.uniform(1, 10, 50_000), 2.0 ** rng.uniform(-126, 127, 50_000)]).astype(np.float32)
    beside_nan = sleef.logf(np.append(ordinary, np.float32(np.nan)))
    assert np.array_equal(sleef.logf(ordinary).view(np.uint32), beside_nan[:-1].view(np.uint32))
    special = sleef.logf(np.float32([1e-40, 0, -1, np.inf, 2]))
    assert special[0] == sleef.logf(np.float32([1e-40, np.nan]))[0] and special[0] < -91
    assert special[1] == -np.inf and np.isnan(special[2]) and special[3] == np.inf
