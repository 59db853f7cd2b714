"""MKL's sqrt, exp, log, sin and cos kernels (shim/_cpu/vml.py): the measured rsqrtps table, the kernels' accuracy, and
values observed under torch 2.13 on the CPU the table was measured on (AMD family 19h), where torch's float
and double results are not correctly rounded."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import shim as torch
from shim._cpu import vml
from shim._ops import special_functions

on_measured_cpu = pytest.mark.skipif(
    not vml.emulates_mkl(),
    reason="torch's sqrt bits depend on MKL's kernel for the CPU; the table was measured on AMD family 19h",
)


def test_rsqrtps_table_is_a_12_bit_approximation():
    """Each of the 8192 entries has a 12-bit mantissa and lies within 1.5 * 2**-12 of 1/sqrt over its whole
    input interval (the bound Intel and AMD document for rsqrtps)."""
    as_float, as_double = vml._rsqrtps_tables()
    odd = np.arange(8192) >> 12  # the biased exponent's LSB: x in [1, 2) where it is 1, else [2, 4)
    bits = (as_float - ((64 - odd) << 23)).astype(np.int32)
    values = bits.view(np.float32).astype(np.float64)
    assert np.array_equal(as_double - ((512 - odd) << 52), values.view(np.int64))
    low = (1 + (np.arange(8192) & 0xFFF) / 4096) * np.where(odd, 1.0, 2.0)
    high = low + np.where(odd, 1.0, 2.0) / 4096
    for x in (low, high):
        assert np.all(np.abs(values * np.sqrt(x) - 1) < 1.5 * 2.0**-12)
    assert np.all((bits & 0x7FF) == 0) and np.all((values >= 0.5) & (values < 1))
    assert np.all(np.diff(values[:4096]) <= 0) and np.all(np.diff(values[4096:]) <= 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_are_within_one_ulp_and_keep_special_values(dtype):
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0, 10, 50_000), np.exp(rng.uniform(-80, 80, 50_000))]).astype(dtype)
    root, exact = vml.sqrt(x), np.sqrt(x)
    assert root.dtype == dtype and np.all(np.abs(root - exact) <= np.spacing(exact))
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1e-40, np.finfo(dtype).max], dtype)
    got = vml.sqrt(special)
    assert np.signbit(got[:2]).tolist() == [False, True] and got[2] == np.inf
    assert np.all(np.isnan(got[3:6])) and not np.any(np.signbit(got[3:6]))
    assert np.array_equal(got[6:], np.sqrt(special[6:]))


def test_float_sqrt_by_top_bits_is_the_kernels_estimate():
    """Long float inputs take rsqrtps's estimate from one table by their top 20 bits: every entry is the
    estimate the per-element exponent arithmetic gives (so the roots equal the short path's, measured on all
    2**32 floats), and a long array of every exponent, sign and special value gets the short path's bits."""
    table, top = vml._rsqrt32_by_top_bits(), np.arange(1 << 20, dtype=np.int32)
    y, _ = vml._rsqrtps(top << 11, vml._rsqrtps_tables()[0], 11)
    assert np.array_equal(table, y - ((top << 10) & 0x3F800000))
    rng = np.random.default_rng(5)
    bits = rng.integers(0, 1 << 32, 3 * vml._BY_TOP_BITS_FROM, dtype=np.uint64).astype(np.uint32)
    bits[:8] = [0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 1, 0x7F7FFFFF, 0x00800000]
    x = bits.view(np.float32)
    short = np.concatenate([vml.sqrt(part) for part in np.split(x, 6)])
    assert vml.sqrt(x).view(np.uint32).tolist() == short.view(np.uint32).tolist()


@on_measured_cpu
def test_float_sqrt_rounds_as_torch_does():
    """Observed under torch 2.13: these roots are one ulp from the correctly rounded ones."""
    x = torch.tensor([775.6879, 873.5547, 5.275252, 821.2302, 6.2654047])
    assert x.sqrt().tolist() == [float(np.float32(v)) for v in (27.851173, 29.55596, 2.2967918, 28.657116, 2.5030792)]
    assert torch.tensor(6.2654047).sqrt().item() == 2.5030791759490967  # a 0-d tensor goes through MKL too
    assert (x**0.5).tolist() == x.sqrt().tolist()


