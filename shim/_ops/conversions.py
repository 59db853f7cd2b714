"""dtype and device conversions: `to`, `type`, `float()` and friends, `cpu()`/`cuda()`, complex parts."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._devices import CPU, NO_ACCELERATOR, cuda_emulated, is_pinned, mark_pinned, parse_device, tensor_device
from .._devices import device as device_cls
from .._dispatch import (
    broadcast_shapes,
    check_inplace,
    check_same_device,
    needs_grad,
    quiet_numpy,
    record,
    warn_complex_to_real,
    write_out,
)
from .._layout import conform, needs_layout, result_layout
from .._registry import register
from .._tensor import Tensor, make
from .._views import cast_preserving, empty_strided
from .elementwise import formula, write_inplace

__all__ = ["to", "type_as_string_or_dtype"]

_TO_COPY = formula(lambda F, g, self_dtype: F.to_dtype(F.real(g) if self_dtype.category < 3 else g, self_dtype))


def _convert(self: Tensor, dtype, device, copy: bool) -> Tensor:
    dtype = dtype or self._dtype
    device = device or self._device
    if dtype is self._dtype and device is self._device and not copy:
        return self
    with quiet_numpy():
        a = self._a
        if dtype.category < _dtypes.COMPLEX and self._dtype.category == _dtypes.COMPLEX:
            if dtype is not _dtypes.bool_:  # to bool tests for nonzero instead
                warn_complex_to_real()
                a = a.real
        value = cast_preserving(a, dtype)
    r = make(value, dtype, device)
    if needs_grad(self) and dtype.category >= _dtypes.FLOAT:
        record("ToCopyBackward0", (self,), (_TO_COPY,), {"self_dtype": self._dtype}, r)
    return r


def _parse_to(args, kwargs):
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for i, arg in enumerate(args):
        if arg is None and (i == 0 or (i == 1 and not isinstance(args[0], (_dtypes.dtype, Tensor)))):
            continue  # the (device=None, dtype=None) overload's defaults, given positionally
        if isinstance(arg, _dtypes.dtype):
            dtype = arg
        elif isinstance(arg, Tensor):
            dtype, device = arg._dtype, arg._device
        elif isinstance(arg, (str, device_cls, int)) and not isinstance(arg, bool):
            device = arg
            if isinstance(arg, (str, device_cls)) and parse_device(arg).index is not None:
                copy = True  # an explicit index never matches a CPU tensor's device, so torch copies
        elif isinstance(arg, bool):
            copy = arg if dtype is not None or device is not None else copy
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(arg).__name__})")
    return dtype, (tensor_device(device) if device is not None else None), copy


@register("to", function=False)
def to(self, *args, **kwargs):
    dtype, device, copy = _parse_to(args, dict(kwargs))
    return _convert(self, dtype, device, copy)


def _as(dtype_name):
    def method(self, memory_format=None):
        return _convert(self, _dtypes.DTYPES[dtype_name], None, False)

    method.__name__ = dtype_name
    return method


for _method, _name in [
    ("float", "float32"),
    ("double", "float64"),
    ("half", "float16"),
    ("long", "int64"),
    ("int", "int32"),
    ("short", "int16"),
    ("char", "int8"),
    ("byte", "uint8"),
    ("bool", "bool"),
    ("cfloat", "complex64"),
    ("cdouble", "complex128"),
]:
    setattr(Tensor, _method, _as(_name))


def cpu(self, memory_format=None):
    return _convert(self, None, tensor_device("cpu"), False)


def cuda(self, device=None, non_blocking=False, memory_format=None):
    return _convert(self, None, tensor_device("cuda" if device is None else device), False)


def pin_memory(self, device=None):
    """A pinned copy for fast transfers to the (emulated) GPU; torch's CPU build has no pinned memory."""
    if not cuda_emulated():
        raise RuntimeError(NO_ACCELERATOR)
    if is_pinned(self):
        return self
    if self._device is not CPU:
        raise RuntimeError(f"cannot pin '{self.type()}' only dense CPU tensors can be pinned")
    return mark_pinned(self.clone())


def _is_pinned(self, device=None) -> bool:
    return is_pinned(self)


Tensor.cpu = cpu
Tensor.cuda = cuda
Tensor.pin_memory = pin_memory
Tensor.is_pinned = _is_pinned

