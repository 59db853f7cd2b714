"""What the suite's random runs found (issue #16), pinned without torch: each expected value was observed
under torch 2.13 (CPU) when the divergence was fixed.  A seeded Hypothesis run writes no example database,
so these findings are kept here for the ci profile's runs, which may never draw them again."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import shim as torch


def _signs(t) -> list[bool]:
    return np.signbit(t.detach().numpy()).reshape(-1).tolist()


def test_lerp_fuses_a_product_below_the_subnormals():
    """explore 4040: fma(0.375, 2u, -u) is -0.25u before rounding, so -0 (a rounded product gives +0)."""
    start, end = torch.tensor([-5e-324, 0.0], dtype=torch.float64), torch.tensor([5e-324, 0.0], dtype=torch.float64)
    assert _signs(torch.lerp(start, end, 0.375)) == [True, False]


def test_logaddexp2_fuses_its_multiply_add():
    """explore 4040: logaddexp2(-1, -1) = fma(log1p(1), 1/ln 2, -1): -1.06e-08 in float32, -0 in half."""
    assert torch.logaddexp2(torch.tensor(-1.0), torch.tensor(-1.0)).item() == -1.0601922895148164e-08
    half = torch.logaddexp2(torch.tensor(-1.0, dtype=torch.float16), torch.tensor(-1.0, dtype=torch.float16))
    assert _signs(half) == [True]


def test_logsumexp_sums_half_in_float():
    """explore 4040: a strided half reduction accumulates in float and rounds once."""
    x = torch.tensor([[0.0, -2.0], [-2.0, -2.0], [-2.0, -2.0]], dtype=torch.float16)
    assert torch.logsumexp(x, 0).tolist() == [0.2393798828125, -0.9013671875]


def test_tensor_checks_numpy_floats_as_python_floats():
    """explore 4040 (and default run 808): np.float64 is a Python float, converted with torch's overflow check
    as it is stored, before a later element's nesting is looked at."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data in ([np.array([256.0]), []], [np.array([256.0]), False], [np.float64(-1.0)]):
            with pytest.raises(RuntimeError, match="value cannot be converted to type uint8 without overflow"):
                torch.tensor(data, dtype=torch.uint8)
        assert torch.tensor([np.float64(2.5)], dtype=torch.int8).tolist() == [2]


def test_addbmm_inplace_resize_copy_checks_overlap():
    """default run 1818: addbmm_ into a strided self it resizes copies self's old values in with
    TensorIterator's overlap check (a strided one-element self overlaps its resized self partly)."""
    a = torch.zeros(1, 1, 1, dtype=torch.uint8)
    with pytest.raises(RuntimeError, match="some elements of the input tensor and the written-to tensor"):
        torch.zeros(2, dtype=torch.uint8)[::2].addbmm_(a, a, beta=1, alpha=-0.5)
    with pytest.raises(RuntimeError, match="without overflow"):  # (an expanded source is too hard to judge)
        b1, b2 = torch.zeros(1, 2, 1, dtype=torch.uint8), torch.zeros(1, 1, 2, dtype=torch.uint8)
        torch.zeros(4, dtype=torch.uint8)[::2].addbmm_(b1, b2, beta=1, alpha=-0.5)


def test_view_strides_of_size_one_dims_follow_compute_stride():
    """default run 1818: a one-element strided tensor viewed as (1, 1) keeps its stride (torch's computeStride)."""
    b = torch.zeros(2)[::2]
    assert b.view(1, 1).stride() == (2, 2) and b.reshape(1, 1, 1).stride() == (2, 2, 2)
    assert b.view(1, 1).copy_(b.expand(1, 1)).tolist() == [[0.0]]  # (the same data: no overlap error)


@pytest.mark.parametrize("dilation", [1, 2])
def test_single_product_convolution_signs(dilation):
    """default run 1818: a -1 weight over zero padding gives -0 on torch's gemm path, +0 on its dilated one."""
    w = -torch.ones(2, 1, 1, dtype=torch.float64)
    y = torch.nn.functional.conv1d(torch.ones(1, 3, dtype=torch.float64), w, padding=1, dilation=dilation)
    zeros = y.detach().numpy()[y.detach().numpy() == 0]
    assert set(np.signbit(zeros).tolist()) == {dilation == 1}