@on_measured_cpu
def test_double_sqrt_rounds_as_torch_does():
    x = torch.tensor([965.4280548074829, 209.04531749002766, 65.32429800065833], dtype=torch.float64)
    assert x.sqrt().tolist() == [31.071338156047975, 14.458399548014562, 8.082344833070309]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exp_is_within_one_ulp_and_keeps_special_values(dtype):
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.uniform(-10, 10, 50_000), rng.uniform(-750, 720, 50_000)]).astype(dtype)
    with np.errstate(all="ignore"):
        result, exact = vml.exp(x), np.exp(x.astype(np.float64)).astype(dtype)
    finite = np.isfinite(exact)
    assert result.dtype == dtype and np.array_equal(result[~finite], exact[~finite])
    assert np.all(np.abs(result[finite] - exact[finite]) <= np.spacing(exact[finite]))
    special = np.array([0.0, -0.0, np.inf, -np.inf, 1e-45], dtype)
    assert vml.exp(special).tolist() == [1.0, 1.0, np.inf, 0.0, 1.0] and np.isnan(vml.exp(np.array([np.nan], dtype)))


@on_measured_cpu
def test_exp_rounds_as_torch_does():
    """Observed under torch 2.13: one ulp from the correctly rounded values."""
    x = torch.tensor([-3.825805187225342, 1.5606049299240112, -8.63441276550293, -3.944539785385132])
    assert x.exp().tolist() == [0.021800875663757324, 4.761700630187988, 0.00017787798424251378, 0.019360125064849854]
    x = torch.tensor([-5.900711545191594, -8.455810963069098, 3.7615067681700776], dtype=torch.float64)
    assert x.exp().tolist() == [0.0027374962733012274, 0.0002126610523872417, 43.01318807846527]


@on_measured_cpu
def test_log_sin_cos_round_as_torch_does():
    """Observed under torch 2.13: one ulp from the correctly rounded values."""
    x = torch.tensor([17.03292465209961, 47.60495376586914, 45.777984619140625])
    assert x.log().tolist() == [2.835148334503174, 3.8629369735717773, 3.823803424835205]
    x = torch.tensor([19.349670634151234, 80.78387561322343], dtype=torch.float64)
    assert x.log().tolist() == [2.9626753978400315, 4.391777386370171]
    x = torch.tensor([47.60495376586914, 12.152097702026367, 85.9587173461914])
    assert x.sin().tolist() == [-0.46272265911102295, -0.402524471282959, -0.9068360924720764]
    x = torch.tensor([20.1424560546875, 28.271215438842773, 74.32756805419922])
    assert x.cos().tolist() == [0.2743331789970398, -0.9999951720237732, 0.47954902052879333]
    x = torch.tensor([0.9964038729667664, 0.9830552935600281, 0.02372085675597191])
    assert x.log2().tolist() == [-0.005197465885430574, -0.024655530229210854, -5.397700309753418]
    x = torch.tensor([0.9880746603012085, 0.9346745014190674, 1.0248538255691528])
    assert x.log10().tolist() == [-0.005210238508880138, -0.029339605942368507, 0.010661927051842213]


@pytest.mark.parametrize("name", ["log", "log2", "log10", "sin", "cos"])
def test_float_log_sin_cos_are_within_one_ulp_and_keep_special_values(name):
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.uniform(-20, 20, 50_000), np.exp(rng.uniform(-80, 80, 50_000))]).astype(np.float32)
    if name.startswith("log"):
        x = np.abs(x)
    with np.errstate(all="ignore"):
        result, exact = getattr(vml, name)(x), getattr(np, name)(x.astype(np.float64)).astype(np.float32)
    assert result.dtype == np.float32 and np.all(np.abs(result - exact) <= np.abs(np.spacing(exact)))
    special = np.array([np.inf, -np.inf, np.nan, -1.0], np.float32)
    assert np.all(np.isnan(getattr(vml, name)(special)[1:3]))
    expected = {"sin": -0.0, "cos": 1.0}.get(name, -np.inf)
    assert getattr(vml, name)(np.array([-0.0], np.float32)).tolist() == [expected]


@pytest.mark.parametrize("name", ["sin", "cos"])
def test_double_sin_and_cos_are_within_one_ulp_and_keep_special_values(name):
    """(numpy's sin and cos stand for the exact values: within an ulp of them, as MKL is; beyond 65536,
    where MKL's long reduction is not reproduced, they are the result.)"""
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(-100, 100, 100_000), np.exp(rng.uniform(-700, 12, 50_000)), [7e4, -1e300]])
    with np.errstate(all="ignore"):
        result, exact = getattr(vml, name)(x), getattr(np, name)(x)
        assert np.all(np.abs(result - exact) <= np.abs(np.spacing(exact))) and np.array_equal(result[-2:], exact[-2:])
        got = getattr(vml, name)(np.array([np.inf, -np.inf, np.nan, 0.0, -0.0]))
    assert np.all(np.isnan(got[:3])) and got[3:].tolist() == ([0, 0] if name == "sin" else [1, 1])
    assert np.signbit(got[3:]).tolist() == ([False, True] if name == "sin" else [False, False])