_LEGACY = {d._legacy: d for d in _dtypes.DTYPES.values()}


def type_as_string_or_dtype(self, dtype):
    if isinstance(dtype, str):
        target = _LEGACY.get(dtype) or _LEGACY.get(dtype.replace("torch.cuda.", "torch."))
        if target is None:
            raise ValueError(f"invalid type: '{dtype}'")
        return _convert(self, target, None, False)
    if isinstance(dtype, _dtypes.dtype):
        return _convert(self, dtype, None, False)
    legacy = getattr(dtype, "_legacy_dtype", None)
    if legacy is not None:
        return _convert(self, legacy, None, False)
    raise TypeError(f"type(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")


@register("type_as", function=False)
def type_as(self, other):
    return _convert(self, other._dtype, None, False)


def _real(self):
    if self._dtype.category != _dtypes.COMPLEX:
        return self
    from .._views import view_of

    # torch's real is view_as_real(self).select(-1, 0): SelectBackward0
    return view_of(self, self._a.real, "SelectBackward0", (formula(lambda F, g: g),), {})


def _imag(self):
    if self._dtype.category != _dtypes.COMPLEX:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    from .._views import view_of

    return view_of(self, self._a.imag, "SelectBackward0", (formula(lambda F, g: g * 1j),), {})


def _view_real(self):
    r = _real(self)
    if r is not self:
        r._dtype = self._dtype.to_real()
    return r


Tensor.real = property(lambda self: _view_real(self))


def _imag_prop(self):
    r = _imag(self)
    r._dtype = self._dtype.to_real()
    return r


Tensor.imag = property(_imag_prop)


_CONJ = (formula(lambda F, g: F.conj(g)),)


@register("conj")
def conj(self):
    """A copy with the imaginary parts negated (torch's is a view with the conjugate bit set): laid out with
    the view's strides, whatever they are."""
    if self._dtype.category != _dtypes.COMPLEX:
        return self
    a = self._a
    value = empty_strided(a.shape, [s // a.itemsize for s in a.strides], a.dtype)
    np.conjugate(a, out=value)
    t = make(value, self._dtype, self._device)
    if needs_grad(self):
        record("ConjBackward0", (self,), _CONJ, {}, t)
    return t


def _conj_physical(self, *, out=None):
    if self._dtype.category != _dtypes.COMPLEX:
        if out is not None:
            return write_out("conj_physical", out, self._a.copy(), self._dtype, (self,))
        return self
    value = np.conj(self._a)
    if out is not None:
        return write_out("conj_physical", out, value, self._dtype, (self,))
    t = make(value, self._dtype, self._device)
    if needs_grad(self):
        record("ConjPhysicalBackward0", (self,), _CONJ, {}, t)
    return t


def _conj_physical_(self):
    check_inplace(self)
    # (a real tensor: nothing to write, but torch counts and records the in-place op all the same)
    value = np.conj(self._a) if self._dtype.category == _dtypes.COMPLEX else self._a
    return write_inplace("ConjPhysicalBackward1", _CONJ, self, value, (self,))


register("conj_physical", inplace=_conj_physical_)(_conj_physical)


def complex_(real, imag):
    if real._dtype is not imag._dtype:
        raise RuntimeError(
            f"Expected object of scalar type {real._dtype._scalar_name} but got scalar type "
            f"{imag._dtype._scalar_name} for second argument"
        )
    if real._dtype not in (_dtypes.float32, _dtypes.float64, _dtypes.float16):
        raise RuntimeError(
            f"Expected both inputs to be Half, Float or Double tensors but got "
            f"{real._dtype._scalar_name} and {imag._dtype._scalar_name}"
        )
    out_dtype = real._dtype.to_complex()
    operands = (real._a, imag._a)
    value = np.empty(broadcast_shapes(real._a.shape, imag._a.shape), out_dtype.np)
    value.real, value.imag = operands
    if value.ndim and needs_layout(operands):
        value = conform(value, result_layout(value.shape, operands))
    t = make(value, out_dtype, check_same_device((real, imag)))
    if needs_grad(real) or needs_grad(imag):
        record("ComplexBackward0", (real, imag), _COMPLEX_PARTS, {}, t)
    return t


_COMPLEX_PARTS = (formula(lambda F, g: F.real(g)), formula(lambda F, g: F.imag(g)))


FUNCTIONS = {"complex": complex_}