def test_index_put_warns_expanded_before_uint8():
    """default run 1818: torch's index_put_ warns about the expanded self, then expandTensors about uint8."""
    x = torch.tensor([[False]]).expand(1, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x[torch.tensor([0]), torch.tensor([True, False], dtype=torch.uint8)] = torch.tensor(False)
    assert [str(w.message)[:12] for w in caught] == ["Use of index", "indexing wit"]


def test_histogram_range_takes_the_first_of_equal_extremes():
    """explore 5050: histogram's range comes from aminmax over dim 0, which keeps the first of equal extremes
    (the first zero's sign); linspace's first edge start + 0 * step turns -0 into +0."""
    x = torch.tensor([0.0, -0.0, -1.0])
    assert _signs(torch.histogram(x, 1)[1]) == [True, False]
    assert _signs(torch.histogram(torch.tensor([-0.0, 0.0, -1.0]), 1)[1]) == [True, True]


def test_cholesky_of_an_empty_batch_keeps_any_dtype():
    """default run 2222: torch.cholesky of an empty batch never reaches the kernel's dtype check (a bool batch
    came back empty in torch and crashed inside numpy in the shim)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch.cholesky's deprecation)
        r = torch.cholesky(torch.zeros(0, 1, 1, dtype=torch.bool))
    assert r.dtype == torch.bool and tuple(r.shape) == (0, 1, 1)


def test_put_checks_dtypes_before_the_expanded_self():
    """default run 2323: put_ checks index and source first, self's internal overlap after them."""
    with pytest.raises(RuntimeError, match="self and source expected to have the same dtype"):
        torch.tensor([False]).expand(2).put_(torch.tensor([], dtype=torch.int64), torch.tensor([], dtype=torch.int64))
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        torch.zeros(1).expand(2).put_(torch.tensor([0]), torch.tensor([1.0]))


def test_constant_pad_without_positive_pads_clones_the_narrowed_input():
    """explore 7070: F.pad(x, (0, 0)) of a transposed x keeps its layout (torch returns c_input.clone())."""
    x = torch.arange(12.0).reshape(3, 4).t()
    assert torch.nn.functional.pad(x, (0, 0)).stride() == (1, 4)
    assert torch.nn.functional.pad(x, (0, -1)).stride() == (1, 4)
    assert torch.nn.functional.pad(x, (1, 0)).stride() == (4, 1)


def test_ldexp_computes_the_power_in_the_exponents_own_dtype():
    """explore 8080: ldexp(x, e) is x * pow(2., e), and pow(2., e) keeps a float e's dtype: a float32 2 ** 128
    is inf, so a double 0 * inf is NaN.  A complex x with an integral e is that product too (not C's ldexp,
    which crashed inside numpy)."""
    r = torch.ldexp(torch.zeros(2, dtype=torch.float64), torch.tensor([128.0]))
    assert r.dtype == torch.float64 and r.isnan().all()
    assert torch.ldexp(torch.ones(1, dtype=torch.float64), torch.tensor([128.0])).isinf().all()
    c = torch.ldexp(torch.tensor([1.5 + 0j]), torch.tensor([1], dtype=torch.int32))
    assert c.dtype == torch.complex64 and c.tolist() == [3 + 0j]


def test_lu_solve_checks_its_pivots_before_the_kernels_dtype():
    """explore 9191: lu_solve_kernel checks that the pivots lie in [1, n] before its dtype dispatch (a half LU
    with a pivot of 2 is the pivots' error); out-of-range pivots crashed inside numpy or were accepted (0).
    An empty result returns before those checks."""
    LU, B = torch.tensor([[2.0]]), torch.ones(1, 1)
    for pivot, words in ((2, "smaller or equal to LU.size"), (0, "greater or equal to 1"), (-1, "greater or equal")):
        with pytest.raises(RuntimeError, match=f"Pivots given to lu_solve must all be {words}"):
            torch.linalg.lu_solve(LU, torch.tensor([pivot], dtype=torch.int32), B)
    with pytest.raises(RuntimeError, match="smaller or equal"):
        torch.linalg.lu_solve(LU.half(), torch.tensor([2], dtype=torch.int32), B.half())
    assert torch.linalg.lu_solve(LU, torch.tensor([2], dtype=torch.int32), torch.ones(1, 0)).shape == (1, 0)


def test_isclose_keeps_the_layout_of_self_equal_other():
    """explore 9292: isclose is `self == other` (laid out by its iterator, so after a transposed operand)
    updated in place; the shim's updates made new C-ordered arrays."""
    a, b = torch.zeros(2, 2, 5, 5, dtype=torch.int32).transpose(-1, -2), torch.zeros(1, 5, 5, dtype=torch.int32)
    assert torch.isclose(a, b).stride() == (50, 25, 1, 5)
    assert torch.isclose(a.double(), b.double(), equal_nan=True).stride() == (50, 25, 1, 5)


def test_complex_log1p_keeps_small_values_and_logcumsumexp_its_branch():
    """default 3737: complex log1p is c10's (numpy's log(1 + z) lost log1p(1e-17) to 0), so logcumsumexp's
    running maximum by real part, and with it the branch of the angle, are torch's."""
    z = torch.tensor([1e-17 + 0j, 1e-9 + 1e-9j], dtype=torch.complex64)
    assert torch.log1p(z).real.tolist() == pytest.approx([1e-17, 1e-9], rel=1e-6)
    x = torch.tensor([[0j], [-37 + 0j], [4j]], dtype=torch.complex64)
    assert torch.logcumsumexp(x, 0)[2, 0].imag.item() == pytest.approx(-1.1416, abs=1e-4)


@pytest.mark.parametrize("avx512, negative", [(True, True), (False, False)])
def test_gelu_of_negative_zero_follows_onednns_kernel(monkeypatch, avx512, negative):
    """explore 9393 (default run 1212 on an AVX2 machine): torch hands a contiguous float32 tensor to
    oneDNN's gelu_erf, whose avx2 kernel makes gelu(-0) +0 and whose avx512_core kernel keeps -0 (torch
    2.13 under ONEDNN_MAX_CPU_ISA=AVX2 and AVX512_CORE on an Intel Xeon); a single element is torch's own."""
    import shim.nn.functional as F
    from shim._cpu import onednn

    monkeypatch.setattr(onednn, "onednn_avx512", lambda: avx512)
    assert _signs(F.gelu(torch.full((5,), -0.0))) == [negative] * 5
    assert _signs(F.gelu(torch.full((1,), -0.0))) == [True]


def test_addcdiv_refuses_complex_half_after_its_output_checks():
    """explore 9494 (seed 9506 of addc_forms): addcdiv's kernel has no ComplexHalf (addcmul has); the
    out= form's autograd, cast and shape checks come first."""
    a, t = torch.zeros((), dtype=torch.complex64), torch.zeros(1, dtype=torch.float16)
    with pytest.raises(NotImplementedError, match="\"addcdiv_cpu_out\" not implemented for 'ComplexHalf'"):
        torch.addcdiv(a, t, t)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Half"):
        torch.addcdiv(a, t, t, out=torch.empty(1, dtype=torch.float16))
    assert torch.addcmul(a, t, t).dtype is torch.complex32


def test_addcmul_lays_out_inputs_of_another_dtype_as_their_converted_copies():
    """explore 9494 (seed 9520 of addc_forms): an expanded int8 self promoted to int16 is copied densely
    (C order) before the layout is chosen, so a transposed bool tensor1 does not decide it."""
    a = torch.zeros((3, 1, 1, 3), dtype=torch.int8).expand(3, 1, 5, 3)
    t1 = torch.zeros((3, 5), dtype=torch.bool).t()
    assert torch.addcmul(a, t1, torch.zeros(1, dtype=torch.uint8)).stride() == (15, 15, 3, 1)


def test_kron_views_its_product_as_torch_does():
    """A local Hypothesis database replayed in a ci run: torch's kron views the outer product (a view, not a
    reshape), so a product laid out after a transposed operand cannot be viewed; out= views out instead."""
    with pytest.raises(RuntimeError, match="view size is not compatible with input tensor's size and stride"):
        torch.kron(torch.zeros(2), torch.zeros(2, 2).t())
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        torch.kron(torch.zeros(2, 2).t(), torch.zeros(2))
    assert torch.kron(torch.zeros(2, 2), torch.zeros(2)).shape == (2, 4)
    assert torch.kron(torch.zeros(2), torch.zeros(2, 2).t(), out=torch.empty(2, 4)).stride() == (4, 1)


def test_lstsq_gels_gives_residuals_for_no_right_hand_sides():
    """default run 4848: gels (unlike gelsd/gelss, which need full rank) always sums the extra rows' squares:
    a batch of tall systems with no right-hand sides has residuals of shape (batch, 0)."""
    solution, residuals, _, _ = torch.linalg.lstsq(torch.rand(1, 3, 2), torch.rand(1, 3, 0), driver="gels")
    assert solution.shape == (1, 2, 0) and residuals.shape == (1, 0)
    assert torch.linalg.lstsq(torch.zeros(3, 2), torch.rand(3, 1), driver="gels").residuals.shape == (1,)


def test_baddbmm_inplace_on_overlapping_self_reads_each_earlier_write():
    """default run 5151: under 400 multiply-adds torch's own loop writes an expanded self element after
    element, each reading what the ones before wrote (all the batches, not batch by batch); at 400 or more,
    or with nothing to contract (a mul_ by beta), the overlap is refused."""
    s = torch.zeros((1, 1, 1), dtype=torch.uint8).expand(2, 1, 2)
    s.baddbmm_(torch.ones(2, 1, 1, dtype=torch.uint8), torch.ones(2, 1, 2, dtype=torch.uint8))
    assert s.tolist() == [[[4, 4]], [[4, 4]]]
    big = torch.zeros((1, 1, 1)).expand(2, 10, 10)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        big.baddbmm_(torch.ones(2, 10, 4), torch.ones(2, 4, 10))
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        torch.zeros((1, 1, 1)).expand(2, 1, 3).baddbmm_(torch.ones(2, 1, 0), torch.ones(2, 0, 3))
    empty = torch.ones((1, 1, 1)).expand(2, 1, 3).baddbmm_(torch.ones(2, 1, 0), torch.ones(2, 0, 3), beta=0)
    assert empty.tolist() == [[[0.0] * 3]] * 2


def test_ldexp_raises_two_to_a_0d_exponent_in_the_base_torch_picks():
    """explore 9696: torch 2.13's ldexp multiplies self by pow(2, other), the base a 0-d tensor of self's dtype
    (for a half, double or complex self) or the number 2.0 (float or integral self): with a 0-d exponent the
    power is computed in their promoted dtype, so 2 ** 16 of a half exponent is 65536 beside a double self and
    inf beside a float one, and a half self times a double 2 ** 128 is 0 * inf."""
    e16 = torch.tensor(16.0, dtype=torch.float16)
    assert torch.ldexp(torch.ones(1, dtype=torch.float64), e16).item() == 65536
    assert torch.ldexp(torch.ones(1, dtype=torch.float32), e16).item() == math.inf
    assert torch.ldexp(torch.ones(1, dtype=torch.float64), torch.tensor([16.0], dtype=torch.float16)).item() == math.inf
    nan = torch.ldexp(torch.zeros(1, dtype=torch.float16), torch.tensor(128.0, dtype=torch.float64))
    assert math.isnan(nan.item()) and nan.dtype is torch.float16


def test_tensor_reads_numpy_complex_scalars_for_integers_by_index():
    """explore 9696: an integral tensor reads a numpy scalar by __index__, so np.complex128 (a Python complex)
    is refused with numpy's own type name, before a later item that is not a sequence; a bool tensor takes it."""
    with pytest.raises(TypeError, match="'numpy.complex128' object cannot be interpreted as an integer"):
        torch.tensor([np.array([0j]), False], dtype=torch.uint8)
    with pytest.raises(TypeError, match="not a sequence"):
        torch.tensor([np.array([1.5]), False], dtype=torch.uint8)
    assert torch.tensor([np.complex128(2j)], dtype=torch.bool).tolist() == [True]


def test_scatter_reduce_mean_of_bools_zeroes_the_written_positions_before_refusing():
    """explore 9797: with include_self=False, scatter_reduce_ first fills the positions it writes with the
    reduction's identity (an internal fill: the version stays), and only then does the kernel's dtype
    dispatch refuse a bool mean."""
    x = torch.tensor([True, True, False])
    with pytest.raises(NotImplementedError, match="scatter_gather_tensor_cpu_reduce_mean"):
        x.scatter_reduce_(0, torch.tensor([0, 0, 0]), torch.ones(3, dtype=torch.bool), "mean", include_self=False)
    assert x.tolist() == [False, True, False] and x._version == 0
    y = torch.tensor([True, True, False])
    with pytest.raises(NotImplementedError):
        y.scatter_reduce_(0, torch.tensor([0, 0, 0]), torch.ones(3, dtype=torch.bool), "mean")
    assert y.tolist() == [True, True, False]


def test_a_reduction_to_another_dtype_reduces_the_input_as_to_lays_it_out():
    """default 6565: make_reduction reduces `self.to(dtype)`, which copies an expanded input dense in torch's
    dim order; numpy's astype puts the stride-0 dim innermost, and a float64 product of 5 ** 44 then rounds
    differently (5.684341886080801e+30 against torch's ...802e+30)."""
    x = torch.tensor([[[1, 5, 5, 5], [5, 5, 5, 5], [5, 5, 5, 5]]], dtype=torch.uint8).expand(4, 3, 4)
    assert x.prod(dtype=torch.float64).item() == 5.684341886080802e30 == x.contiguous().prod(dtype=torch.float64).item()
    y = torch.tensor([[0.1, 0.7, 1e8]]).expand(3, 3)
    assert y.mean(dtype=torch.float64).item() == y.contiguous().mean(dtype=torch.float64).item()


def test_half_products_round_each_step_to_half():
    """found beside default 6565: torch's prod of Half multiplies in float and rounds every product to half
    (binary_kernel_reduce_vec over Half), in its vector order; numpy's float16 reduce keeps a float accumulator."""
    values = [2.732421875, -1.330078125, 0.703125]
    each = np.float16(np.float16(np.float16(values[0]) * np.float16(values[1])) * np.float16(values[2]))
    assert each != np.float16(np.prod(np.array(values, np.float32)))  # the two orders differ here
    assert torch.tensor([values], dtype=torch.float16).prod(-1).item() == float(each)
    # a full reduction that does not coalesce (an expanded input) walks rows into one accumulator
    pair = torch.tensor([[1.3232421875, 1.5732421875]], dtype=torch.float16).expand(3, 2)
    assert pair.prod().item() == pair.contiguous().prod().item() == 9.03125


def test_hfft_lays_out_an_expanded_input_as_its_resolved_conjugate():
    """explore 10303: hfft conjugates lazily and _fft_c2r resolves the conjugate into a clone, so an expanded
    input's result has its batch dims in the clone's dense order: (24, 1, 6), where the expanded strides
    sorted the stride-0 dim innermost ((6, 1, 12)); irfft takes no copy and keeps (6, 1, 12)."""
    x = torch.ones(1, 4, 4, dtype=torch.complex64).expand(2, 4, 4)
    assert torch.fft.hfft(x, dim=1).stride() == (24, 1, 6)
    assert torch.fft.irfft(x, dim=1).stride() == (6, 1, 12)


def test_half_softmax_along_an_outer_dim_divides_float_exps_in_whole_vectors():
    """default 7171: _vec_softmax (a dim other than the last) splits the outer x inner columns between the
    threads; whole vectors of columns (32 halves on AVX512, 16 on AVX2) divide Sleef's float exp by the sum,
    and only the columns left over store exp as half before dividing: exp(-2) / (1 + exp(-2)) is 0.1192 in a
    vector and 0.11926 in the tail (the shim stored every exp as half)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        x = torch.full((2, 75), 2.0, dtype=torch.float16)
        x[1, 0] = x[1, 72] = 0
        y = torch.softmax(x, 0)
    finally:
        torch.set_num_threads(threads)
    assert (y[1, 0].item(), y[1, 72].item()) == (0.11920166015625, 0.1192626953125)


def test_half_scatter_reductions_accumulate_in_float_and_round_once():
    """explore 10303: torch's CPU scatter kernels reduce a Half self in a float copy and round once: three
    0.5s scattered into 1024 give 1026 (1025.5 rounds to even), where rounding each step keeps 1024.  mean
    divides the rounded sum by the counts in half.  index_add is scatter_add from 2 dims along the first or
    last dim (alpha 1, an int64 index), and adds slice by slice otherwise."""
    half = torch.float16
    src, idx = torch.full((3,), 0.5, dtype=half), torch.tensor([0, 0, 0])
    one = torch.tensor([1024.0, 7.0], dtype=half)
    assert one.scatter_add(0, idx, src)[0].item() == 1026
    assert one.scatter_reduce(0, idx, src, "sum")[0].item() == 1026
    assert one.scatter(0, idx, 0.5, reduce="add")[0].item() == 1026
    assert one.index_add(0, idx, src)[0].item() == 1024  # (1-d: slice by slice)
    rows = torch.tensor([[1024.0, 7.0]], dtype=half).expand(2, 2).contiguous()
    assert rows.index_add(0, torch.tensor([0, 0, 0]), torch.full((3, 2), 0.5, dtype=half))[0, 0].item() == 1026
    values = torch.tensor([1024.0, 0.5, 0.25], dtype=half)
    mean = torch.zeros(2, dtype=half).scatter_reduce(0, idx, values, "mean", include_self=False)
    assert mean[0].item() == 341.75  # 1024.75 rounds to 1025 before the division by 3 (341.5 from 1024.75)


def test_index_add_names_its_bad_index_only_where_it_scatters():
    """found beside explore 10303: along a middle dim torch's index_add adds slice by slice and raises
    IndexError; along the first or last dim it is scatter_add_ (RuntimeError naming the index), which has
    added only the first row's elements before the bad one along the last dim, and nothing for Half."""
    x = torch.zeros(2, 3, 4)
    with pytest.raises(IndexError, match="index out of range in self"):
        x.index_add(1, torch.tensor([0, 9]), torch.ones(2, 2, 4))
    y = torch.zeros(4, 3)
    with pytest.raises(RuntimeError, match="index 9 is out of bounds for dimension 1 with size 3"):
        y.index_add_(1, torch.tensor([0, 9, 1]), torch.ones(4, 3))
    assert y.sum().item() == 1
    h = torch.zeros(3, 4, dtype=torch.float16)
    with pytest.raises(RuntimeError):
        h.index_add_(0, torch.tensor([0, 9, 1]), torch.ones(3, 4, dtype=torch.float16))
    assert h.sum().item() == 0


def test_half_index_reduce_prod_of_one_element_slices_fails_at_its_second_index():
    """found beside explore 10303 (torch 2.13's own failure, reproduced): index_reduce "prod" of Half from 2
    dims, each slice one element, writes the first product and then fails inside its reused iterator."""
    x = torch.full((2, 1), 3.0, dtype=torch.float16)
    with pytest.raises(RuntimeError, match="INTERNAL ASSERT FAILED"):
        x.index_reduce_(0, torch.tensor([1, 0]), torch.full((2, 1), 2.0, dtype=torch.float16), "prod")
    assert x.tolist() == [[3.0], [6.0]] and x._version == 0
    y = torch.full((2, 2), 3.0, dtype=torch.float16)  # (slices of two elements: no failure)
    y.index_reduce_(0, torch.tensor([1, 1]), torch.full((2, 2), 2.0, dtype=torch.float16), "prod")
    assert y.tolist() == [[3.0, 3.0], [12.0, 12.0]]


def test_a_gradient_formula_promotes_a_0d_tensor_as_torch_does():
    """default 7272: xlogy(half [1.], float32 0-d 3.) backward: other's gradient g * self / other is a half
    product divided by a 0-d float tensor, which stays half in torch (0.333251953125 once cast back to
    float32); numpy's promotion made the quotient float32 (0.3333333432674408)."""
    x = torch.tensor([1.0], dtype=torch.float16)
    other = torch.tensor(3.0, requires_grad=True)
    torch.special.xlogy(x, other).backward(torch.ones(1, dtype=torch.float16))
    assert other.grad.dtype == torch.float32 and other.grad.item() == 0.333251953125


def test_the_gradient_of_a_view_grown_past_its_base_is_refused_as_torch_refuses_it():
    """default 7474 (and the worker aborts of earlier runs: "free(): invalid next size"): addbmm_ resizes a
    view of a (2, 3) base to (3, 3); backward through the base (CopySlices) or the view (AsStridedBackward0)
    takes the view's elements from a buffer of the base's extent, which torch's as_strided refuses, and
    which numpy wrote past, corrupting the heap."""
    message = "setStorage: sizes \\[3, 3\\], strides \\[3, 1\\], storage offset 0, and itemsize 4 requiring a storage"
    base = torch.zeros(2, 3, requires_grad=True).clone()
    view = base[0]
    view.addbmm_(torch.ones(1, 3, 2), torch.ones(1, 2, 3))
    assert view.shape == (3, 3)
    with pytest.raises(RuntimeError, match=message + " size of 36 are out of bounds for storage of size 24"):
        base.sum().backward()
    with pytest.raises(RuntimeError, match=message):
        view.sum().backward()


def test_chebyshev_polynomials_take_the_c_librarys_trigonometry():
    """explore 10606: shifted_chebyshev_polynomial_v(0.0625, 11) in float32 is cos(11.5 t) / cos(t / 2) with
    t = acos(2x - 1), ill-conditioned near a zero of the cosine: glibc's acosf and cosf give 1.8170323371887207
    (torch's scalar kernel calls them), numpy's float32 functions 1.8170467615127563 (121 ulps away)."""
    x = torch.tensor(0.0625)
    assert torch.special.shifted_chebyshev_polynomial_v(x, torch.tensor(11.0)).item() == 1.8170323371887207


def test_half_xlogy_rounds_the_log_to_half_before_the_product():
    """found beside explore 10606 (special_xlog1py's gradient): torch's Half xlogy and xlog1py compute
    x * log(y) with c10's Half std::log, which returns a Half, so the log is rounded before the product (25 %
    of 20,000 random halves differed when both were computed in float)."""
    y = torch.tensor([1.0], dtype=torch.float16)
    assert torch.special.xlog1py(torch.tensor([-1.25], dtype=torch.float16), y).item() == -0.86669921875
    x = torch.tensor(1.0, requires_grad=True)
    r = torch.special.xlog1py(x, torch.ones(4, dtype=torch.float16))
    r.backward(torch.tensor([1.0, 1.75, -2.0, -1.25], dtype=torch.float16))
    assert x.grad.item() == -0.34716796875


def test_xlogy_gradients_promote_as_torch_and_take_the_c_librarys_log():
    """explore 555 of the special cases: xlogy(half x, int16 other) backward: the gradient xlogy(grad, other)
    stays half (numpy's promotion of half with int16 is float32, whose unrounded products summed to
    -1.93359375, torch's to -1.9375); float32's log is glibc's logf, as in torch's scalar kernel."""
    x = torch.zeros(2, dtype=torch.float16, requires_grad=True)
    other = torch.tensor([[126], [0], [0], [32767]], dtype=torch.int16)
    r = torch.special.xlogy(x, other)
    r.backward(torch.tensor([[1.0, 1.75], [-2.0, -1.25], [-1.25, -0.25], [0.25, -1.0]], dtype=torch.float16))
    assert x.grad.tolist() == [7.4375, -1.9375]


def test_complex_gradients_keep_sgn_in_a_graph_and_mixed_zero_d_operands_keep_numpys_rules():
    """explore 10707: norm(p=1) of an empty complex tensor failed in backward after 6f8e52a sent mixed 0-d
    operands to the tensor formulas, whose `sign` was torch.sign (which refuses complex); the tensor
    namespace's sign is sgn now (as the array one always was), so create_graph works for complex too, and
    the fallback is limited to a real 0-d operand wider than the dimensioned ones."""
    x = torch.zeros(0, dtype=torch.complex64, requires_grad=True)
    torch.norm(x, p=1).backward()
    assert x.grad.shape == (0,)
    z = torch.tensor([1 + 2j, -3j], dtype=torch.complex64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.norm(z, p=1), z, create_graph=True)
    assert g.requires_grad and torch.allclose(g.detach(), torch.tensor([0.4472136 + 0.8944272j, -1j]))


def test_householder_product_refuses_an_empty_integral_input_as_its_kernel_does():
    """default 8282: orgqr (householder_product) of an empty bool tensor: torch dispatches its kernel for an
    empty input too ("orgqr_cpu" not implemented for 'Bool'); the shim went on and failed inside numpy."""
    with pytest.raises(NotImplementedError, match="\"orgqr_cpu\" not implemented for 'Bool'"):
        torch.orgqr(torch.zeros(0, 1, 1, dtype=torch.bool), torch.zeros(0, 1, dtype=torch.bool))
    assert torch.linalg.householder_product(torch.zeros(2, 0, 0), torch.zeros(2, 0)).shape == (2, 0, 0)


def test_half_nansum_stores_each_partial_into_the_half_output():
    """explore 10808: `x[:1].expand(3, 10).nansum()` of half.  torch's nansum runs cascade_sum<Half> on the
    input's own layout (no float copy, unlike sum): each row's float partial is stored as
    `*out += Half(partial)`, rounded to half and again after the add (26.3125 if rounded once)."""
    row = torch.tensor([0.05, 3.09, 1.09, -1.01, -0.37, 1.08, 3.87, -0.54, -0.49, 2.0], dtype=torch.float16)
    assert row[None].expand(3, 10).nansum().item() == 26.296875
    assert row[None].expand(3, 10).sum().item() == 26.3125  # sum reduces a float copy here


def test_half_sum_adds_the_two_halves_of_a_vector_lane_by_lane():
    """A Half vector of 16 elements is loaded as two float vectors and added, so lane 0 holds elements 0 and
    8: 1 + 2**-11 (a half midpoint) plus two 2**-24 that meet first and push it up.  Summed as a float
    copy, each 2**-24 is lost alone and the midpoint rounds to even, 1.0."""
    a = torch.zeros(32, dtype=torch.float16)
    a[0], a[8], a[16], a[24] = 1.0, 2.0**-11, 2.0**-24, 2.0**-24
    assert a.sum().item() == a.nansum().item() == 1.0009765625


def test_a_threaded_full_sum_of_strided_memory_follows_torchs_two_passes():
    """A full reduction over one grain of memory that is not one run: each of torch's two threads sums its
    range of the iteration space in calls of the loop into its own slot (numpy's pairwise sum, the model
    before: -96.86765)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        g = torch.Generator().manual_seed(1)
        total = torch.randn(300, 300, generator=g)[:, ::2].sum().item()
    finally:
        torch.set_num_threads(threads)
    assert total == -96.86769104003906


def test_half_prod_along_a_strided_dim_of_an_expanded_tensor_rounds_every_product():
    """A fuzz of Half reductions beside the random runs: prod along a strided dim of an expanded tensor.
    torch multiplies in order, each product rounded to half; numpy's half reduce loop (which the model
    took along a dim it does not see as innermost) keeps a float accumulator (0.52392578125)."""
    row = torch.tensor(
        [
            0.59,
            0.74,
            1.3,
            1.08,
            0.59,
            0.93,
            0.98,
            0.66,
            1.23,
            0.61,
            0.89,
            1.02,
            0.93,
            1.09,
            1.24,
            1.46,
            0.78,
            1.15,
            1.2,
            0.79,
        ],
        dtype=torch.float16,
    )
    assert row[None].expand(3, 20)[:, ::2].prod(1).tolist() == [0.5244140625] * 3


def test_half_std_accumulates_in_double_and_rounds_through_float():
    """std/var of Half run WelfordOps with a double accumulator (WelfordData<double>), and the projected
    double becomes a Half through float: 11.453125 with a float accumulator."""
    v = torch.tensor([-5.37890625, 9.2578125, -12.078125, 8.34375, -17.484375, 6.3125], dtype=torch.float16)
    assert v.std().item() == 11.4453125


def test_variance_takes_the_elements_in_the_iterators_order():
    """var_mean over all elements of a transposed tensor: Welford walks the reduction's TensorIterator, in
    memory order (1.0018101205661034 in logical order).  var of an expanded, sliced tensor (std_var_all_cpu):
    the squares are summed per call of the loop, from 0, then added (9877.342692701322 in one running sum)."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(9, 38, dtype=torch.float64, generator=g).t()
    assert torch.var_mean(x)[0].item() == 1.0018101205661025
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        g = torch.Generator().manual_seed(0)
        y = (torch.randn(26, 35, dtype=torch.float64, generator=g) * 100 + 50)[None].expand(3, 26, 35)[:, :, ::2]
        value = y.var().item()
    finally:
        torch.set_num_threads(threads)
    assert value == 9877.342692701317


