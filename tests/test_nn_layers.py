"""Convolution, padding, pooling and normalisation on the shim, without torch: each checked against a direct
definition (loops over the output, numpy) or a value checked against torch 2.13 (see each comment)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import shim
import shim.nn as nn
import shim.nn.functional as F


def _conv2d_loops(x, w, b, stride, padding, dilation, groups):
    """The definition: every output element a sum over its window, one loop per index."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    ow = (wd + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    y = np.zeros((n, o, oh, ow))
    for i, oc, r, s in itertools.product(range(n), range(o), range(oh), range(ow)):
        g = oc // (o // groups)
        window = xp[i, g * cg : (g + 1) * cg, r * stride :: dilation][:, :kh, s * stride :: dilation][:, :, :kw]
        y[i, oc, r, s] = (window * w[oc]).sum() + b[oc]
    return y


@pytest.mark.parametrize("stride, padding, dilation, groups", [(1, 0, 1, 1), (2, 1, 1, 2), (1, 2, 2, 1), (3, 1, 2, 2)])
def test_conv2d_is_the_sum_over_each_window(stride, padding, dilation, groups):
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 4, 7, 6)), rng.standard_normal((6, 4 // groups, 3, 2)), rng.standard_normal(6)
    y = F.conv2d(shim.tensor(x), shim.tensor(w), shim.tensor(b), stride, padding, dilation, groups)
    np.testing.assert_allclose(y.numpy(), _conv2d_loops(x, w, b, stride, padding, dilation, groups), rtol=1e-12)
    assert y.grad_fn is None


def test_conv_gradients_are_the_adjoint_of_the_convolution():
    # <conv(x, w), g> = <x, grad_x> = <w, grad_w> for the linear map: the gradients are its transposes
    rng = np.random.default_rng(1)
    x = shim.tensor(rng.standard_normal((2, 2, 6, 5)), requires_grad=True)
    w = shim.tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    y = F.conv2d(x, w, stride=2, padding=1, dilation=(1, 2))
    g = shim.tensor(rng.standard_normal(tuple(y.shape)))
    y.backward(g)
    inner = (y * g).sum().item()
    assert y.grad_fn.name() == "ConvolutionBackward0"
    assert (x * x.grad).sum().item() == pytest.approx(inner, rel=1e-12)
    assert (w * w.grad).sum().item() == pytest.approx(inner, rel=1e-12)


def test_conv_transpose_is_the_input_gradient_of_conv():
    rng = np.random.default_rng(2)
    x = shim.tensor(rng.standard_normal((1, 2, 5, 5)), requires_grad=True)
    w = shim.tensor(rng.standard_normal((3, 2, 3, 3)))
    y = F.conv2d(x, w, stride=2, padding=1)
    g = shim.tensor(rng.standard_normal(tuple(y.shape)))
    y.backward(g)
    t = F.conv_transpose2d(g, w, stride=2, padding=1, output_padding=0)
    np.testing.assert_allclose(t.numpy(), x.grad.numpy(), rtol=1e-12)


def test_conv_errors_follow_torch():
    x, w = shim.randn(2, 3, 5, 5), shim.randn(4, 3, 3, 3)
    with pytest.raises(RuntimeError, match=r"expected input\[2, 2, 5, 5\] to have 3 channels, but got 2 channels"):
        F.conv2d(x[:, :2], w)
    with pytest.raises(RuntimeError, match=r"Kernel size can't be greater than actual input size"):
        F.conv2d(x[..., :2, :2], w)
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d"):
        F.conv2d(x[0, 0], w)


def test_conv_module_repr_and_init():
    # (checked against torch 2.13) the repr, and the first bias value drawn after the weight under seed 0
    shim.manual_seed(0)
    conv = nn.Conv2d(3, 8, 3)
    assert repr(conv) == "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))"
    assert round(conv.bias[0].item(), 4) == -0.1505
    layer = nn.Conv2d(4, 8, (3, 2), stride=2, padding=1, dilation=2, groups=2, bias=False, padding_mode="reflect")
    assert repr(layer) == (
        "Conv2d(4, 8, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), groups=2, bias=False, "
        "padding_mode=reflect)"
    )


def test_pad_modes():
    x = shim.tensor([[[1.0, 2.0, 3.0]]])
    assert F.pad(x, (2, 1), mode="reflect").tolist() == [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]]
    assert F.pad(x, (2, 1), mode="replicate").tolist() == [[[1.0, 1.0, 1.0, 2.0, 3.0, 3.0]]]
    assert F.pad(x, (2, 1), mode="circular").tolist() == [[[2.0, 3.0, 1.0, 2.0, 3.0, 1.0]]]
    assert F.pad(x, (-1, 1), value=7.0).tolist() == [[[2.0, 3.0, 7.0]]]
    y = shim.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    F.pad(y, (2, 2), mode="replicate").sum().backward()
    assert y.grad.tolist() == [[[3.0, 1.0, 3.0]]]


def test_max_pool_picks_the_first_maximum_and_nan():
    x = shim.tensor([[[[1.0, 5.0, 5.0, 0.0], [2.0, 5.0, float("nan"), 1.0]]]], requires_grad=True)
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    assert values[0, 0, 0, 0].item() == 5.0 and indices.tolist() == [[[[1, 6]]]]
    assert np.isnan(values[0, 0, 0, 1].item())
    values.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]]]
    assert values.grad_fn.name() == "MaxPool2DWithIndicesBackward0"


