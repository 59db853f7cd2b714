"""torch.fft: discrete Fourier transforms, composed as torch's SpectralOps.cpp composes them.

Every transform is one of three primitives, each a graph node with torch's name and derivative:
`_fft_c2c` (complex to complex, FftC2CBackward0), `_fft_r2c` (real to complex, all or half of the last
dim's spectrum, FftR2CBackward0) and `_fft_c2r` (a half spectrum to a real signal, FftC2RBackward0).  A
requested length `n` pads the input with zeros (constant_pad_nd) or cuts it (narrow) first, inverse
transforms of real input and the Hermitian ones conjugate, and `norm` picks one of three scalings applied
by the primitive.  numpy's pocketfft computes the spectra (torch on CPU uses MKL or pocketfft): values agree
within torch's tolerance, not bit for bit.
"""

from __future__ import annotations

import numpy as np

from . import _dtypes
from ._autograd.grad_mode import STATE, no_grad
from ._cpu.quiet import quiet_numpy
from ._dispatch import record
from ._errors import wrap_dim
from ._ops.elementwise import formula, not_implemented_formula
from ._tensor import Tensor, make

__all__ = [
    "fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2", "rfftn", "irfftn",
    "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift",
]  # fmt: skip

# normalization: "none", "by_root_n" or "by_n", applied to the transform in the given direction
_NORMS = {None: ("none", "by_n"), "backward": ("none", "by_n"), "forward": ("by_n", "none")}
_NORMS["ortho"] = ("by_root_n", "by_root_n")
# numpy's norm= for (normalization, direction): numpy scales its forward transform by "forward", its
# inverse by "backward"
_NUMPY_NORM = {
    ("none", True): "backward",
    ("by_n", True): "forward",
    ("none", False): "forward",
    ("by_n", False): "backward",
}


def _numpy_norm(normalization: str, forward: bool) -> str:
    return "ortho" if normalization == "by_root_n" else _NUMPY_NORM[normalization, forward]


def _normalization(norm: str | None, forward: bool) -> str:
    if norm not in _NORMS:
        raise ValueError(f"Invalid normalization mode: {norm}")
    return _NORMS[norm][0 if forward else 1]


# -- the three primitives ----------------------------------------------------------------------------------
_MKL_EMPTY = "MKL FFT error: Intel oneMKL DFTI ERROR: Inconsistent configuration parameters"


def _check_not_empty(x: Tensor) -> None:
    """torch's MKL plan refuses a transform with no elements (an empty batch dim)."""
    if x._a.size == 0:
        raise RuntimeError(_MKL_EMPTY)


def _c2c_array(a: np.ndarray, dims, normalization: str, forward: bool) -> np.ndarray:
    transform = np.fft.fftn if forward else np.fft.ifftn
    with quiet_numpy():  # (infinities make NaNs silently, as in torch)
        return transform(a, axes=dims, norm=_numpy_norm(normalization, forward)).astype(a.dtype, copy=False)


def _make(value: np.ndarray, dtype, like: Tensor, dims, keep_last: bool) -> Tensor:
    """The result laid out as torch's _exec_fft makes it: the batch dims outermost, in the order of the
    input's strides, then the transformed dims, also sorted by the input's strides (_sort_dims), but for
    the last one of a real transform, which stays last."""
    strides = like._a.strides
    batch = sorted((d for d in range(value.ndim) if d not in dims), key=lambda d: -strides[d])
    moved = list(dims[:-1] if keep_last else dims)
    order = batch + sorted(moved, key=lambda d: -strides[d]) + ([dims[-1]] if keep_last else [])
    laid = np.empty([value.shape[d] for d in order], dtype.np)
    laid[...] = value.transpose(order)
    return make(laid.transpose(np.argsort(order)), dtype, like._device)


def _c2c(x: Tensor, dims: tuple, normalization: str, forward: bool) -> Tensor:
    _check_not_empty(x)
    r = _make(_c2c_array(x._a, dims, normalization, forward), x._dtype, x, dims, keep_last=False)
    if STATE.grad_enabled and x._rg:
        back = formula(lambda F, g: F.fused(lambda g: _c2c_grad(g, dims, normalization, not forward), g))
        record("FftC2CBackward0", (x,), (back,), {}, r)
    return r