def test_vector_norm_follows_torchs_kernels():
    """A fuzz of norms beside the random runs.  A contiguous float row takes the vectorised p = 2 kernel:
    8 lanes of squares, the lanes added in order, then the 5 elements after the last vector, the first four
    as rounded products (GCC vectorised that loop), the last by a fused multiply-add (numpy's sum of squares:
    14.180910110473633).  Half accumulates its squares one by one in float (numpy's pairwise sum of the
    first 300 values of seed 140: 17.296875)."""
    v = torch.tensor([7.82, -0.68, 5.87, -0.52, -4.72, -2.42, -3.71, -1.09, -4.38, -2.73, 5.78, 0.75, 1.03])
    assert torch.linalg.vector_norm(v).item() == 14.180909156799316
    g = torch.Generator().manual_seed(140)
    assert torch.linalg.vector_norm(torch.randn(300, generator=g).half()).item() == 17.28125


def test_logcumsumexp_calls_the_c_librarys_exp_and_log1p():
    """A fuzz of Half reductions: logcumsumexp runs _log_add_exp_helper in float for half (double for
    float), std::log1p(std::exp(min - max)) + max: glibc's expf and log1pf, where numpy's float32 exp and
    log1p gave 2.056640625 at the fourth element."""
    v = torch.tensor([0.0643310546875, 0.77978515625, -1.599609375, 1.4765625, 1.6328125, 1.681640625,
                      -1.6572265625, 1.2685546875], dtype=torch.float16)  # fmt: skip
    assert torch.logcumsumexp(v, 0)[3].item() == 2.05859375