def test_max_pool_window_all_in_the_padding():
    """A window that reads only padding gives -inf and torch's index (the window's start stepped past the
    padding, which lies past the plane: torch 2.13 gives 1, 4 and 3 below); its gradient goes nowhere (torch's
    backward writes it outside the plane)."""
    x = shim.zeros(1, 3, 1, requires_grad=True)
    y, i = F.max_pool1d(x, 2, padding=1, dilation=2, return_indices=True)
    assert y.tolist() == [[[-math.inf]] * 3] and i.tolist() == [[[1]] * 3]
    y.sum().backward()
    assert x.grad.tolist() == [[[0.0]] * 3]
    x = shim.zeros(1, 2, 1, 2, requires_grad=True)
    y, i = F.max_pool2d(x, 2, padding=1, dilation=(2, 3), return_indices=True)
    assert y.flatten().tolist() == [-math.inf] * 2 and i.flatten().tolist() == [4, 4]
    y.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 0.0]], [[0.0, 0.0]]]]
    assert F.max_pool3d(shim.zeros(1, 1, 1, 1, 1), 2, padding=1, dilation=2, return_indices=True)[1].item() == 3
    y, i = F.max_pool1d(shim.arange(3.0).reshape(1, 1, 3), 2, stride=1, padding=1, dilation=3, return_indices=True)
    assert y.tolist() == [[[2.0, 0.0]]] and i.tolist() == [[[2, 0]]]


def test_avg_pool_divisors():
    x = shim.arange(16.0).reshape(1, 4, 4)
    # (checked against torch 2.13) count_include_pad=False divides by the input elements in each window
    assert F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False).tolist() == [
        [[2.5, 4.0, 5.0], [8.5, 10.0, 11.0], [12.5, 14.0, 15.0]]
    ]
    assert F.adaptive_avg_pool2d(x, 1).grad_fn is None
    assert F.adaptive_avg_pool2d(x.requires_grad_(), 1).grad_fn.name() == "MeanBackward1"


def test_batch_norm_updates_running_statistics():
    bn = nn.BatchNorm1d(2, momentum=0.5)
    x = shim.tensor([[1.0, 10.0], [3.0, 20.0], [5.0, 30.0]])
    y = bn(x)
    assert bn.running_mean.tolist() == [1.5, 10.0]  # 0.5 * 0 + 0.5 * mean
    assert bn.running_var.tolist() == [2.5, 50.5]  # 0.5 * 1 + 0.5 * unbiased variance (4, 100)
    assert bn.num_batches_tracked.item() == 1
    # torch 2.13's bits: y = x * alpha + beta by fused multiply-adds, where beta = -mean * alpha rounded, so
    # the middle element (exactly the mean) comes out as -2**-24, not 0
    assert y[:, 0].tolist() == [-1.2247426509857178, -5.960464477539063e-08, 1.2247424125671387]
    bn.eval()
    np.testing.assert_allclose(bn(x)[:, 0].tolist(), (np.array([1.0, 3.0, 5.0]) - 1.5) / np.sqrt(2.5 + 1e-5), rtol=1e-6)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        bn.train()(x[:1])


