"""Core invariants of the tensor: views alias, numpy sharing, promotion, the registry's forms."""

from __future__ import annotations

import numpy as np
import pytest

import shim


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