def test_dist_sums_its_terms_in_order():
    """explore 11010: dist(a, b, p=1) of 144 equal float32 differences: torch's NormOneOps adds |x| one by
    one in float (51.12395095825195); numpy's pairwise sum gave 51.124046325683594."""
    b = torch.full((4, 3, 3), 0.35502806305885315)
    assert torch.dist(torch.zeros(4, 1, 1, 1), b, 1).item() == 51.12395095825195


def test_pointwise_losses_are_laid_out_and_computed_as_torchs_kernels():
    """A fuzz of losses beside the random runs.  mse_loss of transposed inputs: the loss tensor takes
    TensorIterator's layout (transposed too), and its mean adds in that memory order (1.966404914855957
    from a C-contiguous loss).  binary_cross_entropy: the C library's logf and log1pf in a scalar loop
    (numpy's float32 log: 0.9311358332633972), and its backward divides by numel after the kernel
    (0.13695786893367767 when the mean's 1 / numel was multiplied in first)."""
    g = torch.Generator().manual_seed(2)
    a, b = torch.randn(22, 19, generator=g), torch.randn(22, 19, generator=g)
    assert torch.nn.functional.mse_loss(a.t(), b.t()).item() == 1.9664051532745361
    g = torch.Generator().manual_seed(8)
    torch.randn(22, 19, generator=g), torch.randn(22, 19, generator=g)  # (the search that found it drew these)
    p = (torch.rand(10, generator=g) * 0.98 + 0.01).requires_grad_()
    y = torch.rand(10, generator=g)
    loss = torch.nn.functional.binary_cross_entropy(p, y)
    loss.backward()
    assert (loss.item(), p.grad[0].item()) == (0.9311357736587524, 0.13695785403251648)