def test_half_sqrt_is_the_float_root_rounded():
    """torch computes half's root in float (correctly rounded there), then rounds: not MKL's kernel."""
    x = np.arange(0x3C00, 0x4400, dtype=np.uint16).view(np.float16)
    assert np.array_equal(torch.from_numpy(x).sqrt().numpy(), np.sqrt(x.astype(np.float32)).astype(np.float16))


@on_measured_cpu
def test_small_products_add_rounded_terms_in_order():
    """MKL's gemm on this CPU: two or three terms (at most 11 columns) and a row times a row-major matrix add
    the rounded products along k from +0; addmm takes its base in first where the second factor is row-major,
    last where it is column-major.  Observed under torch 2.13 (0x3F800001 = 1 + 2**-23)."""
    one_up = float(np.uint32(0x3F800001).view(np.float32))
    a = torch.tensor([[one_up, one_up, -1.0]])
    b = torch.tensor([[one_up], [1.0], [1.0]])
    # (1 + u)**2 rounds to 1 + 2u; + (1 + u) = 2 + 3u rounds to 2 + 4u; - 1 = 1 + 4u.  Fused: 1 + 3u (+u**2)
    assert (a @ b).item() == 1 + 4 * 2.0**-23
    row, column = torch.tensor([[1e8, 1.0, -1e8]]), torch.tensor([[1.0], [1.0], [1.0]])
    assert (row @ column).item() == 0.0  # ((1e8 + 1) - 1e8: the 1 is lost in float
    base = torch.tensor([[-1e8, -1e8]])
    left, right = torch.tensor([[1e8, 1.0]]), torch.tensor([[1.0, 1.0], [1.0, 1.0]])
    assert torch.addmm(base, left, right).tolist() == [[1.0, 1.0]]  # row-major: (base + 1e8) + 1
    assert torch.addmm(base, left, right.t().contiguous().t()).tolist() == [[0.0, 0.0]]  # column-major: base last