def test_layer_and_group_norm_normalise_their_groups():
    x = shim.randn(3, 4, 5, dtype=shim.float64)
    y = nn.LayerNorm(5, dtype=shim.float64)(x)
    np.testing.assert_allclose(y.detach().mean(-1).numpy(), 0, atol=1e-12)
    np.testing.assert_allclose(
        y.detach().var(-1, unbiased=False).numpy(), 1 / (1 + 1e-5 / x.var(-1, unbiased=False).numpy()), rtol=1e-9
    )
    z = nn.GroupNorm(2, 4, dtype=shim.float64)(x)
    np.testing.assert_allclose(z.detach().reshape(3, 2, 10).mean(-1).numpy(), 0, atol=1e-12)
    assert z.grad_fn.name() == "NativeGroupNormBackward0" and y.grad_fn.name() == "NativeLayerNormBackward0"


def test_lstm_step_is_the_gate_equations():
    shim.manual_seed(0)
    lstm = nn.LSTM(2, 3, dtype=shim.float64)
    x = shim.randn(1, 1, 2, dtype=shim.float64)
    output, (h, c) = lstm(x)
    w_ih, w_hh, b_ih, b_hh = (p.detach().numpy() for p in lstm.parameters())
    gates = w_ih @ x.numpy()[0, 0] + b_ih + b_hh  # (initial state zero: w_hh contributes nothing)
    i, f, g, o = np.split(gates, 4)
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    cell = sigmoid(i) * np.tanh(g)
    np.testing.assert_allclose(c.detach().numpy()[0, 0], cell, rtol=1e-12)
    np.testing.assert_allclose(output.detach().numpy()[0, 0], sigmoid(o) * np.tanh(cell), rtol=1e-12)
    assert [n for n, _ in lstm.named_parameters()] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
    assert w_hh.shape == (12, 3) and h.grad_fn.name() == "StackBackward0"


def test_interpolate_nearest_and_linear():
    x = shim.tensor([[[0.0, 1.0, 2.0]]])
    assert F.interpolate(x, scale_factor=2).tolist() == [[[0.0, 0.0, 1.0, 1.0, 2.0, 2.0]]]
    assert F.interpolate(x, size=5, mode="linear", align_corners=True).tolist() == [[[0.0, 0.5, 1.0, 1.5, 2.0]]]
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, size=5, align_corners=True)


def test_pooling_windows_are_remembered_read_only_and_reused():
    """The windows of a pooling shape are computed once (read-only, so no caller can change them) and serve
    every later call: the second call of each pool equals the first on new data as a direct definition says."""
    from shim._ops import pooling

    rng = np.random.default_rng(0)
    for _ in range(2):
        x = rng.standard_normal((2, 3, 7, 6)).astype(np.float32)
        padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
        want = np.stack(
            [padded[:, :, i : i + 3, j : j + 3].max((2, 3)) for i in range(0, 8, 2) for j in range(0, 6, 2)], -1
        )
        got = F.max_pool2d(shim.from_numpy(x), 3, stride=2, padding=1).numpy()
        assert np.array_equal(got.reshape(2, 3, -1), want)
        averaged = F.avg_pool2d(shim.from_numpy(x), 2).numpy()
        assert np.allclose(averaged, x[:, :, :6].reshape(2, 3, 3, 2, 3, 2).mean((3, 5)), rtol=1e-6)
    windows = pooling._max_windows((4, 3), (3, 3), (2, 2), (1, 1), (1, 1), (7, 6))
    assert pooling._max_windows.cache_info().hits >= 1 and not any(a.flags.writeable for a in windows)


@pytest.mark.parametrize("shape", [(0, 3), (0, 2, 3)])
def test_normalisation_of_an_empty_batch_has_zero_parameter_gradients(shape):
    """A batch of no rows: the weight and bias gradients are sums over nothing, zeros of their shapes (torch
    2.13 gives these), not a crash in the per-thread sums."""
    norms = [nn.LayerNorm(3), nn.BatchNorm1d(shape[1])]
    for norm in norms:
        x = shim.zeros(*shape, requires_grad=True)
        norm(x).sum().backward()
        assert x.grad.shape == shape
        assert norm.weight.grad.tolist() == [0.0] * norm.weight.numel() == norm.bias.grad.tolist()