def test_variance_of_an_empty_input_over_a_dim():
    """explore 11111: std/var/std_mean of an empty (0, 0) half tensor over dim 0 give an empty result; the
    iterator-ordered rows first failed to reshape a 0-element array with an inferred size."""
    x = torch.zeros(0, 0, dtype=torch.float16)
    assert torch.std(x, 0).shape == (0,) and torch.std_mean(x, 0)[1].shape == (0,)


def test_half_addbmm_adds_each_batch_in_float_and_rounds_it():
    """explore 11212: addbmm of half is addmm_ per batch, each a gemm in float (beta * c + alpha * the dot)
    rounded to half before the next; the shim summed the batches' half products (-61.3125)."""
    a = torch.tensor([[[0.0], [12.25], [0.0]], [[0.0], [12.25], [0.0]]], dtype=torch.float16)
    b = torch.tensor([[[0.0, 5.75]], [[0.0, -10.75]]], dtype=torch.float16)
    assert torch.addbmm(torch.zeros(3, 2, dtype=torch.float16), a, b)[1, 1].item() == -61.25


def test_vector_norm_names_an_empty_dim_before_a_later_one_out_of_range():
    """A norm without an identity (negative or infinite order) over dims of an empty input: torch wraps and
    checks each dim in turn, so an empty dim 0 is named before dim 1, out of range, is reached (the shim
    first wrapped them all: IndexError).  Found by a random draw of linalg_norms_and_products."""
    x = torch.zeros(0)
    with pytest.raises(RuntimeError, match="cannot compute the -2 norm on the dimension 0because this dimension"):
        torch.linalg.vector_norm(x, ord=-2, dim=(0, 1))
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1"):
        torch.linalg.vector_norm(x, ord=-2, dim=(1, 0))