def _notebook_polynomials(torch) -> tuple[list[float], list[float]]:
    """The notebook's cubic fit to sin(x): by hand with autograd (2000 steps), then as nn.Linear(3, 1) with
    RMSprop (500 steps); the printed losses."""
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    torch.manual_seed(0)
    a, b, c, d = (torch.randn((), requires_grad=True) for _ in range(4))
    for _ in range(2000):
        loss = (a + b * x + c * x**2 + d * x**3 - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 1e-6 * p.grad
                p.grad = None
    coefficients = [p.item() for p in (a, b, c, d)]
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(500):
        loss = loss_fn(model(xx), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return coefficients, losses[99::100]


@on_measured_cpu
def test_the_notebooks_polynomial_fits_print_torchs_numbers():
    """Observed under torch 2.13: sin, the matrix products of Linear(3, 1), its weight gradient, powf and
    RMSprop's sqrt all as torch computes them, so every printed digit agrees."""
    coefficients, losses = _notebook_polynomials(torch)
    assert coefficients == [0.058623358607292175, 0.8372474908828735, -0.010113503783941269, -0.09055762737989426]
    assert losses == [1047.0196533203125, 541.8184204101562, 476.145263671875, 407.9974365234375, 329.3882751464844]


def test_long_rows_split_between_the_loops_as_the_general_path_computes_them():
    """A contiguous result of 16k+ elements computes the vector-loop formula and the scalar kernel on their
    own elements only: the same values as the general path (below 16k: the kernel everywhere, then the fix),
    and the result dtype of the op (complex abs is real, with no ComplexWarning)."""
    x = torch.randn(20000) * 8
    assert x.sigmoid()[:16000].tolist() == x[:16000].sigmoid().tolist()  # (all vector lanes in both)
    z = torch.complex(torch.randn(20000, dtype=torch.float64), torch.randn(20000, dtype=torch.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        magnitude = z.abs()
    assert magnitude.dtype == torch.float64 and magnitude[:16000].tolist() == z[:16000].abs().tolist()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tanh_is_within_one_ulp_on_every_interval_and_keeps_special_values(dtype):
    """Points through each of the kernel's intervals (float: quarter binades of |x| from 0.125, double:
    eighth binades) up to where tanh rounds to 1, and the special values (tanh(+-inf) is +-1: MKL's rare
    path, which the clamp of |x| reproduces)."""
    x = np.concatenate([np.linspace(0, 0.125, 1000), 2.0 ** np.linspace(-3, 5, 200_000)]).astype(dtype)
    result, exact = vml.tanh(x), np.tanh(x.astype(np.float64)).astype(dtype)
    assert result.dtype == dtype and np.all(np.abs(result - exact) <= np.spacing(exact))
    assert np.array_equal(vml.tanh(-x), -result)
    grid = x[:200_000].reshape(400, 500)  # (a transposed or strided input: the same elements' results)
    assert np.array_equal(vml.tanh(grid.T), result[:200_000].reshape(400, 500).T)
    assert np.array_equal(vml.tanh(grid[:, ::3]), result[:200_000].reshape(400, 500)[:, ::3])
    special = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, np.finfo(dtype).max, 1e-30, -1e-300], dtype)
    got = vml.tanh(special)
    assert got[:2].tolist() == [1, -1] and np.isnan(got[2]) and got[5] == 1
    assert got[3:5].tolist() == [0, 0] and np.signbit(got[3:5]).tolist() == [False, True]
    assert np.array_equal(got[6:], special[6:])  # (tanh(x) is x below 2**-12 in float, 2**-26 in double)


def test_tanh_floats_polynomials_lie_well_inside_the_band_where_the_kernel_runs():
    """_tanh32's premise: each polynomial of the float kernel (evaluated in double) is within 0.0131 of a
    float ulp (of tanh's binade) from tanh below |x| = 10, so rounding the double tanh gives the kernel's
    float but within the band (0.02) of a midpoint; from 10 the kernel's 1 is what tanh rounds to.  Every
    509th float in [0, 16), all 27 intervals."""
    magnitude = np.arange(0, 0x41800000, 509, dtype=np.int32)
    x = magnitude.view(np.float32).astype(np.float64)
    p, exact = vml._tanh32_polynomial(magnitude), np.tanh(x)
    unit = np.ldexp(1.0, np.maximum(np.frexp(exact)[1], -125) - 24)  # a float ulp in tanh's binade
    below = x < 10
    error = np.abs(p - exact)[below] / unit[below]
    assert 0.012 < error.max() < 0.0132 < vml._TANH32_BAND / 2**29
    assert np.all(p[~below] == 1) and np.all(exact[~below] > 1 - 2.0**-26)


@on_measured_cpu
def test_tanh_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and digests of its results over
    65,536 float bit patterns spread over every binade and 65,536 values in [-12, 12], and over 65,536
    double bit patterns of every exponent and 65,536 values in [-25, 25]."""
    x = torch.tensor([2.53655743598938, -1.0397146940231323, 2.701441526412964])
    assert x.tanh().tolist() == [0.9875521659851074, -0.7777753472328186, 0.9910331964492798]
    x = torch.tensor([0.30232552356859976, 2.0415196270564584, 2.6851633348217723], dtype=torch.float64)
    assert x.tanh().tolist() == [0.29343934042988096, 0.9668465250444374, 0.9907378706961534]
    spread = bit_patterns(np.float32)
    with np.errstate(all="ignore"):
        x = np.concatenate([spread, np.linspace(-12, 12, 1 << 16, dtype=np.float32)])
        assert digest(torch.tensor(x).tanh().numpy()) == "016fd55b72d68c98"
        spread = bit_patterns(np.float64)
        x = np.concatenate([spread, np.linspace(-25, 25, 1 << 16)])
        assert digest(torch.tensor(x).tanh().numpy()) == "4ba013647b9b0ebe"


@pytest.mark.parametrize(
    ("name", "dtype"), [("erf", np.float32), ("erfc", np.float32), ("erf", np.float64), ("erfc", np.float64)]
)
def test_erf_and_erfc_are_within_one_ulp(name, dtype):
    """(math.erf and math.erfc stand for the exact values: within an ulp of them, as MKL is; glibc's double
    erfc is itself up to two ulps off near 1.2, so MKL's is within three of it.)"""
    x = np.concatenate([np.linspace(-11, 11, 200_001), 2.0 ** np.linspace(-149, 3.3, 20_000)]).astype(dtype)
    function = getattr(math, name)
    exact = np.array([function(v) for v in x.astype(np.float64).tolist()]).astype(dtype)
    result = getattr(vml, name)(x)
    ulps = 3 if (name, dtype) == ("erfc", np.float64) else 1
    assert result.dtype == dtype and np.all(np.abs(result - exact) <= ulps * np.abs(np.spacing(exact)))


def test_float_erf_and_erfc_keep_special_values():
    special = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, np.finfo(np.float32).max, 4.0, -1e-45], np.float32)
    got = vml.erf(special)
    assert got[[0, 1, 5, 6]].tolist() == [1, -1, 1, 1] and np.isnan(got[2])
    assert got[3:5].tolist() == [0, 0] and np.signbit(got[3:5]).tolist() == [False, True]
    assert got[7] == -1e-45  # (2/sqrt(pi) x rounds to x among the smallest subnormals)
    got = vml.erfc(special)
    assert got[[0, 1, 5]].tolist() == [0, 2, 0] and np.isnan(got[2]) and got[3:5].tolist() == [1, 1]
    tail = np.array([9.5, 10.0, 10.054194, 10.06, -10.0], np.float32)  # (subnormals; from 10.054194 the rare path)
    assert vml.erfc(tail).tolist() == [float(np.float32(math.erfc(v))) for v in tail.tolist()]


@on_measured_cpu
def test_float_erf_and_erfc_round_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and the digests of its results
    over 65,536 float bit patterns spread over every binade and 65,536 values in [-5, 5] (erf) or [-11, 11]
    (erfc)."""
    x = torch.tensor([-2.0387277603149414, 0.12699677050113678, 0.8324998021125793])
    assert x.erf().tolist() == [-0.9960633516311646, 0.14253383874893188, 0.7609371542930603]
    x = torch.tensor([-0.2975137233734131, -0.4162956178188324, 3.1694116592407227])
    assert x.erfc().tolist() == [1.3260607719421387, 1.4439582824707031, 7.386881407001056e-06]
    spread = bit_patterns(np.float32)
    with np.errstate(all="ignore"):
        x = np.concatenate([spread, np.linspace(-5, 5, 1 << 16, dtype=np.float32)])
        assert digest(torch.tensor(x).erf().numpy()) == "fefd3913f6d9d8da"
        x = np.concatenate([spread, np.linspace(-11, 11, 1 << 16, dtype=np.float32)])
        assert digest(torch.tensor(x).erfc().numpy()) == "af8e9006fb3bb81a"


def test_rcpps_estimate_scales_with_the_exponent():
    """_rcpps (atan's division): the measured estimate of the mantissa, within 1.5 * 2**-12 of 1/x (the
    bound Intel and AMD document) across exponents."""
    x = (2.0 ** np.linspace(-120, 120, 100_001)).astype(np.float32)
    estimate = vml._rcpps(x).astype(np.float64)
    assert np.all(np.abs(estimate * x - 1) < 1.5 * 2.0**-12)
    assert np.array_equal(vml._rcpps(x * np.float32(4)), vml._rcpps(x) / np.float32(4))
    huge = np.array([2.0**125, 2.0**126, 3e38, np.inf], np.float32)  # (a reciprocal below the normals: 0)
    assert vml._rcpps(huge).tolist()[1:] == [0, 0, 0] and vml._rcpps(huge)[0] > 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_atan_is_within_one_ulp_and_keeps_special_values(dtype):
    """(numpy's double atan stands for the exact value: within an ulp of it, as MKL is.)"""
    x = np.concatenate([np.linspace(-8, 8, 200_001), 2.0 ** np.linspace(-149, 127, 20_000)]).astype(dtype)
    exact = np.arctan(x.astype(np.float64)).astype(dtype)
    result = vml.atan(x)
    assert result.dtype == dtype and np.all(np.abs(result - exact) <= np.abs(np.spacing(exact)))
    special = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 1e-40, 2.0**123, -(2.0**-126)], dtype)
    got, rounded = vml.atan(special), np.arctan(special.astype(np.float64)).astype(dtype)
    assert np.isnan(got[2]) and np.signbit(got[3:5]).tolist() == [False, True]
    assert np.array_equal(np.delete(got, 2), np.delete(rounded, 2))  # (MKL's rare path: the rounded atan)


