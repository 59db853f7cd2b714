"""Autograd's edge rules, each checked against what torch 2.13 does for the same one-liner (#24)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import shim

_STALE = "one of the variables needed for gradient computation has been modified by an inplace operation"


def test_an_inplace_operand_aliasing_self_is_saved_at_its_version_before_the_write():
    x = shim.ones(3, requires_grad=True)
    y = x * 2
    y.mul_(y)  # mul_ saves `other` (y itself) for self's gradient; the write makes it stale
    with pytest.raises(RuntimeError, match=_STALE):
        y.sum().backward()


def test_an_inplace_operand_not_aliasing_self_stays_valid():
    x = shim.ones(3, requires_grad=True)
    y = x * 2
    y.mul_(x)
    y.sum().backward()
    assert x.grad.tolist() == [4.0, 4.0, 4.0]  # d(2x * x)/dx


def test_writing_a_grad_value_into_a_view_makes_the_view_and_its_base_require_grad():
    b = shim.zeros(3, 1)
    x = b.t()
    source = shim.ones(3, requires_grad=True)
    x[0] = source
    assert x.requires_grad and b.requires_grad
    assert type(x.grad_fn).__name__ == "AsStridedBackward0" and type(b.grad_fn).__name__ == "CopySlices"
    (x * shim.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert source.grad.tolist() == [1.0, 2.0, 3.0]


def test_a_view_made_a_leaf_refuses_inplace_ops_even_when_its_base_does_not_require_grad():
    x = shim.zeros(3)[1:]
    x.requires_grad_()
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is being used in an in-place"):
        x.add_(1)


@pytest.mark.parametrize(
    "write",
    [
        lambda t: t.copy_(shim.zeros(2)),
        lambda t: t.sub_(shim.ones(3, dtype=shim.bool)),
        lambda t: t.add_(1, alpha=True),
        lambda t: t.add_(shim.ones(2)),
    ],
)
def test_the_leaf_check_comes_before_the_ops_own_argument_checks(write):
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        write(shim.ones(3, requires_grad=True))


def test_atan2_gradient_at_the_origin_is_zero_with_torchs_signs():
    x = shim.tensor(0.0, requires_grad=True)
    y = shim.tensor(0.0, requires_grad=True)
    shim.atan2(y, x).backward()
    assert (x.grad.item(), math.copysign(1, x.grad.item())) == (0.0, -1.0)
    assert (y.grad.item(), math.copysign(1, y.grad.item())) == (0.0, 1.0)


def test_clamp_masks_the_gradient_of_clamped_elements_instead_of_multiplying_it():
    x = shim.tensor([-2.0, 0.5, 3.0, math.nan], requires_grad=True)
    x.clamp(-1, 1).backward(shim.tensor([math.inf, 1.0, math.nan, 2.0]))
    assert x.grad.tolist() == [0.0, 1.0, 0.0, 0.0]  # NaN self is outside the bounds too
    x = shim.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    x.clamp_min(0.0).backward(shim.tensor([math.inf, 1.0, math.nan]))
    assert x.grad[:2].tolist() == [0.0, 1.0] and math.isnan(x.grad[2].item())


def test_pow_by_a_bool_tensor_refuses_its_gradient_as_torch_does():
    x = shim.tensor([2.0, 3.0], requires_grad=True)
    y = (x ** shim.tensor(True)).sum()
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor is not supported"):
        y.backward()


def test_smaller_parity_gaps():
    with pytest.raises(TypeError, match='permute\\(\\) missing 1 required positional arguments: "dims"'):
        shim.tensor(1.0).permute()
    assert shim.ones(2, 3).permute(dims=(1, 0)).shape == (3, 2)
    with pytest.raises(IndexError, match="slice\\(\\) cannot be applied to a 0-dim tensor."):
        shim.tensor(1.0)[1:]
    with pytest.raises(RuntimeError, match="expected scalar type Byte but found Float"):
        shim.bmm(shim.ones(1, 2, 2, dtype=shim.uint8), shim.ones(1, 2, 2))


def test_the_zero_dim_precheck_agrees_with_promotes_apart():
    """apply_node asks _promotes_apart only where _operand_kinds finds a 0-d real floating array: wherever
    that finds none, _promotes_apart is False."""
    from shim._autograd.engine import _operand_kinds, _promotes_apart

    def _has_real_0d(grads, saved):
        return _operand_kinds(grads, saved)[1]

    rng = np.random.default_rng(0)
    kinds = [np.float16, np.float32, np.float64, np.complex64, np.int64, np.bool_]
    for _ in range(2000):
        values = []
        for _ in range(rng.integers(1, 5)):
            dtype = kinds[rng.integers(len(kinds))]
            shape = () if rng.random() < 0.4 else (2,)
            values.append(np.zeros(shape, dtype) if rng.random() < 0.8 else dtype(0))
        grads, saved = dict(enumerate(values[:1])), {str(i): v for i, v in enumerate(values[1:])}
        if not _has_real_0d(grads, saved):
            assert not _promotes_apart(values)
    assert _promotes_apart([np.zeros(2, np.float16), np.zeros((), np.float32)])
    assert _has_real_0d({0: np.zeros(2, np.float16)}, {"other": np.zeros((), np.float32)})


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_gradients(accumulate):
    """IndexPutBackward0 (derivatives.yaml): self's gradient is grad where accumulating, else grad with the
    written places zeroed; values' is grad at those places.  The out-of-place form records the same node on
    self and values (it lost self's edge before)."""
    want_self = [1.0, 2.0, 3.0] if accumulate else [0.0, 2.0, 0.0]
    for inplace in (True, False):
        x = shim.tensor([0.0, 1.0, 2.0], requires_grad=True)
        v = shim.tensor([5.0, 7.0], requires_grad=True)
        index = (shim.tensor([0, 2]),)
        if inplace:
            y = x.clone()
            y.index_put_(index, v, accumulate=accumulate)
        else:
            y = x.index_put(index, v, accumulate=accumulate)
            assert [type(n).__name__ for n, _ in y.grad_fn.next_functions] == ["AccumulateGrad"] * 2
        y.backward(shim.tensor([1.0, 2.0, 3.0]))
        assert type(y.grad_fn).__name__ == "IndexPutBackward0"
        assert x.grad.tolist() == want_self and v.grad.tolist() == [1.0, 3.0]


def test_index_put_into_an_empty_dim_is_an_index_error_first():
    """torch's AdvancedIndex refuses an index into a dim of no elements before the value's shape is checked."""
    with pytest.raises(IndexError, match="^index is out of bounds for dimension with size 0$"):
        shim.empty(0).index_put_((shim.tensor([0]),), shim.empty(0))


def test_conj_physical_in_place_records_its_own_node():
    """conj_physical_ is ConjPhysicalBackward1 (the function is ...0), recorded on a real tensor too."""
    for x in (shim.tensor([1.0, 2.0], requires_grad=True), shim.tensor([1.0, 2.0], requires_grad=True) * (1 + 2j)):
        y = x.clone()
        y.conj_physical_()
        assert type(y.grad_fn).__name__ == "ConjPhysicalBackward1" and y._version == 1
    assert shim.conj_physical(x).grad_fn.name() == "ConjPhysicalBackward0"


def test_an_inplace_op_on_a_later_piece_makes_it_output_zero():
    """b.mul_(a) on the second and first pieces of one unsafe_chunk: b's new node is MulBackward0 and b is
    its output 0 (it was UnsafeSplitBackward0's output 1), so backward reaches both pieces: d(sum(a * b))
    is b for a's rows, a for b's, 0 for the piece left alone."""
    w = shim.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    a, b, c = (w * 1).unsafe_chunk(3, 0)
    product = b.mul_(a)
    assert [nr for _, nr in product.grad_fn.next_functions] == [1, 0]
    product.sum().backward()
    assert w.grad.tolist() == [[3.0, 4.0], [1.0, 2.0], [0.0, 0.0]]


def test_pows_exponent_gradient_at_a_zero_base_masks_only_real_nonnegative_exponents():
    # (checked against torch 2.13) pow_backward_exponent's mask for a complex exponent is imag == 0 and
    # real >= 0; 1 + 1j is not masked, so its gradient is result * log(0): NaN (numpy's >= would mask it)
    e = shim.tensor([1 + 1j, 2 + 0j, -1 + 0j], requires_grad=True)
    (g,) = shim.autograd.grad(shim.pow(shim.zeros(3, dtype=shim.complex64), e).abs().sum(), e)
    assert math.isnan(g[0].real.item()) and g[1].item() == 0 and math.isnan(g[2].real.item())
    (g,) = shim.autograd.grad(shim.pow(0, e).real.sum(), e)
    assert math.isnan(g[0].real.item()) and g[1].item() == 0


def test_complex_gradients_follow_torchs_kernels_step_by_step():
    # (checked against torch 2.13) a complex formula runs on the shim's ops: -grad is at::neg (0 - x on the
    # vector loop's lanes: zero parts +0), quotients are c10::complex's (fused steps), not numpy's
    x = shim.tensor([1 + 2j] * 8, requires_grad=True)
    (g,) = shim.autograd.grad(shim.rsub(x, 3), x, shim.ones(8, dtype=shim.complex64))
    assert not np.signbit(g.numpy().imag).any()
    z = shim.zeros(3, dtype=shim.complex64, requires_grad=True)
    w = shim.tensor([-0.15 - 0.71j, 1.44 - 0.73j, 0.46 - 0.31j])
    upstream = shim.tensor([-2.56 + 0.27j, 0.42 + 0.2j, -0.57 - 0.28j])
    (g,) = shim.autograd.grad(z / w, z, upstream)  # grad / other.conj(): numpy's quotient differs on the first two
    want = [("0x1.17de8ep+0", "0x1.aff51cp+1"), ("0x1.26f65ap-2", "-0x1.d3aa22p-8"), ("-0x1.225c5ap+0", "0x1.3ed08p-3")]
    assert g.tolist() == [complex(float.fromhex(re), float.fromhex(im)) for re, im in want]


def test_complex64_division_rounds_a_lone_elements_numerators():
    # (checked against torch 2.13) GCC computes complex64 division's scalar loop in pairs with fused numerators;
    # the odd last element of a run (a 0-d division too), and every element of an in-place run, rounds them
    g, w = -0.57 - 0.28j, 0.46 + 0.31j
    fused, rounded = float.fromhex("0x1.3ed07ep-3"), float.fromhex("0x1.3ed08p-3")
    quotients = shim.full((3,), g, dtype=shim.complex64) / shim.full((3,), w, dtype=shim.complex64)
    assert quotients.imag.tolist() == [fused, fused, rounded]
    assert (shim.tensor(g, dtype=shim.complex64) / shim.tensor(w, dtype=shim.complex64)).imag.item() == rounded
    in_place = shim.full((3,), g, dtype=shim.complex64).div_(shim.full((3,), w, dtype=shim.complex64))
    assert in_place.imag.tolist() == [rounded] * 3
