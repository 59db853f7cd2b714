"""Core invariants of the tensor: views alias, numpy sharing, promotion, the registry's forms."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest

import shim
from shim._cpu.capability import capability


def test_views_share_storage_both_ways():
    a = shim.arange(6.0)
    v = a.view(2, 3)
    v[0, 0] = 100.0
    assert a[0].item() == 100.0
    a.add_(1)
    assert v[1, 2].item() == 6.0
    assert v._base is a and v.data_ptr() == a.data_ptr()
    s = a[1:4]
    assert s.storage_offset() == 1 and s.data_ptr() - a.data_ptr() == 4


def test_views_share_the_version_counter():
    a = shim.zeros(3)
    v = a.view(3)
    v.mul_(2)
    assert (a._version, v._version) == (1, 1)
    assert a.clone()._version == 0


def test_numpy_bridge_shares_memory():
    n = np.array([1.0, 2.0, 3.0])
    t = shim.from_numpy(n)
    n[0] = 100.0
    t[1] = -5.0
    assert t[0].item() == 100.0 and n[1] == -5.0
    assert np.shares_memory(t.numpy(), n) and t.numpy() is not n


def test_reshape_copies_only_when_it_must():
    a = shim.arange(12.0).view(3, 4)
    assert a.reshape(4, 3).data_ptr() == a.data_ptr()
    assert a.t().reshape(12).data_ptr() != a.data_ptr()
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        a.t().view(12)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("int32", "int64", "int64"),
        ("uint8", "int8", "int16"),
        ("bool", "int8", "int8"),
        ("float16", "int64", "float16"),
        ("float64", "complex64", "complex128"),
        ("int32", "float32", "float32"),
    ],
)
def test_promote_types_table(left, right, expected):
    assert shim.promote_types(getattr(shim, left), getattr(shim, right)) is getattr(shim, expected)
    assert shim.promote_types(getattr(shim, right), getattr(shim, left)) is getattr(shim, expected)


def test_zero_dim_and_scalar_tiers():
    i32 = shim.tensor([1, 2], dtype=shim.int32)
    assert (i32 + 5).dtype is shim.int32
    assert (i32 + shim.tensor(5)).dtype is shim.int32
    assert (i32 + 2.5).dtype is shim.float32
    assert (i32 + shim.tensor(2.5, dtype=shim.float64)).dtype is shim.float64


def test_every_form_of_add():
    a, b = shim.tensor([1.0, 2.0]), shim.tensor([10.0, 20.0])
    expected = [11.0, 22.0]
    assert shim.add(a, b).tolist() == expected
    assert a.add(b).tolist() == expected
    assert (a + b).tolist() == expected
    assert (1 + a).tolist() == [2.0, 3.0]
    out = shim.empty(2)
    assert shim.add(a, b, out=out) is out and out.tolist() == expected
    c = a.clone()
    c += b
    assert c.tolist() == expected and c._version == 1


def test_inplace_cast_error_is_torchs():
    i = shim.tensor([1, 2, 3])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i += 1.5


def test_float_remainder_keeps_negative_zero():
    r = shim.tensor([-2.0]) % 2
    assert np.signbit(r.numpy()[0])
    assert repr(r) == "tensor([-0.])"


def test_item_and_size():
    x = shim.ones(3, 4)
    assert x.size() == (3, 4) and x.shape[1] == 4 and x.size(-1) == 4
    assert isinstance(x[1, 1].item(), float)
    with pytest.raises(RuntimeError, match="a Tensor with 12 elements cannot be converted to Scalar"):
        x.item()


def test_empty_views_keep_torchs_strides():
    # numpy zeroes a new empty array's strides; torch keeps dense ones and permutes them in views
    e = shim.ones(2, 5, 0)
    assert e.stride() == (5, 1, 1) and e.mT.stride() == (5, 1, 1) and e.permute(2, 0, 1).stride() == (1, 5, 1)
    assert shim.ones(4, 3)[:, :0].stride() == (3, 1)


def test_matmul_squeezes_a_batch_of_one_that_requires_grad():
    # torch's _matmul_impl: 3-D @ 3-D with batches 1 and n squeezes the batch-1 operand when it requires
    # grad, and so folds into mm (transposed back with a contiguous copy when the left one was squeezed)
    a, b = shim.ones(1, 3, 4, requires_grad=True), shim.ones(2, 4, 5)
    assert (a @ b).grad_fn.name() == "CloneBackward0"
    assert (b.mT @ a.mT).grad_fn.name() == "UnsafeViewBackward0"
    assert (a.detach() @ b).grad_fn is None
    assert (a.detach() @ b.requires_grad_()).grad_fn.name() == "UnsafeViewBackward0"


def test_stored_scalars_overflow_as_c10_checks_them():
    # c10's overflows(): past the type's largest finite value, even where it would round back to it
    with pytest.raises(RuntimeError, match="type c10::Half without overflow"):
        shim.zeros(2, dtype=shim.float16).masked_fill(shim.tensor([True, False]), 65519.0)
    with pytest.raises(RuntimeError, match=r"type c10::complex<c10::Half> without overflow"):
        shim.zeros(1, dtype=shim.complex32).fill_(70000)
    # fill_ (and where's scalars, made by scalar_tensor) convert a double to Half unchecked
    assert shim.zeros(1, dtype=shim.float16).fill_(70000).tolist() == [float("inf")]
    assert shim.where(shim.tensor([True]), -(2**31), shim.ones(1, dtype=shim.float16)).tolist() == [float("-inf")]
    with pytest.raises(RuntimeError, match="type uint8_t without overflow"):
        shim.zeros(3, dtype=shim.uint8).scatter(0, shim.tensor([0]), 300)
    with pytest.raises(RuntimeError, match="type int without overflow"):
        shim.zeros(1, dtype=shim.int32).clamp(max=2**40)


def test_ints_from_2_pow_63_are_uint64_scalars():
    with pytest.raises(RuntimeError, match="attempted to promote Bool and UInt64"):
        shim.ones(2, dtype=shim.bool) + 2**63
    assert (shim.ones(1, dtype=shim.int64) * 2**63).tolist() == [-(2**63)]  # same category: wraps
    with pytest.raises(RuntimeError, match="type int64_t without overflow"):
        shim.full((1,), 2**63)


def test_index_put_needs_matching_dtypes_unless_it_masked_fills():
    x, i = shim.zeros(3), shim.tensor([0, 2])
    with pytest.raises(RuntimeError, match="got Float for the destination and Double for the source"):
        x[i] = shim.tensor(1.0, dtype=shim.float64)
    x[shim.tensor([True, False, True])] = shim.tensor(2, dtype=shim.int64)  # one mask, one value: masked_fill_
    x[True] = shim.tensor(3.0, dtype=shim.float64)  # a bare True is x[None]: a copy
    assert x.tolist() == [3.0, 3.0, 3.0]
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        x[shim.tensor([1, 0, 1], dtype=shim.uint8)] = shim.tensor(1.0)


def test_sizes_past_the_allocator_fail_as_in_torch():
    with pytest.raises(RuntimeError, match=r"Storage size calculation overflowed with sizes=\[4611686018427387904\]"):
        shim.FloatTensor(2**62)
    with pytest.raises(RuntimeError, match="DefaultCPUAllocator: can't allocate memory: you tried to allocate"):
        shim.BoolTensor(2**63 - 1)


def test_advanced_indexing_lays_its_result_out_as_torchs_index_kernel():
    # TensorIterator over the restrided source and the indices: a transposed source gives a permuted result
    x, i = shim.arange(24.0).reshape(2, 3, 4).transpose(0, 2), shim.tensor([0, 2])
    assert x[i].stride() == (6, 1, 3) and x[:, i].stride() == (1, 4, 8)
    assert not x[i].is_contiguous() and x[i].tolist() == x.contiguous()[i].tolist()
    assert shim.arange(12.0).reshape(3, 4)[i].stride() == (4, 1)


def test_complex_cumprod_gradient_is_conjugated():
    x = shim.tensor([1 + 1j, 2 - 1j, 0.5j], dtype=shim.complex64, requires_grad=True)
    shim.cumprod(x, 0).backward(shim.tensor([1, 1.75 + 0.5j, -1j], dtype=shim.complex64))
    assert x.grad.tolist() == [3 + 2.25j, 1.75 - 0.75j, -1 - 3j]  # torch 2.13's values


def test_float16_rsqrt_follows_torchs_scalar_loop():
    # Half(1) / std::sqrt(Half): sqrt(511) rounds to 22.609375 first, so the result rounds down
    assert shim.rsqrt(shim.tensor(511.0, dtype=shim.float16)).item() == 0.044219970703125


def _reduction128_product(x: np.ndarray, lanes: int) -> float:
    """Reduce.h's vectorized_inner_reduction for a product, as plain loops: four accumulators of `lanes`
    lanes over the full blocks, combined pairwise, their lanes in order, then the tail in order."""
    block = 4 * lanes
    count = len(x) // block
    acc = list(x[:block])
    for i in range(1, count):
        acc = [a * b for a, b in zip(acc, x[i * block : (i + 1) * block])]
    out = 1.0
    if count:
        combined = [(acc[k] * acc[lanes + k]) * (acc[2 * lanes + k] * acc[3 * lanes + k]) for k in range(lanes)]
        for c in combined:
            out *= c
    for v in x[count * block :]:
        out *= v
    return out


def test_prod_multiplies_in_torchs_order():
    x = 1 + np.random.default_rng(0).standard_normal(100) / 100
    in_torchs_order = _reduction128_product(x, lanes=4)  # 32-byte vectors of doubles
    sequential = 1.0
    for v in x:
        sequential *= v
    assert in_torchs_order != sequential  # the data tells the two orders apart
    assert shim.tensor(x).prod().item() == in_torchs_order
    rows = [_reduction128_product(x[25 * i : 25 * (i + 1)], 4) for i in range(4)]
    assert shim.tensor(x).reshape(4, 25).t().prod(0).tolist() == rows  # each column contiguous


def test_pow_by_one_half_is_cs_pow_where_torch_calls_it():
    # float16 has no sqrt shortcut, and a tensor exponent runs std::pow: pow(-0, 0.5) is +0, pow(-inf, 0.5) +inf
    x = shim.tensor([-0.0, float("-inf")], dtype=shim.float16)
    assert (x**0.5).tolist() == [0.0, float("inf")] and not np.signbit((x**0.5).numpy()).any()
    assert shim.pow(x.float(), shim.tensor([0.5])).tolist() == [0.0, float("inf")]
    assert np.signbit(shim.pow(x.float(), 0.5).numpy()[0])  # float's scalar exponent 0.5 is sqrt: -0


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_pow_is_the_c_librarys_cpow(dtype):
    """torch's complex pow is std::pow, glibc's cpow (cexp(y clog(x))) element by element: tensor and tensor,
    a scalar base, a general scalar exponent (rounded to the base's type).  numpy's power agrees with it on
    ordinary values but not at zeros, infinities and NaNs (0j ** 0j: numpy 1, cpow and torch NaN), which the
    first four elements hold."""
    import ctypes

    from shim._cpu.libm import c_function

    part = ctypes.c_float if dtype == "complex64" else ctypes.c_double

    class C(ctypes.Structure):
        _fields_ = [("re", part), ("im", part)]

    cpow = c_function("cpowf" if dtype == "complex64" else "cpow")
    if cpow is None:
        pytest.skip("no C math library to compare with")
    cpow.restype, cpow.argtypes = C, [C, C]
    rng = np.random.default_rng(5)
    x = (rng.standard_normal(400) * 3 + 1j * rng.standard_normal(400) * 3).astype(dtype)
    y = (rng.standard_normal(400) + 1j * rng.standard_normal(400)).astype(dtype)
    x[:4], y[:4] = [0, complex("inf"), complex("nan"), 1], [0, 1j, 2, complex("inf")]
    dt = getattr(shim, dtype)

    def want(xs, ys):
        out = [cpow(C(a.real, a.imag), C(b.real, b.imag)) for a, b in np.broadcast(xs, ys)]
        return np.array([complex(r.re, r.im) for r in out], dtype).reshape(
            np.broadcast_shapes(np.shape(xs), np.shape(ys))
        )

    def bits(a):
        return np.asarray(a).view(np.uint8).tolist()

    assert bits(shim.pow(shim.tensor(x, dtype=dt), shim.tensor(y, dtype=dt)).numpy()) == bits(want(x, y))
    with np.errstate(all="ignore"):
        assert bits(np.power(x[:4], y[:4])) != bits(want(x[:4], y[:4]))
    assert bits(shim.pow(1.5 + 0.5j, shim.tensor(y, dtype=dt)).numpy()) == bits(want(np.asarray(1.5 + 0.5j, dtype), y))
    assert bits((shim.tensor(x, dtype=dt) ** 1.7).numpy()) == bits(want(x, np.asarray(1.7, dtype)))


def test_a_scalar_base_of_one_fills_ones_without_the_kernel():
    # pow_Scalar_out's base.equal(1.0) shortcut: no ComplexHalf dtype check, no NaN from a complex NaN exponent
    half = shim.tensor([1.0, 2.0], dtype=shim.float16)
    ones = (1 + 0j) ** half
    assert ones.dtype == shim.complex32 and ones.tolist() == [1, 1]
    nan = shim.tensor([complex("nan+nanj"), complex("inf")], dtype=shim.complex64)
    assert (1**nan).tolist() == [1, 1] and shim.pow(1.0, nan).tolist() == [1, 1]
    assert (True**nan).isnan().all()  # a bool base never equals 1.0: the kernel runs
    with pytest.raises(NotImplementedError, match="\"pow\" not implemented for 'ComplexHalf'"):
        (2 + 0j) ** half


def test_half_sums_accumulate_in_float():
    rows = np.array([[2392, 1, 1, 1, 1], [1] * 5, [1] * 5], np.float16)
    strided = shim.tensor(np.ascontiguousarray(rows.T)).t()  # numpy adds this axis in half: 2392 + 1 is 2392
    assert np.asfortranarray(rows).sum(1)[0] == 2392
    assert strided.sum(1).tolist() == [2396, 5, 5] and strided.mean(1)[0].item() == 479.25
    assert shim.tensor([60000, 60000, -60000], dtype=shim.float16).sum().item() == 60000


def test_sums_over_leading_dims_take_torchs_column_kernels():
    # (checked against torch 2.13) 2**24 + 1 rounds back to 2**24: the order of the adds shows.  Summing a
    # column of 40 rows, torch's vectorized_outer_sum runs one cascade (blocks of 16 rows) over each of the
    # first 32 columns, and row_sum's four interleaved partials over the rest; numpy adds rows in order.
    rows = np.ones((40, 40), np.float32)
    rows[0] = 2**24
    assert rows.sum(0)[0] == 2**24
    by_columns = shim.tensor(rows).sum(0)
    assert by_columns[0].item() == 2**24 + 24 and by_columns[39].item() == 2**24 + 30
    assert shim.tensor(rows).t().sum(1).tolist() == by_columns.tolist()  # the same memory, the same order
    assert shim.tensor(rows[:, :8]).sum(0).tolist() == [2**24 + 30] * 8  # under 32 columns: row_sum only


def test_complex_sums_count_vector_lanes_in_complex_numbers():
    # (checked against torch 2.13) six complex64: one vector of 4 complex lanes, and a tail of 2 added first
    # from 0: e + 1000 gains 2 ulps of 1000 (2**-14 each), and so does each lane's e after it.  Part by
    # part, in float's 8 lanes (too many for 6: the scalar loop), the e's would add up first: 8 ulps.
    x = shim.tensor([[1e-4j] * 3, [1e-4j, 1e-4j, 1000j]], dtype=shim.complex64)
    assert x.sum().imag.item() == 1000 + 10 * 2**-14 and x.sum().real.item() == 0


def test_log_softmax_of_a_0d_half_has_a_gradient():
    x = shim.tensor(0.0, dtype=shim.float16, requires_grad=True)
    shim.log_softmax(x, 0).backward()
    assert x.grad.item() == 0 and x.grad.dtype == shim.float16


def test_mv_checks_dtypes_as_addmv_into_its_result():
    with pytest.raises(
        RuntimeError, match="addmv input tensors must have the same dtype, but got Float, Half, and Float"
    ):
        shim.mv(shim.zeros(2, 1, dtype=shim.float16), shim.zeros(1))


def test_elements_take_torchs_simd_or_scalar_loop():
    # maximum(-0, 0): the SIMD loop (blocks of two 32-byte vectors) answers +0, the scalar loop -0
    def simd_positions(n, threads=1):
        shim.set_num_threads(threads)
        try:
            return np.flatnonzero(~np.signbit(shim.maximum(shim.full((n,), -0.0), shim.zeros(n)).numpy()))
        finally:
            shim.set_num_threads(1)

    before = shim.get_num_threads()
    assert simd_positions(15).size == 0 and simd_positions(40).tolist() == list(range(32))
    # two threads split 70001 elements into 35001 and 35000, each with its own scalar tail
    tails = np.setdiff1d(np.arange(70001), simd_positions(70001, threads=2))
    assert tails.tolist() == list(range(34992, 35001)) + list(range(69993, 70001))
    shim.set_num_threads(before)
    # rows that cannot be coalesced have a tail each; a transposed input is walked in memory order
    rows = shim.maximum(shim.full((3, 25), -0.0)[:, :20], shim.zeros(3, 20)).numpy()
    assert (~np.signbit(rows)).sum(axis=1).tolist() == [16, 16, 16]
    z = -shim.complex(shim.zeros(43), shim.zeros(43))  # complex64 negation: 0 - x in SIMD, -x in scalar
    assert np.signbit(z.numpy().real).tolist() == [False] * 40 + [True] * 3


def test_vectorized_fmod_is_nan_where_the_quotient_overflows():
    r = shim.fmod(shim.ones(40), 1e-44).numpy()  # 1 / 1e-44 overflows float: Sleef's fmodf gives NaN
    assert np.isnan(r[:32]).all() and not np.isnan(r[32:]).any()


def test_vectorized_sinh_overflows_with_exp():
    # the SIMD loop takes exp(|x|), which overflows past ~88.72; sinhf stays finite up to ~89.4
    r = shim.sinh(shim.full((40,), 89.0)).numpy()  # 32 = one 128-byte or two 64-byte blocks, 8 left over
    assert np.isinf(r[:32]).all() and (r[32:] == np.float32(2.2448064e38)).all()
    assert shim.sinh(shim.tensor(709.79, dtype=shim.float64)).item() == 9.054204815152345e307  # glibc's sinh


def test_half_add_with_alpha_fuses_in_the_vectorized_loop():
    # x + 0.3 * x in half: the scalar loop rounds 0.3 * x to half first, the SIMD loop fuses in float
    x = shim.full((40,), 0.1049, dtype=shim.float16)
    r = shim.add(x, x, alpha=0.3).numpy()
    assert r[0] == np.float16(0.1364) and r[-1] == np.float16(0.1365)


def test_indexing_errors_and_empty_results_follow_torch():
    y = shim.zeros(4, 5, 4, 3)
    with pytest.raises(IndexError, match="index 9 is out of bounds for dimension 2 with size 3"):
        y[0, ..., 9]  # torch names the key's position (real_dim), not the tensor dim
    # an empty result reads no index: none is out of bounds
    assert shim.zeros(3, 3)[shim.tensor([], dtype=shim.int64), shim.tensor([5])].shape == (0,)
    assert shim.zeros(0, 3)[:, shim.tensor([5])].shape == (0, 1)
    with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
        shim.zeros(0, 3)[shim.tensor([0])]


def test_integer_linspace_fuses_its_multiply_adds():
    # 1 - (2/3) * 3 is -1.0 unfused but -0.99999999999999989 fused: truncated, torch's element is 0
    assert shim.linspace(-3, 1, 7, dtype=shim.int64).tolist() == [-3, -2, -1, 0, 0, 0, 1]


def test_float_pow_takes_a_float_exponent_in_the_vectorized_loop():
    # -1e-177 is -0 as a float: the SIMD blocks give 0 ** -0 = 1, the scalar loop 0 ** -1e-177 = inf
    n = 64 if capability() == "AVX512" else 32  # two 64- or 32-byte vectors of floats, one scalar tail
    r = (shim.zeros(n + 1) ** -1e-177).numpy()
    assert (r[:n] == 1).all() and np.isinf(r[n])


@pytest.mark.parametrize("call", ["x.sin(out=x)", "x.sum(0, out=x)", "x.add(1, out=x)", "x.cumsum(0, out=x)"])
def test_methods_take_no_out(call):
    """torch's Tensor methods have no out= (only the functions do): the arg parser refuses it."""
    x = shim.ones(3)
    with pytest.raises(TypeError, match="keyword argument"):
        eval(call, {"x": x})
    assert x.tolist() == [1.0, 1.0, 1.0]


def test_topk_leaves_ties_where_libstdcpp_selection_does():
    # (checked against torch 2.13) nth_element's median-of-three swap moves index 2 to the front
    zeros = shim.zeros(4)
    assert shim.topk(zeros, 1, largest=False).indices.tolist() == [2]
    assert shim.topk(zeros, 2).indices.tolist() == [2, 3]


def test_max_of_all_elements_takes_the_zero_its_lanes_meet_on():
    # float32: eight lanes, the tail fills lane 0, then VecReduceAllSIMD's halving shuffles prefer the upper half
    x = shim.tensor([0.0] * 8 + [-0.0])
    assert not np.signbit(x.max().numpy()) and not np.signbit(x.min().numpy())
    assert np.signbit(shim.tensor([0.0, -0.0]).max().numpy())  # shorter than a vector: a loop, the later wins


def test_complex128_abs_is_glibc_hypot_in_the_scalar_loop_and_sleef_in_the_simd_loop():
    z = 1.0 + 0.20000714765j  # glibc's hypot rounds this one down, Sleef's (correctly rounded) up
    assert shim.tensor(z, dtype=shim.complex128).abs().item() == 1.0198053045121351
    nine = shim.tensor([z] * 9, dtype=shim.complex128).abs().tolist()
    assert nine == [1.0198053045121354] * 8 + [1.0198053045121351]


def test_clamp_by_tensors_answers_the_bound_on_ties_in_the_simd_loop():
    lo = shim.zeros(20)
    lo[1], lo[18] = -0.0, -0.0
    signs = np.signbit(shim.clamp(shim.zeros(20), min=lo).numpy())
    assert signs[1] and not signs[18]  # index 18 is in the scalar tail, which answers the value


def test_variance_of_floats_is_taken_around_a_float_mean():
    # std_var_all_cpu: the mean is float32's, which overflows; along a dim Welford runs in double
    x = shim.tensor([3.4028234663852886e38] * 2)
    assert shim.var(x).item() == float("inf") and shim.var(x.view(1, 2), 1).item() == float("inf")
    assert shim.var(shim.stack([x, x]), 0).tolist() == [0.0, 0.0]


def test_digamma_and_polygamma_round_where_torchs_kernels_do():
    # (checked against torch 2.13) the reflection term in double, rounded to float; half's zeta rounded to half
    assert shim.digamma(shim.tensor(-0.984375)).item() == -63.53593063354492
    assert shim.polygamma(3, shim.tensor(0.5, dtype=shim.float16)).item() == 97.375


def test_logit_with_zero_eps_is_infinite_at_zero_in_the_scalar_loop():
    x = shim.tensor([-0.0], requires_grad=True)
    shim.logit(x, eps=0.0).backward(shim.ones(1))
    assert x.grad.item() == float("inf")


def test_addmv_of_an_empty_matrix_is_self_times_beta_in_selfs_shape():
    with pytest.warns(UserWarning, match=r"had shape \[1\], which does not match the required output shape \[\]"):
        r = shim.addmv(shim.tensor(2.0), shim.zeros(1, 0), shim.zeros(0), beta=3)
    assert r.shape == () and r.item() == 6.0


def test_fill_converts_unchecked_only_through_its_one_element_fast_path():
    # (checked against torch 2.13) scalar_fill for one element gives inf; the fill kernel checks the value
    assert shim.zeros(1, dtype=shim.float16).fill_(1e6).item() == float("inf")
    with pytest.raises(RuntimeError, match="value cannot be converted to type c10::Half without overflow"):
        shim.full((2,), 70000.0, dtype=shim.float16)


def test_median_of_all_elements_is_the_zero_nth_element_leaves():
    x = shim.tensor([[0.0, 0.0], [-0.0, 1.0]], dtype=shim.float16)
    assert np.signbit(x.median().numpy()) and np.signbit(x.nanmedian().numpy())


def test_addmv_and_baddbmm_in_place_write_through_an_expanded_self():
    # (checked against torch 2.13) no overlap check: each row (batch) reads what the ones before wrote
    y = shim.zeros(1).expand(3)
    y.addmv_(shim.ones(3, 2), shim.ones(2))
    assert y.tolist() == [6.0, 6.0, 6.0]
    z = shim.zeros(1, 1, 1, dtype=shim.uint8).expand(2, 1, 1)
    z.baddbmm_(shim.ones(2, 1, 1, dtype=shim.uint8), shim.ones(2, 1, 1, dtype=shim.uint8))
    assert z.flatten().tolist() == [2, 2]


def test_in_place_comparisons_are_recorded_with_zero_gradients():
    x = shim.ones(3, requires_grad=True)
    r = shim.zeros(3).eq_(x)
    assert (
        r.grad_fn.name() == "EqBackward1"
        and shim.ones(3, requires_grad=True).clone().gt_(0.5).grad_fn.name() == "GtBackward0"
    )
    r.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_grad_of_several_outputs_of_one_node():
    # std_mean's two outputs share one node: the engine counts its edges once, so the leaf is reached
    x = shim.tensor([[1.0, 2.0], [3.0, 5.0]], dtype=shim.float64, requires_grad=True)
    std, mean = shim.std_mean(x, 1)
    (grad,) = shim.autograd.grad((std, mean), x, (shim.zeros(2, dtype=shim.float64), shim.ones(2, dtype=shim.float64)))
    assert grad.tolist() == [[0.5, 0.5], [0.5, 0.5]]
    first, second = x.unbind(1)
    shim.autograd.backward((first, second), (shim.ones(2, dtype=shim.float64), 2 * shim.ones(2, dtype=shim.float64)))
    assert x.grad.tolist() == [[1.0, 2.0], [1.0, 2.0]]


def test_a_second_backward_through_copyslices_needs_retain_graph():
    # (checked against torch 2.13) CopySlices drops its op's node when the graph is freed, though add_ saves nothing
    x = shim.zeros(2, 3, requires_grad=True)
    y = (x + x).t().add_(1.5)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.sum().backward()


def test_amax_of_all_elements_keeps_the_first_zero_in_the_scalar_loop():
    # (checked against torch 2.13) Reduce.h: shorter than four vectors, std::max keeps the first of 0 and -0
    assert not np.signbit(shim.tensor([0.0, -0.0]).amax().numpy())
    assert np.signbit(shim.tensor([-0.0, 0.0]).amin().numpy())
    # 32 floats: four vector accumulators, each answering the later zero, folded pairwise then lane by lane
    assert not np.signbit(shim.tensor([0.0] * 31 + [-0.0]).amax().numpy())
    assert np.signbit(shim.tensor([0.0] * 8 + [-0.0] * 24).amax().numpy())


def test_addcmul_fuses_its_multiply_add():
    # (checked against torch 2.13) self + value * t1 * t2 is one fma for float and double
    t = shim.tensor
    r = shim.addcmul(t([32767.0]), t(-142.5), t(899.0859375), value=0.25)
    assert r.item() == 737.0634765625


def test_index_fill_checks_in_torchs_order_and_fills_until_a_bad_index():
    # (checked against torch 2.13) a value tensor fills with value.item(), through the scalar kernel's checks
    x = shim.zeros(3)
    with pytest.raises(IndexError, match=r"index_fill_\(\): Expected dtype int64 for index."):
        x.index_fill_(0, shim.tensor([0.0]), shim.tensor(1j))
    with pytest.raises(RuntimeError, match="Converting complex Scalar to non-complex type is not supported"):
        x.index_fill_(0, shim.tensor([[0]]), 1j)
    with pytest.raises(RuntimeError, match="Index has to be a vector/scalar"):
        x.index_fill_(0, shim.tensor([[0]]), 1.0)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x.index_fill_(0, shim.tensor([0, 5]), shim.tensor(2.0))
    assert x.tolist() == [2.0, 0.0, 0.0]


def test_index_copy_writes_in_c_order_until_a_bad_index():
    # (checked against torch 2.13) the first row is written up to the bad index, the second not at all
    x = shim.zeros(2, 3)
    with pytest.raises(IndexError, match=r"index_copy_\(\): index 5 is out of bounds for dimension 1 with size 3"):
        x.index_copy_(1, shim.tensor([0, 2, 5, 1]), shim.ones(2, 4))
    assert x.tolist() == [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]


def test_tril_in_place_on_overlapping_memory_only_zeroes():
    # (checked against torch 2.13) every row of an expanded tensor is one row of memory: each row's zeroes stay
    x = shim.tensor([1.0, 2.0, 3.0]).expand(3, 3)
    assert x.tril_().tolist() == [[1.0, 0.0, 0.0]] * 3
    y = shim.arange(5, dtype=shim.uint8).as_strided((3, 3), (1, 1))
    assert y.tril_(1).tolist() == [[0, 1, 0], [1, 0, 3], [0, 3, 4]]  # (0, 2) zeroes memory that (1, 1) shares


def test_rot90_of_an_expanded_tensor_is_laid_out_as_flip_lays_it_out():
    x = shim.zeros(1, 3, 4, 5, dtype=shim.uint8).expand(2, 3, 4, 5)
    assert shim.rot90(x).stride() == (20, 60, 5, 1)


def test_half_log_softmax_keeps_the_rows_sum_and_its_log_in_half():
    # (checked against torch 2.13) log(1 + exp(-4)) from a sum rounded to half: -0.01839, not float's -0.01814
    x = shim.tensor([[0.0, 4.0]], dtype=shim.float16)
    assert shim.log_softmax(x, 1).tolist() == [[-4.01953125, -0.0183868408203125]]


def test_softmax_along_the_last_dim_is_sleef_exp_and_lane_sums():
    # (checked against torch 2.13) 17 elements: one whole AVX512 vector, a tail, lanes folded in halves
    row = [0.3, -1.7, 2.2, 0.9, -0.4, 1.1, 0.0, -2.5, 0.7, 1.9, -0.8, 0.2, 0.6, -1.1, 1.4, 0.5, -0.3]
    x = shim.tensor([row], requires_grad=True)
    y = shim.softmax(x, 1)
    (g,) = shim.autograd.grad(y, x, shim.arange(17.0).view(1, 17) / 7)
    if shim.backends.cpu.get_cpu_capability() == "AVX512":
        assert y[0, :3].tolist() == [0.03673700988292694, 0.004971813876181841, 0.24561980366706848]
        assert g[0, :3].tolist() == [-0.03765721619129181, -0.004386091139167547, -0.18159513175487518]


def test_lane_sums_add_in_vec_reduce_alls_order():
    """softmax's lane_sum against its definition, written as loops: a row shorter than a vector added in
    order from its first element; else one accumulator vector over the whole vectors in turn, the tail into
    its first lanes, the lanes folded in halves (float) or added in order (double: no shuffle specialisation
    of vec_reduce_all); and the running sums along another dim, in order."""
    from shim._cpu.simd import vector_bytes
    from shim._ops.softmax import _running_sum, lane_sum

    rng = np.random.default_rng(11)
    for n in (0, 1, 5, 15, 16, 17, 40, 63):
        for dtype in (np.float32, np.float64):
            v = (rng.standard_normal((3, n)) * 1e3).astype(dtype)
            width = vector_bytes() // v.itemsize
            if n < width:
                want = v[:, :1].copy() if n else np.zeros((3, 1), dtype)
                for i in range(1, n):
                    want = want + v[:, i : i + 1]
            else:
                acc = v[:, :width].copy()
                for start in range(width, n - n % width, width):
                    acc = acc + v[:, start : start + width]
                acc[:, : n % width] += v[:, n - n % width :]
                while dtype == np.float32 and acc.shape[-1] > 1:
                    acc = acc[:, : acc.shape[-1] // 2] + acc[:, acc.shape[-1] // 2 :]
                want = acc[:, :1]
                for i in range(1, acc.shape[-1]):
                    want = want + acc[:, i : i + 1]
            assert np.array_equal(lane_sum(v), want), (n, dtype)
    e = rng.standard_normal((2, 9, 4)).astype(np.float32)
    want = e[:, :1]
    for k in range(1, 9):
        want = want + e[:, k : k + 1]
    assert np.array_equal(_running_sum(e), want)


def test_half_row_sums_follow_map_reduce_alls_branches():
    """log_softmax's sum of a Half row (vec::map_reduce_all for reduced floats, functional_bfloat16.h), written
    as its loops: a row of a whole Vectorized<Half> or more in two float accumulators (the tail into their
    first lanes), added, then folded in halves; a shorter row past one float vector: the second vector's
    lanes added into the first's, then the float vector's lanes in order; shorter still: in order."""
    from shim._cpu.simd import vector_bytes
    from shim._ops.softmax import _half_row_sum

    halves = vector_bytes() // 2
    lanes = halves // 2
    rng = np.random.default_rng(12)
    for n in (1, 3, lanes - 1, lanes, lanes + 1, halves - 1, halves, halves + 5, 3 * halves + lanes + 2):
        e = (rng.standard_normal((4, n)) * 1e3).astype(np.float32)
        if n >= halves:
            acc = e[:, :halves].copy()
            for start in range(halves, n - n % halves, halves):
                acc = acc + e[:, start : start + halves]
            acc[:, : n % halves] += e[:, n - n % halves :]
            acc = acc[:, :lanes] + acc[:, lanes:]
            while acc.shape[-1] > 1:
                acc = acc[:, : acc.shape[-1] // 2] + acc[:, acc.shape[-1] // 2 :]
            want = acc
        else:
            row = e[:, :lanes].copy()
            if n > lanes:
                row[:, : n - lanes] += e[:, lanes:]
            want = row[:, :1]
            for i in range(1, min(n, lanes)):
                want = want + row[:, i : i + 1]
        assert np.array_equal(_half_row_sum(e), want), n


def test_complex_square_is_fused_in_the_scalar_loop_only():
    # (checked against torch 2.13) re = ac - bd: one fused multiply-add in c10::complex's scalar product,
    # both products rounded in Vectorized<complex<float>>'s
    z = shim.full((240,), 802.875 + 804j, dtype=shim.complex64)
    assert shim.square(z)[0].item() == -1807.75 + 1291023j
    assert shim.square(z[:1]).item() == -1807.734375 + 1291023j


def test_complex_products_fuse_in_double_scalar_loops_only():
    # (checked against torch 2.13) mul's scalar loop: c10::complex's product contracted for double, not float
    a = 802.875 + 804j
    assert (shim.tensor([a], dtype=shim.complex128) * shim.tensor([a], dtype=shim.complex128)).item() == (
        -1807.734375 + 1291023j
    )
    assert (shim.tensor([a], dtype=shim.complex64) * shim.tensor([a], dtype=shim.complex64)).item().real == -1807.75


def test_renorm_in_place_checks_its_arguments_before_the_overlap():
    with pytest.raises(RuntimeError, match="renorm: input needs at least 2 dimensions, got 1 dimensions"):
        shim.zeros(1, dtype=shim.float16).expand(2).renorm_(1, 0, 0.0)


def test_special_functions_by_hand():
    x = shim.tensor([0.5, -2.0], dtype=shim.float64)
    assert shim.special.chebyshev_polynomial_t(x, 3).tolist() == [-1.0, 4 * -8.0 - 3 * -2.0]  # 4x^3 - 3x
    assert shim.special.hermite_polynomial_h(x, 2).tolist() == [4 * 0.25 - 2, 4 * 4.0 - 2]  # 4x^2 - 2
    assert shim.special.legendre_polynomial_p(x, 2).tolist() == [(3 * 0.25 - 1) / 2, (3 * 4.0 - 1) / 2]
    assert shim.special.chebyshev_polynomial_t(x, -1).tolist() == [0.0, 0.0]  # a negative degree: 0
    assert shim.special.ndtri(shim.tensor([0.0, 0.5, 1.0])).tolist() == [float("-inf"), 0.0, float("inf")]
    assert shim.special.entr(shim.tensor([0.0, 1.0, -1.0])).tolist() == [0.0, 0.0, float("-inf")]
    assert shim.special.expit(shim.tensor([0.0])).item() == 0.5
    assert shim.special.gammaln(shim.tensor(3.0, dtype=shim.float64)).item() == pytest.approx(math.log(2), abs=1e-15)
    with pytest.raises(NotImplementedError, match="\"erfcx_cpu\" not implemented for 'Half'"):
        shim.special.erfcx(shim.tensor([1.0], dtype=shim.float16))


def test_fft_by_hand():
    impulse = shim.tensor([1.0, 0.0, 0.0, 0.0])
    assert shim.fft.fft(impulse).tolist() == [1, 1, 1, 1] and shim.fft.fft(impulse).dtype == shim.complex64
    assert shim.fft.rfft(shim.ones(4)).tolist() == [4, 0, 0]
    assert shim.fft.irfft(shim.fft.rfft(shim.arange(6.0)), n=6).tolist() == pytest.approx(list(range(6)), abs=1e-5)
    assert shim.fft.fftfreq(5).tolist() == pytest.approx([0, 0.2, 0.4, -0.4, -0.2])
    assert shim.fft.fftshift(shim.arange(6)).tolist() == [3, 4, 5, 0, 1, 2]
    # sum_k Re X_k = n x_0: the gradient is n at 0 and 0 elsewhere, through FftR2CBackward0
    x = shim.arange(4.0, requires_grad=True)
    y = shim.fft.fft(x)
    y.real.sum().backward()
    assert y.grad_fn.name() == "FftR2CBackward0" and x.grad.tolist() == pytest.approx([4, 0, 0, 0], abs=1e-6)
    with pytest.raises(RuntimeError, match="rfft expects a real input tensor, but got ComplexFloat"):
        shim.fft.rfft(shim.ones(2, dtype=shim.complex64))


@pytest.mark.parametrize("create_graph", [False, True])
def test_complex_gradients_are_conjugated_in_both_backward_namespaces(create_graph):
    """d(a*b)/da applied to g is g * conj(b), and mv's vector gradient is M^H g, whether the backward pass runs
    on arrays or is itself recorded (second derivatives read the same formulas through tensor ops)."""
    a = shim.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    b = shim.tensor([2 - 1j, 1 + 1j])
    M = shim.tensor([[1 + 1j, 2], [0.5j, 1 - 1j]])
    g = shim.tensor([1 + 2j, 1 + 2j])
    (grad,) = shim.autograd.grad(a * b, a, g, create_graph=create_graph)
    assert np.allclose(grad.detach().numpy(), g.numpy() * np.conj(b.numpy()))
    (grad,) = shim.autograd.grad(M.mv(a), a, g, create_graph=create_graph)
    assert np.allclose(grad.detach().numpy(), M.numpy().conj().T @ g.numpy())


def test_a_list_of_one_element_tensors_is_a_list_of_scalars():
    t = shim.tensor([shim.tensor([0.5]), shim.tensor([0.25])])
    assert t.shape == (2,) and t.tolist() == [0.5, 0.25]
    assert shim.tensor([[shim.tensor(1.0)], [2.5]]).shape == (2, 1)  # (a tensor deeper down is a sequence)
    with pytest.raises(ValueError, match="only one element tensors can be converted to Python scalars"):
        shim.tensor([shim.tensor([0.5, 1.0]), shim.tensor([0.25, 2.0])])
    with pytest.raises(TypeError, match="only integer tensors of a single element can be converted to an index"):
        shim.tensor([shim.tensor(1.5)], dtype=shim.int64)


def test_a_range_indexes_as_the_list_it_spans():
    y_hat = shim.arange(6.0).reshape(2, 3)
    y = shim.tensor([0, 2])
    assert y_hat[range(2), y].tolist() == y_hat[[0, 1], y].tolist() == [0.0, 5.0]
    x = shim.zeros(3)
    x[range(2)] = 5.0
    assert x.tolist() == [5.0, 5.0, 0.0]


def test_normal_draws_the_stream_normal_fills():
    shim.manual_seed(0)
    drawn = shim.normal(0, 0.01, size=(2, 1), requires_grad=True)
    shim.manual_seed(0)
    filled = shim.empty(2, 1).normal_(0, 0.01)
    assert drawn.requires_grad and drawn.tolist() == filled.tolist()
    shim.manual_seed(0)
    mean, std = shim.zeros(3), shim.full((3,), 2.0)
    scaled = shim.normal(mean, std)
    shim.manual_seed(0)
    assert scaled.tolist() == (shim.randn(3) * 2.0).tolist()


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_short_row_sums_add_in_the_general_cascades_order(dtype, monkeypatch):
    # the few-call path for rows whose cascade flushes at most one level against the general one, whose
    # order is checked against torch 2.13 (sizes around each lane, ILP and block boundary; -0s and infs)
    from shim._cpu import cascade_sum as cs

    rng = np.random.default_rng(7)
    sizes = {n + d for n in (2, 4, 8, 16, 32, 64, 512, 1024, 2048, 8192, 16384, 32768) for d in (-1, 0, 1)}
    sizes = sorted(sizes | {2000, 20000})
    for n in sizes:
        a = (rng.standard_normal((3, n)) * 10.0 ** rng.integers(-3, 8, (3, n))).astype(dtype)
        a[1, rng.random(n) < 0.5] = -0.0
        a[2] = -0.0
        a[0, n // 2] = np.inf if n % 3 == 0 else a[0, n // 2]
        fast = cs._inner_sums(a)
        single = [np.asarray(cs._row_total(row)) for row in a]  # (the one-row path: a loss, a scalar's gradient)
        monkeypatch.setattr(cs, "_short_row_sums", lambda *args: None)
        general = cs._inner_sums(a)
        monkeypatch.undo()
        assert fast.tobytes() == general.tobytes(), n
        assert b"".join(s.tobytes() for s in single) == general.tobytes(), n
        assert all(s.dtype == dtype and s.shape == () for s in single)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128])
def test_rows_shorter_than_a_vector_take_the_scalar_row_sum(dtype):
    """row_sum one lane wide: four ILP partials over every fourth element, then the first partial, the
    elements left over and the other partials, added one by one from +0 (here: numpy scalars, each addition
    rounded in the dtype)."""
    from shim._cpu import cascade_sum as cs

    def row_sum(row):
        partials = [row[k::4][: len(row) // 4] for k in range(4)]
        sums = []
        for column in partials:
            total = column[0] if len(column) else None
            for value in column[1:]:
                total = total + value
            sums.append(total)
        order = [sums[0], *row[len(row) // 4 * 4 :], *sums[1:]] if len(row) >= 4 else list(row)
        total = dtype(0)
        for value in order:
            total = total + value
        return total

    rng = np.random.default_rng(3)
    with np.errstate(all="ignore"):
        for n in range(1, 16):
            a = (rng.standard_normal((4, n)) * 10.0 ** rng.integers(-4, 9, (4, n))).astype(dtype)
            a[1, rng.random(n) < 0.5] = -0.0
            a[2] = -0.0
            expected = np.array([row_sum(row) for row in a], dtype)
            if n < cs._widths(a, False)[1]:
                assert cs._inner_sums(a).tobytes() == expected.tobytes(), n
            assert cs._scalar_row_sums(a).tobytes() == expected.tobytes(), n


def test_integer_and_bool_sums_are_exact_and_wrap_as_int64():
    """An integer sum is exact in any order (modulo 2**64 in int64, as torch's wraps): numpy's reduce over any
    dims and layout gives it, bools and narrow ints widened to int64 first."""
    rng = np.random.default_rng(5)
    values = rng.integers(-128, 128, (4, 5, 6))
    x = shim.tensor(values.tolist(), dtype=shim.int8)
    for dims in (None, 0, 2, (0, 2)):
        expected = values.sum() if dims is None else values.sum(axis=dims)
        got = x.sum() if dims is None else x.sum(dims)
        assert got.dtype == shim.int64 and np.array_equal(got.numpy(), expected)
        assert np.array_equal(
            (x.permute(2, 0, 1).sum() if dims is None else x.sum(dims, keepdim=True)).numpy().squeeze(), expected
        )
    assert shim.tensor([[True, False], [True, True]]).sum(0).tolist() == [2, 1]
    big = shim.tensor([2**62, 2**62, 2**62, 1])
    assert big.sum().item() == 3 * 2**62 + 1 - 2**64
    narrow = x.sum(1, dtype=shim.int8)  # (accumulated in int8: it wraps as the widened sum does modulo 256)
    assert narrow.dtype == shim.int8 and narrow.tolist() == ((values.sum(1) + 128) % 256 - 128).tolist()


def test_rows_with_ties_marks_equal_keys_and_repeated_nans():
    """The rows whose std::sort order torch's sort, topk and kthvalue replay: two equal keys (0.0 and -0.0
    are equal) or more than one NaN."""
    from shim._ops.stdsort import rows_with_ties

    def model(row) -> bool:
        values = row.tolist()
        nans = [v for v in values if v != v]
        keys = [v for v in values if v == v]
        return len(nans) > 1 or len(set(keys)) < len(keys)

    rng = np.random.default_rng(11)
    choices = [0.0, -0.0, 1.0, -1.0, np.nan, np.inf, -np.inf, 2.5]
    for dtype in (np.float16, np.float32, np.float64, np.complex64, np.int64, np.bool_):
        for n in (1, 2, 5, 17):
            if dtype in (np.int64, np.bool_):
                rows = rng.integers(0, 4, (50, n)).astype(dtype)
            else:
                rows = rng.choice(choices, (50, n)).astype(dtype)
                if dtype is np.complex64:
                    rows.imag = rng.choice(choices, (50, n))
            assert rows_with_ties(rows).tolist() == [model(row) for row in rows], (dtype, n)


def test_std_sort_of_sixteen_or_fewer_is_a_stable_insertion_sort():
    """The premise of mode's (and sort's) shortcut: libstdc++'s std::sort leaves at most 16 elements to its
    final insertion sort, which keeps equal keys in order (the replay of the algorithm agrees)."""
    from shim._ops.stdsort import std_sort_order

    rng = np.random.default_rng(4)
    for n in range(1, 17):
        for row in (rng.integers(0, 3, n), rng.choice([0.0, -0.0, 1.0, -1.0], n), rng.random(n) < 0.5):
            assert std_sort_order(row, False, plain=True).tolist() == np.argsort(row, kind="stable").tolist()
            assert std_sort_order(row, True).tolist() == list(n - 1 - np.argsort(row[::-1], kind="stable")[::-1])
    row = np.repeat([1, 0], 9)  # (past 16 the partitions reorder equal keys)
    assert std_sort_order(row, False, plain=True).tolist() != np.argsort(row, kind="stable").tolist()


def test_doubles_become_half_through_float():
    # (checked against torch 2.13) c10::Half converts only from float, so every double -> Half conversion
    # rounds twice: 1.25830082 is past the midpoint between two halves, but its float is the midpoint, which
    # rounds to even.  Correctly rounded (numpy's cast) it would be 1.2587890625.
    v, through_float = 1.25830082, 1.2578125
    d = shim.tensor([v, v], dtype=shim.float64)
    h = shim.float16
    converted = [
        d.half()[0],
        d.to(h)[0],
        shim.tensor([v], dtype=h)[0],
        shim.tensor(np.array([v]), dtype=h)[0],
        shim.full((1,), v, dtype=h)[0],
        shim.zeros(2, dtype=h).copy_(d)[0],
        shim.add(d, 0, out=shim.zeros(2, dtype=h))[0],
        shim.zeros(2, dtype=h).add_(d)[0],
        shim.zeros(1, dtype=h) + shim.tensor(v, dtype=shim.float64),
        d.sum(dtype=h) / 2,
        shim.linspace(v, v, 1, dtype=h)[0],
        shim.scalar_tensor(v, dtype=h),
        shim.nan_to_num(shim.tensor([math.nan], dtype=h), nan=v)[0],
        d.to(shim.complex32)[0].real,
    ]
    assert [t.item() for t in converted] == [through_float] * len(converted)


def test_float_log_softmax_is_sleef_exp_and_log():
    # (checked against torch 2.13) vec::map_reduce_all's sum of Sleef's expf, then Sleef's logf: numpy's
    # exp and log give -1.4679979085922241 for the first element (and cross_entropy's loss follows)
    x = shim.tensor([[0.0, -1.2, 0.3, -3.2, 0.5]])
    assert x.log_softmax(1)[0, :3].tolist() == [-1.4679980278015137, -2.6679980754852295, -1.16799795627594]
    z = shim.tensor([[0.3, -1.2, 2.0, 0.7]], requires_grad=True)
    loss = shim.nn.functional.cross_entropy(z, shim.tensor([2]))
    loss.backward()
    assert loss.item() == 0.402779757976532
    assert z.grad[0].tolist() == [0.12211649119853973, 0.027247872203588486, -0.33154070377349854, 0.182176411151886]


def test_sleef_logf_of_special_values():
    from shim._cpu.sleef import logf

    r = logf(np.float32([0.0, -0.0, -1.0, np.inf, np.nan, 1.0]))
    assert r[:2].tolist() == [-np.inf, -np.inf] and np.isnan(r[2]) and r[3] == np.inf and np.isnan(r[4])
    assert r[5] == 0
    # a subnormal and the largest floats: within an ulp of the correctly rounded log
    x = np.float32([1e-45, 2e-40, 3.4e38, 1.5, 0.75])
    ulps = np.abs(logf(x).view(np.int32) - np.log(x.astype(np.float64)).astype(np.float32).view(np.int32))
    assert ulps.max() <= 1


def test_float_sigmoid_is_sleef_exp_in_the_vector_loop_and_the_c_library_in_the_scalar_loop():
    # (checked against torch 2.13) 40 elements: 32 in the vector loop (Sleef's expf), 8 in the scalar loop
    # (glibc's expf); numpy's float32 exp gives 0.07320548593997955 at [3]; the gradient is g (1 - y) y
    x = shim.linspace(-3, 3, 40, requires_grad=True)
    y = x.sigmoid()
    y.backward(shim.ones(40))
    assert [y[3].item(), y[10].item(), y[38].item()] == [0.07320549339056015, 0.18823213875293732, 0.9451195597648621]
    assert [x.grad[3].item(), x.grad[38].item()] == [0.06784644722938538, 0.05186857655644417]
    assert shim.tensor(2.5).sigmoid().item() == 0.9241418242454529  # (0-d: the scalar loop)
    assert shim.tensor(255, dtype=shim.uint8).sigmoid().item() == 1.0


def test_silu_is_sleef_exp_in_the_vector_loop_with_a_fused_gradient():
    # (checked against torch 2.13) as sigmoid: Sleef's expf for the first 32 of 40 elements, glibc's for the
    # rest; the gradient dy s (1 + x (1 - s)) with its last multiply-add fused
    x = shim.linspace(-3, 3, 40, requires_grad=True)
    y = shim.nn.functional.silu(x)
    y.backward(shim.ones(40))
    assert [y[3].item(), y[38].item()] == [-0.18582932651042938, 2.689955472946167]
    assert [x.grad[3].item(), x.grad[5].item(), x.grad[38].item()] == [
        -0.0990201085805893,
        -0.09841224551200867,
        1.0927454233169556,
    ]


def test_logit_backward_splits_its_loops_in_the_memory_order_of_its_inputs():
    # (checked against torch 2.13) at x = -0 the vector loop divides (-inf) and the scalar loop multiplies
    # (+inf); for a transposed input the loops run in memory order: with AVX512's 32-float blocks, the 11
    # elements of column 1 that sit in the first 32 of memory get -inf
    x = shim.tensor([[0.25, -0.0, 0.5]] * 20, requires_grad=True)
    shim.logit(x.t()).backward(shim.ones(20, 3).t())
    if shim.backends.cpu.get_cpu_capability() == "AVX512":
        assert x.grad[:, 1].tolist() == [-math.inf] * 11 + [math.inf] * 9


@pytest.mark.parametrize("name", ["add", "mul", "div"])
@pytest.mark.parametrize("dtype", [shim.float32, shim.float64])
def test_plain_scalar_shortcut_gives_the_general_paths_bits(name, dtype):
    # x op 0.1 takes binary_plain_scalar; the general path (`binary`) is the one the conformance cases check
    # against torch.  Specials, signed zeros, values past float's range and 0-d tensors included.
    from shim._ops.binary import BINARY
    from shim._ops.elementwise import binary

    values = [0.0, -0.0, 1.5, -3.25, 1e-45, 3e38, float("inf"), float("-inf"), float("nan"), 7.0]
    for scalar in (0.1, -0.0, 3e39, 1e-300, float("nan"), float("-inf"), 2.0):
        for x in (shim.tensor(values, dtype=dtype), shim.tensor(values[2], dtype=dtype)):
            fast = getattr(x, name)(scalar)
            general = binary(BINARY[name], x, scalar)
            assert fast.dtype is general.dtype and fast.shape == general.shape
            assert fast.numpy().tobytes() == general.numpy().tobytes(), (name, scalar)


@pytest.mark.parametrize("dtype", [shim.float16, shim.float32, shim.float64])
def test_pow_shortcut_gives_the_general_paths_bits(dtype):
    from shim._ops.binary import _POW_SCALAR
    from shim._ops.elementwise import binary

    values = [0.0, -0.0, 1.5, -3.25, 1e-4, 300.0, float("inf"), float("-inf"), float("nan"), 7.0]
    for exponent in (2, 3, -1, 0.5, -0.5, -2, 2.5, 1e-3, -7, float("inf")):
        for x in (shim.tensor(values, dtype=dtype), shim.tensor(values[3], dtype=dtype)):
            fast = x**exponent
            general = binary(_POW_SCALAR, x, exponent, None, None, scalar_node="PowBackward0", raw_scalar=True)
            assert fast.dtype is general.dtype and fast.shape == general.shape
            assert fast.numpy().tobytes() == general.numpy().tobytes(), exponent


def test_inplace_shortcut_under_no_grad_writes_a_leaf_and_bumps_its_version():
    # binary_plain takes a leaf that requires grad when grad mode is off (the SGD update p -= lr * p.grad)
    p = shim.tensor([1.0, 2.0], requires_grad=True)
    step = shim.tensor([0.5, 0.25])
    version = p._version
    with shim.no_grad():
        p -= step
    assert p.tolist() == [0.5, 1.75] and p._version == version + 1 and p.grad_fn is None and p.requires_grad
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        p -= step


def _specs_with_vector_fixes():
    from shim._ops.activation import ACTIVATIONS
    from shim._ops.unary import UNARY

    return [(name, spec) for name, spec in {**UNARY, **ACTIVATIONS}.items() if spec.simd]


@pytest.mark.parametrize(("name", "spec"), _specs_with_vector_fixes(), ids=lambda v: v if isinstance(v, str) else "")
def test_contiguous_results_equal_the_kernel_then_its_vector_fix(name, spec, monkeypatch):
    """A contiguous result (of 64 elements and more) runs only whole vector formulas on the vector lanes; a fix
    that patches the scalar loop's result (sinh's overflow, softshrink's zero sign) must see that result (stop
    46's split returned uninitialised memory for sinh, cosh and softshrink of 16k+ floats).  Rows of 20006,
    2000 and 101 elements (with a scalar tail)."""
    from shim._ops import elementwise
    from shim._ops.unary import UNARY

    dtypes = {"float": ["float32", "float64"], "complex": ["complex64", "complex128"]}
    rng = np.random.default_rng(7)
    row = np.concatenate([rng.normal(0, 40, 20000), [0.0, -0.0, 100.0, -100.0, 0.3, -0.3]])
    for key, values in itertools.product(spec.simd, (row, row[-2000:], row[-101:])):
        for dtype in dtypes.get(key, [key]):
            x = shim.tensor(values.astype(dtype) if "complex" not in dtype else values + 1j * values[::-1])
            x = x.to(getattr(shim, dtype))
            op = getattr(shim, name) if name in UNARY else getattr(shim.nn.functional, name)
            split = op(x)
            monkeypatch.setattr(elementwise, "_SPLIT_FROM", 1 << 62)
            general = op(x)
            monkeypatch.undo()
            assert split.dtype == general.dtype
            bits = [t.numpy().view(np.uint8) for t in (split, general)]  # (zero signs too)
            assert np.array_equal(*bits), (name, dtype)


@pytest.mark.parametrize(
    "name", ["sinh", "cosh", "atanh", "atan2", "logaddexp", "logaddexp2", "elu", "softplus", "gelu", "mish"]
)
def test_results_run_the_c_library_outside_the_vector_loop_only(name, monkeypatch):
    """A result whose scalar loop calls the C library element by element starts from numpy's approximation
    and runs that loop where torch's vector loop does not reach: the same bits as the kernel run everywhere,
    then the vector-loop fix (transposed inputs: rows of 150 or 9, each with a scalar tail; a row of 100)."""
    from shim._ops import elementwise

    rng = np.random.default_rng(11)
    for dtype, shape in itertools.product((shim.float32, shim.float64), ((150, 130), (9, 11), (1, 100))):
        x = shim.tensor(rng.uniform(-0.99, 0.99, shape), dtype=dtype).t()
        y = shim.tensor(rng.uniform(-3, 3, shape), dtype=dtype).t()
        x, y = (x.contiguous(), y.contiguous()) if shape[0] == 1 else (x, y)
        op = (
            getattr(shim.nn.functional, name, None)
            if name in ("elu", "softplus", "gelu", "mish")
            else getattr(shim, name)
        )
        if name == "softplus":
            op = functools.partial(op, beta=2.0, threshold=3.0)
        elif name == "gelu":
            op = functools.partial(op, approximate="tanh")
        binary = name in ("atan2", "logaddexp", "logaddexp2")
        deferred = op(x, y) if binary else op(x)
        monkeypatch.setattr(elementwise, "_DEFER_FROM", 1 << 62)
        general = op(x, y) if binary else op(x)
        monkeypatch.undo()
        assert np.array_equal(*(np.ascontiguousarray(t.numpy()).view(np.uint8) for t in (deferred, general))), name


def test_logaddexp2_takes_sleef_in_its_vector_loop_and_glibc_in_its_scalar_loop(digest):
    """Digests (sha256, first 16 hex digits) of torch 2.13's logaddexp2 over 4,099 pairs: contiguous (Sleef's
    exp2f and log1pf in the vector loop, glibc's in the tail), strided (glibc's), and half (in float)."""
    x = shim.tensor(np.linspace(-30, 30, 4099, dtype=np.float32))
    y = shim.tensor(np.linspace(7, -9, 4099, dtype=np.float32))
    results = shim.logaddexp2(x, y), shim.logaddexp2(x[::2], y[::2]), shim.logaddexp2(x.half(), y.half())
    assert [digest(r.numpy()) for r in results] == ["54a84dd914b0936c", "246324a6fc82748a", "4814376f0c2c905b"]


@pytest.mark.parametrize("exponent", [2, 3, -1, -2, 0.5, -0.5, 2.0])
def test_pow_in_a_graph_records_the_scalar_overload_on_every_path(exponent):
    # a contiguous input takes the plain kernel, a transposed one the general path: one node, one gradient
    values = [[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]]
    plain = shim.tensor(values).t().contiguous().requires_grad_()
    strided = shim.tensor(values).t().requires_grad_()
    results = [t**exponent for t in (plain, strided)]
    for result, leaf in zip(results, (plain, strided)):
        assert type(result.grad_fn).__name__ == "PowBackward0" and result.grad_fn._saved_self is leaf
        assert result.grad_fn._saved_exponent == exponent and type(result.grad_fn._saved_exponent) is type(exponent)
        result.backward(shim.full(result.shape, 0.5))
    same_bits = [
        a.detach().numpy().tobytes() == b.detach().numpy().tobytes() for a, b in (results, (plain.grad, strided.grad))
    ]
    assert same_bits == [True, True]


def test_a_sum_with_one_output_element_is_split_between_threads_as_a_full_sum():
    # torch's reduction with a single output element of more than one grain is a two-pass reduction (each
    # thread's range summed apart), whatever dims it names: (1, n).sum(1) is (1, n).sum(), bit for bit
    rng = np.random.default_rng(3)
    for dtype in (shim.float16, shim.float32, shim.float64):
        x = shim.tensor(rng.uniform(0.5, 2, (1, 40000)) * rng.choice([-1, 1], (1, 40000)), dtype=dtype)
        whole = x.sum().numpy().tobytes()
        assert x.sum(1).numpy().tobytes() == whole and x.t().sum(0, keepdim=True).numpy().tobytes() == whole
        assert x.sum(1).shape == (1,) and x.t().sum(0, keepdim=True).shape == (1, 1)


def test_contiguous_float_gelu_cancels_in_float_as_torch_does():
    # torch hands a contiguous float input to oneDNN, whose erf is a float: 1 + erf(x / sqrt 2) cancels to 0
    # from about x = -6 on (observed under torch 2.13: gelu(-6) and gelu(-10) are -0.0, not -5.9e-09 and
    # -7.6e-23); the shim's stand-in rounds its erf to float too
    x = shim.tensor([-6.0, -8.0, -10.0, -13.0] * 8)
    assert shim.nn.functional.gelu(x).tolist() == [-0.0] * 32
    assert all(math.copysign(1, v) == -1 for v in shim.nn.functional.gelu(x).tolist())


def test_float_erf_and_erfc_round_as_the_c_librarys_double_ones():
    # the vectorised stand-in for torch's float erf and erfc (a series to |x| = 2, Laplace's continued
    # fraction beyond) against math.erf / math.erfc rounded to float: random bit patterns, a grid, specials
    from shim._ops import special_functions as sf

    rng = np.random.default_rng(9)
    bits = rng.integers(0, 2**32, 400_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    grid = np.linspace(-7, 7, 200_001, dtype=np.float32)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 2.0, -2.0, 1e-45, -3e-39, 3e38], np.float32)
    x = np.concatenate([bits[np.isfinite(bits)], grid, specials])
    for fast, exact in ((sf.erf, math.erf), (sf.erfc, math.erfc)):
        ours = fast(x).astype(np.float32)
        theirs = np.array([exact(v) for v in x.astype(np.float64).tolist()], np.float32)
        assert ours.tobytes() == theirs.tobytes(), exact.__name__


def test_an_in_place_op_with_itself_takes_the_plain_path_and_a_partial_overlap_still_fails():
    x = shim.tensor([[1.0, 2.0], [3.0, 4.0]])
    before = x._version
    assert x.add_(x).tolist() == [[2.0, 4.0], [6.0, 8.0]] and x._version == before + 1
    assert x.mul_(x).tolist() == [[4.0, 16.0], [36.0, 64.0]]
    z = shim.arange(6.0)
    with pytest.raises(RuntimeError, match="some elements of the input tensor and the written-to tensor"):
        z[1:].add_(z[:-1])


def _round(q) -> float:
    return float(q)  # (a Fraction to the nearest double, ties to even)


def test_complex_division_is_c10s_with_its_fused_steps():
    """c10::complex's Smith division as GCC compiles it: rat = d / c, scl = 1 / fma(d, rat, c), real
    fma(b, rat, a) * scl, imaginary fma(-a, rat, b) * scl (|c| >= |d|; mirrored else), each step rounded
    once as exact rational arithmetic gives it.  Without the fused steps a third of random quotients differ
    in the last bit, so these draws tell the two apart."""
    from fractions import Fraction as Q

    from shim._cpu.c10_complex import divide

    rng = np.random.default_rng(8)
    x = rng.standard_normal(200) * 3 + 1j * rng.standard_normal(200) * 3
    y = rng.standard_normal(200) * 3 + 1j * rng.standard_normal(200) * 3
    got = divide(x, y)
    for (a, b), (c, d), g in zip(((z.real, z.imag) for z in x), ((z.real, z.imag) for z in y), got):
        if abs(c) >= abs(d):
            rat = _round(Q(d) / Q(c))
            scl = _round(1 / Q(_round(Q(d) * Q(rat) + Q(c))))
            re = _round(Q(_round(Q(b) * Q(rat) + Q(a))) * Q(scl))
            im = _round(Q(_round(-Q(a) * Q(rat) + Q(b))) * Q(scl))
        else:
            rat = _round(Q(c) / Q(d))
            scl = _round(1 / Q(_round(Q(c) * Q(rat) + Q(d))))
            re = _round(Q(_round(Q(a) * Q(rat) + Q(b))) * Q(scl))
            im = _round(Q(_round(Q(b) * Q(rat) - Q(a))) * Q(scl))
        assert (g.real, g.imag) == (re, im)
    plain = x / y
    assert np.count_nonzero(plain != got) > 20


def test_complex_functions_follow_c10():
    """reciprocal, rsqrt and sigmoid of complex divide as c10 does; log1p keeps a tiny z (numpy's is
    log(1 + z)); complex128 acos is pi/2 - asin part by part, so a real input's imaginary part is +0 (numpy's
    arccos gives -0); log2 divides log's parts by ln 2."""
    from shim._cpu.c10_complex import divide

    z = np.array([3 - 4j, 0.5 + 2j, -1e-3 + 7j], np.complex128)
    t = shim.tensor(z)
    assert shim.reciprocal(t).numpy().tolist() == divide(np.ones(3, complex), z).tolist()
    assert shim.rsqrt(t).numpy().tolist() == divide(np.ones(3, complex), np.sqrt(z)).tolist()
    assert shim.sigmoid(t).numpy().tolist() == divide(np.ones(3, complex), 1 + np.exp(-z)).tolist()
    assert shim.log1p(shim.tensor([1e-20 + 1e-20j], dtype=shim.complex128)).tolist() == [1e-20 + 1e-20j]
    acos = shim.acos(shim.tensor([0.5 + 0j], dtype=shim.complex128)).numpy()[0]
    assert acos.imag == 0 and not np.signbit(acos.imag) and np.signbit(np.arccos(0.5 + 0j).imag)
    log2 = shim.log2(t).numpy()
    assert log2.real.tolist() == (np.log(z).real / math.log(2)).tolist()
    assert log2.imag.tolist() == (np.log(z).imag / math.log(2)).tolist()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_relu_keeps_negative_zero_and_nan_bits(dtype):
    """torch's relu turns only elements below zero into +0: -0 and a NaN's bits stay (numpy's maximum(x, 0)
    gives +0 for -0; the shim uses maximum(0, x) where a probe finds it exact, else a mask), in the SIMD
    lengths and their tails."""
    width = {"float16": np.uint16, "float32": np.uint32, "float64": np.uint64}[dtype]
    for n in (3, 64, 1001):
        x = np.linspace(-2, 2, n).astype(dtype)
        x[::4] = -0.0
        x[1::9] = np.nan
        got = shim.relu(shim.tensor(x)).numpy()
        want = np.where(x < 0, np.zeros_like(x), x)
        assert got.view(width).tolist() == want.view(width).tolist()


def test_matmul_operator_shortcut_equals_mm():
    """x @ y of plain 2-d floats skips matmul's frames: the same bits as mm (k of 2 and 3 included, where the
    product is summed in MKL's k order), overflow quiet, and a graph or a mismatch takes the full path."""
    import warnings

    rng = np.random.default_rng(2)
    for dtype in (shim.float32, shim.float64):
        for k in (1, 2, 3, 4, 17):
            x = shim.tensor(rng.standard_normal((5, k)), dtype=dtype)
            y = shim.tensor(rng.standard_normal((k, 3)), dtype=dtype)
            assert (x @ y).numpy().tobytes() == shim.mm(x, y).numpy().tobytes()
    big = shim.full((2, 2), 3e38)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (big @ big).isinf().all()
    w = shim.ones(2, 2, requires_grad=True)
    assert (w @ shim.ones(2, 2)).grad_fn.name() == "MmBackward0"
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x2 and 3x2\)"):
        shim.ones(2, 2) @ shim.ones(3, 2)


@pytest.mark.parametrize("op", ["elu", "sigmoid", "silu", "softplus", "mish"])
def test_double_scalar_loops_call_the_c_library(op):
    """A strided double tensor runs torch's scalar loop throughout: std::expm1, exp, log1p and tanh, glibc's,
    which numpy's functions differ from on a few percent of random doubles (so the draw tells them apart)."""
    from shim._cpu.libm import libm_function

    expm1, exp, log1p, tanh = (libm_function(name) for name in ("expm1", "exp", "log1p", "tanh"))
    formulas = {
        "elu": lambda v, expm1, exp, log1p, tanh: np.where(v <= 0, expm1(v), v),
        "sigmoid": lambda v, expm1, exp, log1p, tanh: 1 / (1 + exp(-v)),
        "silu": lambda v, expm1, exp, log1p, tanh: v / (1 + exp(-v)),
        "softplus": lambda v, expm1, exp, log1p, tanh: np.where(v > 20, v, log1p(exp(v))),
        "mish": lambda v, expm1, exp, log1p, tanh: v * tanh(log1p(exp(v))),
    }
    x = np.random.default_rng(6).standard_normal(3000) * 3
    strided = x[::3]
    function = shim.sigmoid if op == "sigmoid" else getattr(shim.nn.functional, op)
    got = function(shim.tensor(x)[::3]).numpy()
    assert got.tolist() == formulas[op](strided, expm1, exp, log1p, tanh).tolist()
    assert formulas[op](strided, np.expm1, np.exp, np.log1p, np.tanh).tolist() != got.tolist()


def test_complex64_products_follow_torchs_loops():
    """complex64 x * y on contiguous rows: blocks of eight (the vector loop) with each product rounded; of the
    remainder, GCC's vectorized scalar loop fuses pairs and rounds a last odd element; with a broadcast
    scalar, it fuses the second to fifth of five or more (measured against torch for every count)."""
    from shim._cpu.c10_complex import product

    rng = np.random.default_rng(4)
    for n in (1, 3, 7, 8, 12, 13, 21):
        x = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
        y = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
        fused, rounded = product(x, y, fused=True), product(x, y)
        left = n % 8
        tail = np.arange(n) >= n - left
        pairs = tail & (np.arange(n) < n - left % 2)
        want = np.where(pairs, fused, rounded)
        assert (shim.tensor(x) * shim.tensor(y)).numpy().tobytes() == want.tobytes()
        s = np.complex64(1.5 - 0.5j)
        fused, rounded = product(x, np.full(n, s), fused=True), product(x, np.full(n, s))
        second_to_fifth = tail & (np.arange(n) - (n - left) >= 1) & (np.arange(n) - (n - left) < 5) & (left >= 5)
        want = np.where(second_to_fifth, fused, rounded)
        assert (shim.tensor(x) * shim.tensor(s)).numpy().tobytes() == want.tobytes()


def test_remembered_layouts_are_the_computed_ones():
    """result_layout remembers its answers by the operands' shapes, strides and dtypes: each answer equals the
    computation itself, for layouts that differ only in the converted dtype, a transposed or sliced operand,
    broadcasting and a 0-d operand, asked twice."""
    from shim import _layout

    base = np.zeros((4, 6, 5), np.float32)
    expanded = np.broadcast_to(base[:, :1], (4, 6, 5))  # (a converted copy is dense: its order then decides)
    reversed_order = base.transpose(2, 1, 0).copy().transpose(2, 1, 0)
    cases = [
        ((4, 6, 5), (expanded, reversed_order), np.dtype(np.float32)),
        ((4, 6, 5), (expanded, reversed_order), np.dtype(np.float64)),
        ((4, 6, 5), (base.transpose(1, 0, 2).copy().transpose(1, 0, 2), base), np.dtype(np.float32)),
        ((4, 6, 5), (base.transpose(1, 0, 2).copy().transpose(1, 0, 2), base), np.dtype(np.float64)),
        ((4, 6, 5), (base.transpose(1, 0, 2).copy().transpose(1, 0, 2),), None),
        ((4, 3, 5), (base[:, ::2], base[:, 1::2]), None),
        ((4, 6, 5), (base[:, :, :1], base.transpose(2, 1, 0).copy().transpose(2, 1, 0)), None),
        ((4, 6, 5), (np.float32(2), np.zeros((), np.float32), base.transpose(2, 1, 0).copy().transpose(2, 1, 0)), None),
    ]
    answers = [
        _layout._torch_layout(shape, [a for a in ops if isinstance(a, np.ndarray)], common)
        for shape, ops, common in cases
    ]
    assert len({str(a) for a in answers}) > 2  # (the cases differ)
    for _ in range(2):
        assert [_layout.result_layout(*case) for case in cases] == answers


def test_broadcast_view_is_broadcast_to():
    """_views.broadcast_view (the cheap broadcast of bias rows and reduced gradients) gives np.broadcast_to's
    values, shape and read-only flag in every layout, and its ValueError where the shapes do not broadcast."""
    from shim._views import broadcast_view

    rng = np.random.default_rng(0)
    for _ in range(2000):
        shape = tuple(int(v) for v in rng.integers(0, 4, rng.integers(0, 4)))
        source = tuple(1 if rng.random() < 0.4 else n for n in shape[rng.integers(0, len(shape) + 1) :])
        a = rng.standard_normal(source)
        if rng.random() < 0.3 and a.ndim > 1:
            a = np.asfortranarray(a)
        if rng.random() < 0.2 and a.ndim:
            a = np.repeat(a, 2, -1)[..., ::2]  # (strided)
        if rng.random() < 0.1:
            shape = tuple(int(v) for v in rng.integers(0, 4, len(shape)))
        try:
            want = np.broadcast_to(a, shape)
        except ValueError:
            with pytest.raises(ValueError):
                broadcast_view(a, shape)
            continue
        got = broadcast_view(a, shape)
        assert got.shape == want.shape and np.array_equal(got, want) and not got.flags.writeable