@on_measured_cpu
def test_float_atan_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and the digest of its results
    over 65,536 float bit patterns spread over every binade and 65,536 values in [-8, 8]."""
    x = torch.tensor([1.2665904760360718, -0.10526255518198013, 1.5343694686889648])
    assert x.atan().tolist() == [0.9024776220321655, -0.10487634688615799, 0.9932034015655518]
    spread = bit_patterns(np.float32)
    x = np.concatenate([spread, np.linspace(-8, 8, 1 << 16, dtype=np.float32)])
    with np.errstate(all="ignore"):
        assert digest(torch.tensor(x).atan().numpy()) == "0594f23995d3398a"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("name", "exact"), [("asin", np.arcsin), ("acos", np.arccos)])
def test_asin_and_acos_are_within_one_ulp_and_keep_special_values(name, exact, dtype):
    """(numpy's double asin and acos stand for the exact values: within an ulp of them, as MKL is.)"""
    x = np.concatenate([np.linspace(-1, 1, 400_001), 2.0 ** np.linspace(-149, 0, 20_000)]).astype(dtype)
    with np.errstate(invalid="ignore"):
        result, rounded = getattr(vml, name)(x), exact(x.astype(np.float64)).astype(dtype)
        assert result.dtype == dtype and np.all(np.abs(result - rounded) <= np.abs(np.spacing(rounded)))
        special = np.array([1, -1, 0.5, -0.5, 0.0, -0.0, 1e-45, np.nan, np.inf, -1.0000001], dtype)
        got, rounded = getattr(vml, name)(special), exact(special.astype(np.float64)).astype(dtype)
    assert np.array_equal(got[:7], rounded[:7]) and np.all(np.isnan(got[7:]))
    assert np.signbit(got[4:6]).tolist() == ([False, True] if name == "asin" else [False, False])


@on_measured_cpu
def test_double_erf_asin_acos_atan_sin_and_cos_round_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: an ulp from numpy's (correctly rounded) values; and the digests of its
    results over 65,536 double bit patterns of every exponent and 65,536 values in [-6, 6] or [-1, 1]."""
    x = torch.tensor([0.028235293199027733, -0.9764119489149883], dtype=torch.float64)
    assert x.erf().tolist() == [0.03185165201467578, -0.8326764578050351]
    x = torch.tensor([-0.4902608246917508, -0.5987865520260096], dtype=torch.float64)
    assert x.asin().tolist() == [-0.5123889842295091, -0.6419851600327394]
    x = torch.tensor([0.48858451059429786, -0.5600641100480983], dtype=torch.float64)
    assert x.acos().tolist() == [1.0603296187387412, 2.1652595103770733]
    x = torch.tensor([-1.1990022905326474, 2.973001700606356], dtype=torch.float64)
    assert x.atan().tolist() == [-0.8756489525634097, 1.2463239033757532]
    x = torch.tensor([-2.5046780204938424, 3.005304558726049], dtype=torch.float64)
    assert x.sin().tolist() == [-0.5947178430881014, 0.13586657391426785]
    x = torch.tensor([-7.311220174915746, -4.1518562057750685], dtype=torch.float64)
    assert x.cos().tolist() == [0.5165025557398676, -0.531637518522272]
    spread = bit_patterns(np.float64)
    with np.errstate(all="ignore"):
        for name, bound, expected in [
            ("erf", 6, "b64cb9929faaf603"),
            ("asin", 1, "3174e69552e94705"),
            ("acos", 1, "8400743f5824b018"),
            ("atan", 8, "e146c19b1a31d617"),
        ]:
            x = torch.tensor(np.concatenate([spread, np.linspace(-bound, bound, 1 << 16)]))
            assert digest(getattr(x, name)().numpy()) == expected, name
        short = spread[~(np.abs(spread) > 65536)]  # (MKL's short reduction)
        for name, expected in [("sin", "800a9a214f69f01c"), ("cos", "bcc01cc4d38e3812")]:
            x = torch.tensor(np.concatenate([short, np.linspace(-100, 100, 1 << 16)]))
            assert digest(getattr(x, name)().numpy()) == expected, name


@pytest.mark.parametrize("name", ["log", "log2", "log10"])
def test_double_logs_are_within_one_ulp_and_keep_special_values(name):
    rng = np.random.default_rng(4)
    x = np.concatenate(
        [rng.uniform(0, 100, 100_000), np.exp(rng.uniform(-700, 700, 50_000)), 1 + rng.uniform(-1e-3, 1e-3, 1000)]
    )
    result, exact = getattr(vml, name)(x), getattr(np, name)(x)
    assert result.dtype == np.float64 and np.all(np.abs(result - exact) <= np.spacing(np.abs(exact)))
    with np.errstate(all="ignore"):
        special = np.array([1.0, 2.0, 0.0, -0.0, np.inf, 5e-324, -1.0, -np.inf, np.nan])
        got = getattr(vml, name)(special)
        assert np.array_equal(got[:6], getattr(np, name)(special[:6])) and np.all(np.isnan(got[6:]))


@on_measured_cpu
def test_double_log2_and_log10_round_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: an ulp from numpy's (correctly rounded) values; and the digests of its
    results over 65,536 double bit patterns of every exponent and 65,536 values in [0, 16]."""
    x = torch.tensor([58.510588255867965, 55.5370312208886], dtype=torch.float64)
    assert x.log2().tolist() == [5.87062581773703, 5.795378153618189]
    x = torch.tensor([62.144292263485134, 49.13728661152778], dtype=torch.float64)
    assert x.log10().tolist() == [1.7934012463758067, 1.6914111708217916]
    x = torch.tensor(np.concatenate([bit_patterns(np.float64), np.linspace(0, 16, 1 << 16)]))
    with np.errstate(all="ignore"):
        assert digest(x.log2().numpy()) == "48956583a6c15583"
        assert digest(x.log10().numpy()) == "2ced3d98e51bf15b"


@on_measured_cpu
def test_float_asin_and_acos_round_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and the digests of its results
    over 65,536 float bit patterns spread over every binade and 65,536 values in [-1, 1]."""
    x = torch.tensor([0.36795157194137573, -0.3831411302089691, 0.3829985558986664])
    assert x.asin().tolist() == [0.3768050968647003, -0.3931945562362671, 0.3930402100086212]
    x = torch.tensor([-0.31082746386528015, 0.3832750618457794, 0.36795157194137573])
    assert x.acos().tolist() == [1.8868598937988281, 1.1774568557739258, 1.1939911842346191]
    spread = bit_patterns(np.float32)
    x = np.concatenate([spread, np.linspace(-1, 1, 1 << 16, dtype=np.float32)])
    with np.errstate(all="ignore"):
        assert digest(torch.tensor(x).asin().numpy()) == "4a2ce7a07039b961"
        assert digest(torch.tensor(x).acos().numpy()) == "77e065925171a241"


def test_float_tan_is_within_one_ulp_and_keeps_special_values():
    x = np.concatenate([np.linspace(-20, 20, 400_001), 2.0 ** np.linspace(-149, 13.2, 20_000)]).astype(np.float32)
    exact = np.tan(x.astype(np.float64)).astype(np.float32)
    result = vml.tan(x)
    assert result.dtype == np.float32 and np.all(np.abs(result - exact) <= np.abs(np.spacing(exact)))
    special = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 1e-40, 20000.0], np.float32)
    got = vml.tan(special)
    assert np.all(np.isnan(got[:3])) and np.signbit(got[3:5]).tolist() == [False, True]
    assert got[5] == np.float32(1e-40) and got[6] == np.float32(np.tan(np.float64(np.float32(20000.0))))


@on_measured_cpu
def test_float_tan_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and the digest of its results
    over the float bit patterns 65,537 apart within |x| <= 10000 (MKL's short reduction) and 65,536 values in
    [-10, 10]."""
    x = torch.tensor([1.4334428310394287, 0.4299953579902649, -1.9995123147964478])
    assert x.tan().tolist() == [7.234642028808594, 0.45861542224884033, 2.187858819961548]
    spread = bit_patterns(np.float32)
    spread = spread[~(np.abs(spread) > 10000)]
    x = np.concatenate([spread, np.linspace(-10, 10, 1 << 16, dtype=np.float32)])
    assert digest(torch.tensor(x).tan().numpy()) == "2daf4e4346bc8dbd"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_erfinv_is_within_one_ulp_and_keeps_special_values(dtype):
    """(the shim's double erfinv, Newton steps on erf and erfc, stands for the exact values: it is within an
    ulp of them, as MKL is, so the two are within two)"""
    rng = np.random.default_rng(5)
    depth = 16.6 if dtype == np.float32 else 36
    x = np.concatenate([rng.uniform(-1, 1, 100_000), 1 - np.exp(rng.uniform(-depth, 0, 50_000))]).astype(dtype)
    exact = special_functions.erfinv(x.astype(np.float64)).astype(dtype)
    assert np.all(np.abs(vml.erfinv(x) - exact) <= 2 * np.spacing(np.abs(exact)))
    special = np.array([0.0, -0.0, 1.0, -1.0, 2.0**-60, 1.5, -np.inf, np.nan], dtype)
    got = vml.erfinv(special)
    assert got[:4].tolist() == [0, 0, np.inf, -np.inf] and np.signbit(got[:2]).tolist() == [False, True]
    tiny = dtype(2.0**-60 * math.sqrt(math.pi) / 2)  # (x sqrt(pi) / 2 below 2**-53)
    assert abs(got[4] - tiny) <= np.spacing(tiny)
    # beyond [-1, 1]: float the CPU's default NaN (negative), double a positive one; a NaN passes through
    unsigned = np.uint32 if dtype == np.float32 else np.uint64
    default = [0xFFC00000] * 2 if dtype == np.float32 else [0x7FF8000000000000] * 2
    assert got[5:].view(unsigned).tolist() == [*default, np.array(np.nan, dtype).view(unsigned)]


@on_measured_cpu
def test_float_erfinv_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: one ulp from the correctly rounded values; and the digest of its results
    over 65,536 float bit patterns spread over every binade and 65,536 values in [-1, 1]."""
    x = torch.tensor([-0.8659149408340454, 0.9611197710037231, 0.6574243903160095])
    assert x.erfinv().tolist() == [-1.0593771934509277, 1.4604953527450562, 0.6711069345474243]
    x = torch.tensor(np.concatenate([bit_patterns(np.float32), np.linspace(-1, 1, 1 << 16, dtype=np.float32)]))
    with np.errstate(all="ignore"):
        assert digest(x.erfinv().numpy()) == "34a08f07722cdb70"


@on_measured_cpu
def test_double_erfinv_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: an ulp from the exact values, in the main path and in the rare path's
    products for |x| below 2**-53 (subnormal results included); and the digest of its results over 65,536
    double bit patterns of every exponent and 65,536 values in [-1, 1]."""
    x = torch.tensor([-0.39966743017754913, -0.06413009431255845], dtype=torch.float64)
    assert x.erfinv().tolist() == [-0.37046902529409076, -0.05689514770086093]
    x = torch.tensor([6.059946610956019e-93, 4.769244143062518e-208, 2.2e-308, -1e-310], dtype=torch.float64)
    assert x.erfinv().tolist() == [
        5.370487853435413e-93,
        4.226632573639869e-208,
        1.949699235996068e-308,
        -8.8622692545277e-311,
    ]
    x = torch.tensor(np.concatenate([bit_patterns(np.float64), np.linspace(-1, 1, 1 << 16)]))
    with np.errstate(all="ignore"):
        assert digest(x.erfinv().numpy()) == "818864af77486182"


def test_double_tan_is_within_one_ulp_and_keeps_special_values():
    """(numpy's tan stands for the exact values: within an ulp of them, as MKL is; beyond 65536, where MKL's
    long reduction is not reproduced, it is the result)"""
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.uniform(-100, 100, 100_000), np.exp(rng.uniform(-700, 11, 50_000)), [7e4, -1e300]])
    result, exact = vml.tan(x), np.tan(x)
    assert np.all(np.abs(result - exact) <= np.spacing(np.abs(exact))) and np.array_equal(result[-2:], exact[-2:])
    got = vml.tan(np.array([0.0, -0.0, np.inf, -np.inf, np.nan]))
    assert got[:2].tolist() == [0, 0] and np.signbit(got[:2]).tolist() == [False, True]
    assert np.all(np.isnan(got[2:])) and np.signbit(got[2:4]).all()  # (inf: the default NaN, negative)


