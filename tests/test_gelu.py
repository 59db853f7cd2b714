"""GELU's erf form as torch runs it: oneDNN's kernels (shim/_cpu/onednn.py) and torch's own backward.
torch 2.13's outputs for a set of inputs, measured on an AMD EPYC (Zen 4) with torch's default oneDNN ISA
(avx512_core) and with ONEDNN_MAX_CPU_ISA=AVX2; and each oneDNN kernel's parts against the functions they
approximate (a mistyped table entry is off by far more)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import shim
from shim._cpu import onednn
from shim._cpu.capability import onednn_avx512


def _floats(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint32).view(np.float32)


# -5.542318, -5.6, 5.6, 0.5, -0.7, +-1e-30, +-0, +-3e38, +-inf, a subnormal, -2.25, 0.125, +-4, then 14 random
# values in [-6, 6]
X = _floats(
    0xC0B15AAB, 0xC0B33333, 0x40B33333, 0x3F000000, 0xBF333333, 0x0DA24260, 0x8DA24260, 0x00000000,
    0x80000000, 0x7F61B1E6, 0xFF61B1E6, 0x7F800000, 0xFF800000, 0x000116C2, 0xC0100000, 0x3E000000,
    0x40800000, 0xC0800000, 0xC07693FC, 0x3FD6E818, 0xBEC91A5A, 0xBFC6E944, 0xBFDED8D3, 0x405F1E36,
    0x409B9342, 0xC077CAF2, 0x3FEAAD6E, 0xC01AE74A, 0x40B35041, 0x40A138F3, 0x3FD0B293, 0x40421927,
)  # fmt: skip
# torch.nn.functional.gelu(X) (a contiguous float tensor: oneDNN), avx512_core
MINIMAX = _floats(
    0x80000000, 0x80000000, 0x40B33333, 0x3EB103AF, 0xBE2D7086, 0x0D224260, 0x8D224260, 0x00000000,
    0x80000000, 0x7F800000, 0x80000000, 0xFFC00000, 0x7FC00000, 0x00008B61, 0xBCE15244, 0x3D8CBBA5,
    0x407FFDEE, 0xB904A000, 0xB96B9F29, 0x3FCCE571, 0xBE0BA998, 0xBDBF4026, 0xBD91A045, 0x405F1038,
    0x409B933C, 0xB95B7B02, 0x3FE2D8A1, 0xBC99B605, 0x40B35041, 0x40A138F0, 0x3FC5F2EE, 0x4041DCF3,
)  # fmt: skip
# the same under ONEDNN_MAX_CPU_ISA=AVX2
ABRAMOWITZ_STEGUN = _floats(
    0xB4315AAB, 0x00000000, 0x40B33333, 0x3EB103AE, 0xBE2D7083, 0x0D224260, 0x8D224260, 0x00000000,
    0x00000000, 0x7F61B1E6, 0x00000000, 0x7F800000, 0xFFC00000, 0x00008B61, 0xBCE15220, 0x3D8CBBA5,
    0x407FFDEC, 0xB904E000, 0xB96BFBA0, 0x3FCCE570, 0xBE0BA999, 0xBDBF4026, 0xBD91A037, 0x405F1037,
    0x409B933C, 0xB95B5C08, 0x3FE2D8A2, 0xBC99B653, 0x40B35041, 0x40A138F0, 0x3FC5F2EF, 0x4041DCF3,
)  # fmt: skip
# X's gradient after gelu(X).backward(ones): either ISA
DERIVATIVE = _floats(
    0xB4F00000, 0xB4C00000, 0x3F800003, 0x3F5E1428, 0x3CBF93B0, 0x3F000000, 0x3F000000, 0x3F000000,
    0x3F000000, 0x3F800000, 0x00000000, 0xFFC00000, 0xFFC00000, 0x3F000000, 0xBD727100, 0x3F196659,
    0x3F801081, 0xBA040600, 0xBA61A000, 0x3F8EFB21, 0x3E4F07B6, 0xBE0040FC, 0xBDE4DB24, 0x3F806095,
    0x3F800073, 0xBA52D800, 0x3F8D2A42, 0xBD33A060, 0x3F800003, 0x3F800032, 0x3F8F720C, 0x3F816742,
)  # fmt: skip


def _grid(bit_patterns) -> np.ndarray:
    """65,536 bit patterns spread over every binade (NaNs and infinities too), then 65,536 values in [-8, 8]."""
    return np.concatenate([bit_patterns(np.float32), np.linspace(-8, 8, 1 << 16, dtype=np.float32)])


# the first 16 hex digits of sha256 over torch's results on _grid() (measured as X's values above):
# gelu forward (avx512_core, then avx2) and gelu(x).backward(ones)'s input gradient (either ISA)
GRID_DIGESTS = {"_gelu_minimax": "ff740c906538049f", "_gelu_abramowitz_stegun": "7dca2aa4d96ae5a6"}
GRID_DERIVATIVE_DIGEST = "38987c2e525a98a4"


def _same_bits(actual: np.ndarray, expected: np.ndarray) -> None:
    both_nan = np.isnan(actual) & np.isnan(expected)
    assert ((actual.view(np.uint32) == expected.view(np.uint32)) | both_nan).all(), (actual, expected)


@pytest.mark.parametrize(
    ("kernel", "expected"), [("_gelu_minimax", MINIMAX), ("_gelu_abramowitz_stegun", ABRAMOWITZ_STEGUN)]
)
def test_each_isas_forward_gives_torchs_bits(kernel, expected):
    with np.errstate(all="ignore"):
        _same_bits(getattr(onednn, kernel)(X.copy()), expected)


@pytest.mark.parametrize("kernel", sorted(GRID_DIGESTS))
def test_each_isas_forward_gives_torchs_bits_over_every_binade(kernel, digest, bit_patterns):
    with np.errstate(all="ignore"):
        assert digest(getattr(onednn, kernel)(_grid(bit_patterns))) == GRID_DIGESTS[kernel]


def test_backward_gives_torchs_bits_over_every_binade(digest, bit_patterns):
    x = _grid(bit_patterns)
    with np.errstate(all="ignore"):
        assert digest(onednn.gelu_erf_backward(x, np.ones_like(x))) == GRID_DERIVATIVE_DIGEST


def test_backward_gives_torchs_bits_times_the_gradient():
    grad = np.linspace(-2, 2, X.size, dtype=np.float32)
    with np.errstate(all="ignore"):
        _same_bits(onednn.gelu_erf_backward(X.copy(), np.ones_like(X)), DERIVATIVE)
        _same_bits(onednn.gelu_erf_backward(X.copy(), grad), grad * DERIVATIVE)


def test_gelu_takes_onednn_for_a_contiguous_float_input_of_two_elements_or_more():
    expected = MINIMAX if onednn_avx512() else ABRAMOWITZ_STEGUN
    x = shim.tensor(X, requires_grad=True)
    y = shim.nn.functional.gelu(x)
    _same_bits(y.detach().numpy(), expected)
    y.backward(shim.ones_like(x))
    _same_bits(x.grad.numpy(), DERIVATIVE)
    # strided, or a single element: torch's own kernel (x/2 (1 + erf(x / sqrt 2)), glibc's erff): near -5.54
    # its 1 + erf leaves one ulp of float below 1, not oneDNN's zero
    single = shim.nn.functional.gelu(shim.tensor(X[:1])).item()
    assert math.isclose(single, -5.542318 / 2 * 2.0**-24, rel_tol=1e-6)
    strided = shim.nn.functional.gelu(shim.tensor(np.repeat(X[:1], 2))[::2]).item()
    assert strided == single


def test_the_minimax_polynomials_are_erf_in_every_interval():
    # each of the 24 polynomials over its own inputs (the exponent and top mantissa bits pick it)
    x = np.float32(2) ** np.linspace(-30, 3, 20_000, dtype=np.float32)
    x = np.concatenate([x, np.linspace(1e-3, 8, 20_000, dtype=np.float32)])
    erf = 2 * onednn._gelu_minimax(x).astype(np.float64) / x - 1
    exact = np.array([math.erf(v / math.sqrt(2)) for v in x.astype(np.float64)])
    ok = np.abs(erf - exact) <= 4e-7 + 4e-7 * exact  # (x (1 + erf) / 2 rounds twice)
    assert ok.all(), x[~ok][:5]
    index = np.clip(((x.view(np.int32) + np.int32(-0x3DE00001)) >> 21), 1, 24)
    index[x > onednn._RBOUND] = 23
    assert set(np.unique(index)) == set(range(1, 24))  # (24 is a NaN's)


def test_exp_is_close_and_flushes_where_two_to_the_n_minus_1_is_not_normal():
    # (one float ln 2 in the argument's reduction: the error grows with n, to about 3 ulps at the top)
    x = np.linspace(-86.9, 88.7, 100_001, dtype=np.float32)
    got, exact = onednn._exp(x).astype(np.float64), np.exp(x.astype(np.float64))
    assert (np.abs(got - exact) <= 5e-7 * exact).all()
    # n = floor(x log2(e) + 1/2) <= -126 makes 2**(n-1) an exponent field of 0: zero, as below ln FLT_MIN
    assert (onednn._exp(np.array([-87.0, -87.3, -87.4, -100, -np.inf], np.float32)) == 0).all()


def test_abramowitz_stegun_erf_and_the_derivative_are_close_to_exact():
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    erf, q = onednn._erf_abramowitz_stegun(x)
    # (7.1.26's error is 1.5e-7, float steps add to it; exp(-x**2) inherits x*x's rounding, times x**2)
    assert np.allclose(erf, [math.erf(v) for v in x.astype(np.float64)], rtol=0, atol=5e-7)
    assert np.allclose(q, np.exp(-(x.astype(np.float64) ** 2)), rtol=4e-6, atol=1e-30)
    d = onednn.gelu_erf_backward(x, np.ones_like(x)).astype(np.float64)
    x64 = x.astype(np.float64)
    exact = 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x64])) + x64 * np.exp(-(x64**2) / 2) / math.sqrt(
        2 * math.pi
    )
    assert np.allclose(d, exact, rtol=0, atol=5e-7)


def test_gelus_own_backward_fuses_in_its_vector_loop_only(digest):
    """An input oneDNN does not take runs torch's GeluBackwardKernel: digests of torch 2.13's input gradients
    for 1,000 values in [-6, 6] as a transposed 2 x 500 (the vector loop: Vectorized erf, Sleef's expf, the
    last multiply-add fused) and strided by two (the scalar loop: glibc's erff and expf, unfused)."""
    rows = shim.tensor(np.linspace(-6, 6, 1000, dtype=np.float32).reshape(2, 500), requires_grad=True)
    y = shim.nn.functional.gelu(rows.t())
    y.backward(shim.ones_like(y))
    assert digest(rows.grad.numpy()) == "95ff2f9e92e18d5b"
    rows.grad = None
    shim.nn.functional.gelu(rows[:, ::2]).sum().backward()
    assert digest(rows.grad.numpy()) == "caca282ba48e6cb4"


def test_the_tanh_forms_backward_fuses_its_three_inner_multiply_adds(digest):
    """torch's GeluBackwardKernel, tanh form: digests of torch 2.13's input gradients of gelu(x).sum() for
    1,001 values in [-6, 6] (992 in the vector loop with Sleef's tanhf, 9 in the scalar loop with glibc's)
    and for every second of them (the scalar loop throughout)."""
    x = shim.tensor(np.linspace(-6, 6, 1001, dtype=np.float32), requires_grad=True)
    shim.nn.functional.gelu(x, approximate="tanh").sum().backward()
    assert digest(x.grad.numpy()) == "ca81bf8dba962cc5"
    x.grad = None
    shim.nn.functional.gelu(x[::2], approximate="tanh").sum().backward()
    assert digest(x.grad.numpy()) == "e75525eae3b8b69e"


@pytest.mark.parametrize(("form", "forward", "derivative"), [
    ("none", "cd03bd61f0d41c2a", "8ffbbea8904cc141"),
    ("tanh", "c10d9d9003ea3655", "67e319583504df74"),
])  # fmt: skip
def test_half_gelu_is_its_float_kernel_rounded_once_on_every_half(form, forward, derivative, digest):
    """torch's reduced-float GELU kernels (half computed in float, rounded once; the erf form's backward with
    its last multiply-add unfused in the vector loop): digests of torch 2.13's results and gradients over all
    65,536 halves, contiguous (64-element vector blocks, then the scalar loop's tail)."""
    x = shim.tensor(np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16), requires_grad=True)
    y = shim.nn.functional.gelu(x, approximate=form)
    y.backward(shim.ones_like(y))
    assert (digest(y.detach().numpy()), digest(x.grad.numpy())) == (forward, derivative)
