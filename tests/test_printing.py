"""Printing, against torch 2.13 outputs recorded in the project's reference notes (shared/reference)."""

from __future__ import annotations

import pytest

import shim

CASES = [
    (lambda: shim.tensor([1.0, 2.0, 3.0]), "tensor([1., 2., 3.])"),
    (lambda: shim.tensor([3.4, 3, 2.1]), "tensor([3.4000, 3.0000, 2.1000])"),
    (lambda: shim.tensor([1e-4]), "tensor([1.0000e-04])"),
    (lambda: shim.tensor([1e-4], dtype=shim.float64), "tensor([0.0001], dtype=torch.float64)"),
    (lambda: shim.tensor([-0.0, 1.5]), "tensor([-0.0000, 1.5000])"),
    (lambda: shim.tensor([1.5, float("nan"), -float("inf")]), "tensor([1.5000,    nan,   -inf])"),
    (lambda: shim.tensor([True, False]), "tensor([ True, False])"),
    (lambda: shim.tensor([], dtype=shim.int64), "tensor([], dtype=torch.int64)"),
    (lambda: shim.zeros(0, 3), "tensor([], size=(0, 3))"),
    (lambda: shim.tensor([1, -20, 300], dtype=shim.int16), "tensor([  1, -20, 300], dtype=torch.int16)"),
    (lambda: shim.arange(1001), "tensor([   0,    1,    2,  ...,  998,  999, 1000])"),
    (lambda: shim.tensor([0.99995]), "tensor([0.9999])"),
    (lambda: shim.tensor([1 + 2j, 3 - 4j]), "tensor([1.+2.j, 3.-4.j])"),
    (lambda: shim.ones(2, requires_grad=True) * 2, "tensor([2., 2.], grad_fn=<MulBackward0>)"),
]


@pytest.mark.parametrize("make, expected", CASES, ids=[c[1] for c in CASES])
def test_repr(make, expected):
    assert repr(make()) == expected


def test_set_printoptions_resets_sci_mode():
    shim.set_printoptions(sci_mode=True)
    assert repr(shim.tensor([1.5, 2.0])) == "tensor([1.5000e+00, 2.0000e+00])"
    shim.set_printoptions(precision=6)
    assert repr(shim.tensor([1.5, 2.0])) == "tensor([1.500000, 2.000000])"


def test_suffix_wrapping():
    t = shim.arange(14, dtype=shim.float64).reshape(1, 14).requires_grad_() * 1.5
    assert repr(t).endswith("19.5000]],\n       dtype=torch.float64, grad_fn=<MulBackward0>)")