@on_measured_cpu
def test_double_tan_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: an ulp from numpy's (correctly rounded) values; and the digest of its
    results over the 65,536 double bit patterns of every exponent within MKL's short reduction and 65,536
    values in [-100, 100]."""
    x = torch.tensor([2.8736293958537047, -0.9141849598705658], dtype=torch.float64)
    assert x.tan().tolist() == [-0.27456662149684957, -1.297539585907196]
    spread = bit_patterns(np.float64)
    x = torch.tensor(np.concatenate([spread[~(np.abs(spread) > 65536)], np.linspace(-100, 100, 1 << 16)]))
    with np.errstate(all="ignore"):
        assert digest(x.tan().numpy()) == "bb12c038591082ee"


@on_measured_cpu
def test_double_erfc_rounds_as_torch_does(digest, bit_patterns):
    """Observed under torch 2.13: an ulp from the correctly rounded values, the subnormal results to the
    last (the rare path from 27.226 on: the smallest subnormal, then 0), NaNs quieted; and the digest of its
    results over 65,536 double bit patterns of every exponent and 65,536 values in [-6, 28]."""
    x = torch.tensor([2.6258591994420026, 5.074924208726179], dtype=torch.float64)
    assert x.erfc().tolist() == [0.0002043917037696901, 7.124380771162289e-13]
    x = torch.tensor([26.7, 27.0, 27.2, 27.226, 27.2261, float("inf"), -float("inf")], dtype=torch.float64)
    assert x.erfc().tolist() == [5.253110413596e-312, 5.23705e-319, 1e-323, 5e-324, 0, 0, 2]
    signaling = np.array([0x7FF0000000000001], np.uint64).view(np.float64)
    assert torch.tensor(signaling).erfc().numpy().view(np.uint64).tolist() == [0x7FF8000000000001]
    x = torch.tensor(np.concatenate([bit_patterns(np.float64), np.linspace(-6, 28, 1 << 16)]))
    with np.errstate(all="ignore"):
        assert digest(x.erfc().numpy()) == "e017aa84aaae6b81"