def test_layer_norm_gradient_of_negative_zeros_keeps_torchs_signs():
    """A fuzz of the normalisation kernels with special values: torch's vec::reduce_all starts from the first
    vector, so a row of -0 gradients sums to -0 (db), and layer_norm's input gradient comes out +0; numpy's
    add.reduce starts from +0 and made db +0, and half the input gradient -0."""
    x = torch.linspace(-0.001, 0.002, 27).reshape(1, 27).requires_grad_()
    y = torch.nn.functional.layer_norm(x, (27,), torch.ones(27), torch.zeros(27), 0.0)
    y.backward(torch.full((1, 27), -0.0))
    assert not torch.signbit(x.grad).any()


def test_the_svd_of_a_matrix_of_zeros_is_identities():
    """A random draw of linalg_norms_and_products: the nuclear norm of [[-0+0j]] has gradient U Vh, 1 under
    torch 2.13 (MKL's gesdd returns identities for a matrix of zeros), where numpy's LAPACK put the -0's
    sign into U and the gradient came out -1.  Larger zero matrices and batches alike."""
    x = torch.tensor([[complex(-0.0, 0.0)]]).requires_grad_()
    torch.linalg.matrix_norm(x, "nuc").backward()
    assert x.grad.tolist() == [[1 + 0j]]
    u, s, vh = torch.linalg.svd(torch.full((3, 1), -0.0))
    assert u.tolist() == torch.eye(3).tolist() and vh.tolist() == [[1.0]] and s.tolist() == [0.0]
    batch = torch.stack([torch.full((1, 2), -0.0), torch.tensor([[3.0, 4.0]])])
    assert torch.linalg.svd(batch).U[:, 0, 0].tolist() == [1.0, -1.0]  # (the second: as torch's, seen)