def _c2c_grad(g, dims, normalization, forward):
    if isinstance(g, Tensor):
        return _c2c(g, dims, normalization, forward)
    return _c2c_array(g, dims, normalization, forward)


def _r2c(x: Tensor, dims: tuple, normalization: str, onesided: bool) -> Tensor:
    """The forward transform of a real signal; onesided keeps the last dim's first n // 2 + 1 bins."""
    if x.is_complex():  # (only ihfftn reaches the kernel's own check: the others refuse complex first)
        raise RuntimeError(f"Only supports floating-point dtypes, but found: {x.dtype._scalar_name}")
    _check_not_empty(x)
    complex_dtype = x._dtype.to_complex()
    full = _c2c_array(x._a.astype(complex_dtype.np), dims, normalization, True)
    if onesided:
        last = dims[-1]
        full = full[(slice(None),) * last + (slice(0, x._a.shape[last] // 2 + 1),)]
    r = _make(full, complex_dtype, x, dims, keep_last=True)
    if STATE.grad_enabled and x._rg:
        length = x._a.shape[dims[-1]]
        back = formula(lambda F, g: F.fused(lambda g: _r2c_grad(g, dims, normalization, onesided, length), g))
        record("FftR2CBackward0", (x,), (back,), {}, r)
    return r


def _r2c_grad(g, dims, normalization, onesided, length):
    """torch's fft_r2c_backward: the half spectrum's gradient zero-padded to the full length, the inverse
    transform, its real part."""
    tensor = isinstance(g, Tensor)
    if onesided and length > g.shape[dims[-1]]:
        pad = [(0, 0)] * g.ndim
        pad[dims[-1]] = (0, length - g.shape[dims[-1]])
        if tensor:
            from .nn.functional import pad as pad_tensor

            g = pad_tensor(g, [p for d in reversed(range(g.ndim)) for p in pad[d]])
        else:
            g = np.pad(g, pad)
    full = _c2c_grad(g, dims, normalization, False)
    return full.real if tensor else np.ascontiguousarray(full.real)


def _c2r(x: Tensor, dims: tuple, normalization: str, length: int) -> Tensor:
    """A half spectrum (last dim length // 2 + 1) to a real signal of `length` along the last dim."""
    _check_not_empty(x)
    real_dtype = x._dtype.to_real()
    a = x._a
    if len(dims) > 1:  # the other dims first (each step scales by its own sizes: together, by all of them)
        a = _c2c_array(a, dims[:-1], normalization, False)
    with quiet_numpy():
        value = np.fft.irfft(a, n=length, axis=dims[-1], norm=_numpy_norm(normalization, False))
    r = _make(value.astype(real_dtype.np, copy=False), real_dtype, x, dims, keep_last=True)
    if STATE.grad_enabled and x._rg:
        back = formula(lambda F, g: F.fused(lambda g: _c2r_grad(g, dims, normalization), g))
        record("FftC2RBackward0", (x,), (back,), {}, r)
    return r


def _c2r_grad(g, dims, normalization):
    """torch's fft_c2r_backward: the onesided forward transform of the gradient, with the bins whose mirror
    images the half spectrum left out counted twice."""
    if isinstance(g, Tensor):
        gi = _r2c(g, dims, normalization, True)
        double = g.shape[dims[-1]] - gi.shape[dims[-1]]
        if double > 0:
            gi = gi.clone()
            gi.narrow(dims[-1], 1, double).mul_(2)
        return gi
    full = _c2c_array(g.astype(np.result_type(g.dtype, np.complex64)), dims, normalization, True)
    last = dims[-1]
    gi = np.array(full[(slice(None),) * last + (slice(0, g.shape[last] // 2 + 1),)])
    double = g.shape[last] - gi.shape[last]
    if double > 0:
        gi[(slice(None),) * last + (slice(1, 1 + double),)] *= 2
    return gi


# -- composition, as SpectralOps.cpp ------------------------------------------------------------------------
def _promote(x: Tensor, require_complex: bool) -> Tensor:
    """promote_tensor_fft: integers to the default float, float or double only, complex if required."""
    dtype = x._dtype
    if dtype.category != _dtypes.COMPLEX:
        if dtype.category != _dtypes.FLOAT:
            dtype = _dtypes.get_default_dtype()
        if dtype not in (_dtypes.float32, _dtypes.float64):
            raise RuntimeError(f"Unsupported dtype {dtype._scalar_name}")
        if require_complex:
            dtype = dtype.to_complex()
    return x if dtype is x._dtype else x.to(dtype)


def _wrap(dim: int, ndim: int) -> int:
    return wrap_dim(dim, ndim, scalar_ok=False)


def _resize(x: Tensor, dims, sizes) -> Tensor:
    """resize_fft_input: each dim cut (narrow) or, all at once, zero-padded (constant_pad_nd) to its size."""
    pad = [0] * (2 * x.dim())
    padded = False
    for dim, size in zip(dims, sizes):
        if x.shape[dim] < size:
            padded = True
            pad[len(pad) - 2 * dim - 1] = size - x.shape[dim]
        if x.shape[dim] > size:
            x = x[(slice(None),) * dim + (slice(0, size),)]
    if not padded:
        return x
    from .nn.functional import pad as constant_pad

    return constant_pad(x, pad)


def _check_points(n: int) -> None:
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _run(primitive, aten: str, out: Tensor | None, x: Tensor, *args) -> Tensor:
    """A primitive, or its out= variant: autograd refuses that where anything requires grad; out, resized to
    the result's shape (contiguous), receives the values."""
    if out is None:
        return primitive(x, *args)
    from ._dispatch import _resize_output, check_out_grad
    from ._views import contiguous_strides

    check_out_grad(aten, out, (x,))
    with no_grad():
        result = primitive(x, *args)
        if out._dtype is not result._dtype:
            raise RuntimeError(
                f"Expected out tensor to have dtype {result._dtype._scalar_name}, but got "
                f"{out._dtype._scalar_name} instead"
            )
        if out._a.shape != result._a.shape:
            _resize_output(out, result._a.shape, contiguous_strides(result._a.shape))
        return out.copy_(result)


def _conj_into(out: Tensor | None, spectrum: Tensor) -> Tensor:
    """An inverse transform of a real signal: the forward spectrum conjugated (conj_physical_out into out,
    laid out as the spectrum, as an iterator resizes an empty out; autograd does not differentiate it, so
    the out gets a NotImplemented node)."""
    if out is None:
        return spectrum.conj()
    from ._dispatch import _resize_output, check_cast

    check_cast(spectrum._dtype, out._dtype)
    if out._a.shape != spectrum._a.shape:
        _resize_output(out, spectrum._a.shape, tuple(st // spectrum._a.itemsize for st in spectrum._a.strides))
    with no_grad():
        out.copy_(spectrum.conj())
    if STATE.grad_enabled and spectrum._rg:
        record("NotImplemented", (spectrum,), (not_implemented_formula("conj_physical"),), {}, out)
    return out


def _one_dim(name: str, input: Tensor, n, dim: int, norm, kind: str, forward: bool, out) -> Tensor:
    if kind == "c2r":
        x = _promote(input, True)
        d = _wrap(dim, x.dim())
        length = n if n is not None else 2 * (x.shape[d] - 1)
        _check_points(length)
        if n is not None:
            x = _resize(x, (d,), (length // 2 + 1,))
        if forward:  # hfft: torch conjugates lazily and _fft_c2r resolves it into a copy (clone's layout:
            x = x.conj().clone()  # an expanded input becomes dense, which then orders the result's dims)
        return _run(_c2r, "_fft_c2r", out, x, (d,), _normalization(norm, forward), length)
    if kind in ("r2c", "r2c onesided") and input.is_complex():
        raise RuntimeError(f"{name} expects a real input tensor, but got {input.dtype._scalar_name}")
    x = _promote(input, False)
    d = _wrap(dim, x.dim())
    length = n if n is not None else x.shape[d]
    _check_points(length)
    if n is not None:
        x = _resize(x, (d,), (length,))
    if kind == "c2c":
        return _run(_c2c, "_fft_c2c", out, x, (d,), _normalization(norm, forward), forward)
    onesided = kind == "r2c onesided"
    if forward:
        return _run(_r2c, "_fft_r2c", out, x, (d,), _normalization(norm, forward), onesided)
    return _conj_into(out, _r2c(x, (d,), _normalization(norm, forward), onesided))


def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("fft", input, n, dim, norm, "c2c" if input.is_complex() else "r2c", True, out)


def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("ifft", input, n, dim, norm, "c2c" if input.is_complex() else "r2c", False, out)


def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("rfft", input, n, dim, norm, "r2c onesided", True, out)


def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("ihfft", input, n, dim, norm, "r2c onesided", False, out)


def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("irfft", input, n, dim, norm, "c2r", False, out)


def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None, *, out=None) -> Tensor:
    return _one_dim("hfft", input, n, dim, norm, "c2r", True, out)


def _shape_and_dims(input: Tensor, s, dim) -> tuple[list, list]:
    """canonicalize_fft_shape_and_dim_args."""
    ndim = input.dim()
    dims = None
    if dim is not None:
        dims = [_wrap(d, ndim) for d in ([dim] if isinstance(dim, int) else dim)]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = list(s)
        if dims is not None and len(dims) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions.")
        if dims is None:
            dims = list(range(ndim - len(s), ndim))
        shape = [input.shape[d] if n == -1 else n for d, n in zip(dims, s)]
    elif dims is None:
        dims, shape = list(range(ndim)), list(input.shape)
    else:
        shape = [input.shape[d] for d in dims]
    for n in shape:
        if n <= 0:
            raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return shape, dims


def _n_dim(name: str, input: Tensor, s, dim, norm, kind: str, forward: bool, out) -> Tensor:
    if kind == "c2c":
        shape, dims = _shape_and_dims(input, s, dim)
        x = _resize(_promote(input, True), dims, shape)
        return _run(_c2c, "_fft_c2c", out, x, tuple(dims), _normalization(norm, forward), forward)
    if kind == "r2c":
        if input.is_complex():
            raise RuntimeError(f"{name} expects a real-valued input tensor, but got {input.dtype._scalar_name}")
        shape, dims = _shape_and_dims(input, s, dim)
        if not shape:
            raise RuntimeError(f"{name} must transform at least one axis")
        x = _resize(_promote(input, False), dims, shape)
        return _run(_r2c, "_fft_r2c", out, x, tuple(dims), _normalization(norm, True), True)
    shape, dims = _shape_and_dims(input, s, dim)
    if not shape:
        raise RuntimeError(f"{name} must transform at least one axis")
    length = 2 * (input.shape[dims[-1]] - 1) if s is None or list(s)[-1] == -1 else shape[-1]
    _check_points(length)
    shape[-1] = length // 2 + 1
    x = _resize(_promote(input, True), dims, shape)
    return _run(_c2r, "_fft_c2r", out, x, tuple(dims), _normalization(norm, False), length)


def hfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """A Hermitian half spectrum to a real signal: the forward transform over all but the last dim, conj,
    then c2r along the last dim, with the forward normalization throughout."""
    shape, dims = _shape_and_dims(input, s, dim)
    if not shape:
        raise RuntimeError("hfftn must transform at least one axis")
    length = 2 * (input.shape[dims[-1]] - 1) if s is None or list(s)[-1] == -1 else shape[-1]
    _check_points(length)
    shape[-1] = length // 2 + 1
    x = _resize(_promote(input, True), dims, shape)
    normalization = _normalization(norm, True)
    if len(dims) > 1:
        x = _c2c(x, tuple(dims[:-1]), normalization, True)
    return _run(_c2r, "_fft_c2r", out, x.conj(), (dims[-1],), normalization, length)


def ihfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    """A real signal to its Hermitian half spectrum: r2c along the last dim, conjugated, then the inverse
    transform over the other dims, with the inverse normalization throughout."""
    shape, dims = _shape_and_dims(input, s, dim)
    if not shape:
        raise RuntimeError("ihfftn must transform at least one axis")
    x = _resize(_promote(input, False), dims, shape)
    normalization = _normalization(norm, False)
    spectrum = _r2c(x, (dims[-1],), normalization, True)
    if len(dims) == 1:
        if out is None:
            return spectrum.conj()
        # torch 2.13 calls conj_physical_out(spectrum, out) with its arguments swapped: the spectrum is
        # resized to out's shape (with resize's warning) and overwritten; out is returned as it was
        from ._dispatch import _resize_output
        from ._views import contiguous_strides

        _resize_output(spectrum, out._a.shape, contiguous_strides(out._a.shape))
        return out
    from . import conj_physical

    return _run(_c2c, "_fft_c2c", out, conj_physical(spectrum), tuple(dims[:-1]), normalization, False)


def hfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return hfftn(input, s, dim, norm, out=out)


def ihfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return ihfftn(input, s, dim, norm, out=out)


def fftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    return _n_dim("fftn", input, s, dim, norm, "c2c", True, out)


def ifftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    return _n_dim("ifftn", input, s, dim, norm, "c2c", False, out)


def rfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    return _n_dim("rfftn", input, s, dim, norm, "r2c", True, out)


def irfftn(input: Tensor, s=None, dim=None, norm: str | None = None, *, out=None) -> Tensor:
    return _n_dim("irfftn", input, s, dim, norm, "c2r", False, out)


def fft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return fftn(input, s, dim, norm, out=out)


def ifft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return ifftn(input, s, dim, norm, out=out)


def rfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return rfftn(input, s, dim, norm, out=out)


def irfft2(input: Tensor, s=None, dim=(-2, -1), norm: str | None = None, *, out=None) -> Tensor:
    return irfftn(input, s, dim, norm, out=out)


# -- frequencies and shifts -------------------------------------------------------------------------------------
def _frequencies(count: int, n: int, d: float, dtype, device, requires_grad: bool, signed: bool) -> Tensor:
    """arange(count) (its second half counted down from -(n // 2) when signed), times 1 / (n d) in the
    dtype, as torch's fftfreq and rfftfreq compute them in place."""
    from . import arange

    if count < 0:  # (torch's at::empty({count}), before its dtype check)
        raise RuntimeError(f"Trying to create tensor with negative dimension {count}: [{count}]")
    dtype = dtype or _dtypes.get_default_dtype()
    if dtype.category < _dtypes.FLOAT:
        raise RuntimeError(f"{'fftfreq' if signed else 'rfftfreq'} requires a floating point or complex dtype")
    result = arange(count, dtype=dtype, device=device)
    values = result._a
    if signed:
        values[(n + 1) // 2 :] = np.arange(-(n // 2), 0)
    with quiet_numpy():  # (C++'s double 1.0 / (n * d): infinite for n or d zero)
        scale = float(np.float64(1.0) / (np.float64(n) * d))
    if result._dtype.category != _dtypes.FLOAT:  # (mul_ by a float into an integral tensor)
        result.mul_(scale)
    with quiet_numpy():
        values *= result._dtype.np.type(scale)
    return result.requires_grad_(requires_grad)


def fftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    return _frequencies(n, n, d, dtype, device, requires_grad, signed=True)


def rfftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None, requires_grad: bool = False) -> Tensor:
    half = n // 2 if n >= 0 else -(-n // 2)  # (C++'s n / 2 truncates toward zero)
    return _frequencies(half + 1, n, d, dtype, device, requires_grad, signed=False)


def _all_dims(x: Tensor, dim) -> list:
    if dim is None:
        return list(range(x.dim()))
    return [_wrap(d, x.dim()) for d in ([dim] if isinstance(dim, int) else dim)]


def fftshift(input: Tensor, dim=None) -> Tensor:
    dims = _all_dims(input, dim)
    return input.roll([input.shape[d] // 2 for d in dims], dims)


def ifftshift(input: Tensor, dim=None) -> Tensor:
    dims = _all_dims(input, dim)
    return input.roll([(input.shape[d] + 1) // 2 for d in dims], dims)
