"""`Tensor`: a numpy array view over a storage, plus dtype, device, version counter and autograd state.

Every tensor wraps an ndarray `_a` that is a *view* into its storage (`_storage`, the root array, or
`_a` itself for a tensor that owns its memory), so views alias exactly as torch's do.  Methods that
come from the op registry are attached in `_registry`; this module holds the tensor's own protocol.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _dtypes
from ._autograd.grad_mode import STATE
from ._devices import CPU
from ._dtypes import COMPLEX, DTYPES, FLOAT
from ._errors import warn_internal

__all__ = ["Tensor", "Size", "make", "make_view", "scalar_tensor", "storage_root", "address"]


class Size(tuple):
    """torch.Size: a tuple of ints that prints as torch.Size([...])."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(d) for d in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __reduce__(self):
        return (Size, (tuple(self),))


Size.__module__ = "torch"


class _Meta:
    """Autograd state that most tensors never need: allocated on first use."""

    __slots__ = ("grad", "output_nr", "retains_grad", "hooks", "accumulator", "creation", "inference", "view_version")

    def __init__(self):
        self.grad = None
        self.output_nr = 0
        self.retains_grad = False
        self.hooks = None
        self.accumulator = None
        self.creation = None  # why in-place on this view is forbidden: None, "no_grad", ("multi", op, index)
        self.inference = False
        self.view_version = None  # a view's version when its node was recorded


_new = object.__new__


class Tensor:
    __slots__ = ("_a", "_dtype", "_device", "_base", "_storage", "_vc", "_rg", "_fn", "_meta", "__weakref__")

    # -- construction -------------------------------------------------------------------------
    def __new__(cls, *args, **kwargs):
        from ._creation import legacy_tensor_constructor

        return legacy_tensor_constructor(_dtypes.float32, args, kwargs)

    def _meta_(self) -> _Meta:
        m = self._meta
        if m is None:
            m = self._meta = _Meta()
        return m

    # -- basic attributes ---------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._device

    @property
    def shape(self) -> Size:
        return Size(self._a.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._a.shape)
        return self._a.shape[_dim_of_dimensioned(dim, self._a.ndim)]

    def dim(self) -> int:
        return self._a.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._a.ndim

    def numel(self) -> int:
        return self._a.size

    nelement = numel

    def element_size(self) -> int:
        return self._dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self._dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self._a.size * self._dtype.itemsize

    def stride(self, dim=None):
        a = self._a
        if a.size or any(a.strides):
            item = a.itemsize
            strides = tuple([s // item for s in a.strides])
        else:
            from ._views import contiguous_strides

            strides = contiguous_strides(a.shape)  # numpy zeroes a new empty array's strides; torch does not
        if dim is None:
            return strides
        return strides[_dim_of_dimensioned(dim, self._a.ndim)]

    def storage_offset(self) -> int:
        return (address(self._a) - address(storage_root(self))) // self._dtype.itemsize

    def data_ptr(self) -> int:
        return address(self._a)

    def untyped_storage(self):
        return UntypedStorage(storage_root(self), self._device)

    def is_contiguous(self, memory_format=None) -> bool:
        return _is_contiguous(self._a.shape, self.stride())

    def is_floating_point(self) -> bool:
        return self._dtype.category == FLOAT

    def is_complex(self) -> bool:
        return self._dtype.category == COMPLEX

    def is_signed(self) -> bool:
        return self._dtype.is_signed

    @property
    def is_cuda(self) -> bool:
        return self._device.type == "cuda"

    @property
    def is_cpu(self) -> bool:
        return self._device.type == "cpu"

    @property
    def is_sparse(self) -> bool:
        return False

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_meta(self) -> bool:
        return False

    @property
    def layout(self):
        from . import strided

        return strided

    def get_device(self) -> int:
        return -1 if self._device.type == "cpu" else 0

    def is_inference(self) -> bool:
        return self._meta is not None and self._meta.inference

    @property
    def _version(self) -> int:
        return self._vc[0] if self._vc is not None else 0

    def _version_value(self) -> int:
        return self._vc[0] if self._vc is not None else 0

    def _is_view(self) -> bool:
        return self._base is not None

    def type(self, dtype=None, non_blocking=False, *, memory_format=None, **kwargs):
        if kwargs.keys() - {"async"}:  # (torch's deprecated overload names non_blocking `async`)
            raise TypeError(f"type() got an unexpected keyword argument '{next(iter(kwargs.keys() - {'async'}))}'")
        if dtype is None:
            legacy = self._dtype._legacy
            return legacy if self._device.type == "cpu" else legacy.replace("torch.", "torch.cuda.")
        from ._ops.conversions import type_as_string_or_dtype

        return type_as_string_or_dtype(self, dtype)

    # -- Python protocol ----------------------------------------------------------------------
    def __len__(self) -> int:
        if self._a.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._a.shape[0]

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        n = self._a.size
        if n != 1:
            if n == 0:
                raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._a.reshape(()))

    def _scalar_for_conversion(self, warn: bool = True):
        """The one element as a Python number; float() and complex() warn, once in the process, about a tensor
        that requires grad (int() does not)."""
        if self._a.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if self._rg and warn:  # (TORCH_WARN_ONCE: the first time in the process only)
            warn_internal(
                "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                "Consider using tensor.detach() first.",
                "torch/csrc/autograd/generated/python_variable_methods.cpp:822",
                once=True,
            )
        return self._a.reshape(()).item()

    def __float__(self) -> float:
        v = self._scalar_for_conversion()
        if isinstance(v, complex):
            if v.imag:
                raise RuntimeError("value cannot be converted to type double without overflow")
            v = v.real
        return float(v)

    def __int__(self) -> int:
        v = self._scalar_for_conversion(warn=False)
        if isinstance(v, complex):  # c10's checked_convert<int64_t>: a finite real part in range, no imaginary one
            if v.imag or not -(2.0**63) <= v.real <= 2.0**63:
                raise RuntimeError("value cannot be converted to type int64_t without overflow")
            v = v.real
        return int(v)

    def __complex__(self) -> complex:
        return complex(self._scalar_for_conversion())

    def __index__(self) -> int:
        if self._dtype.category not in (_dtypes.INT, _dtypes.BOOL) or self._a.size != 1 or self._a.ndim != 0:
            if self._dtype.category in (_dtypes.INT, _dtypes.BOOL) and self._a.size == 1:
                return int(self._a.reshape(()).item())
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._a.item())

    def __format__(self, spec: str) -> str:
        if self._a.ndim == 0:
            return self.detach().item().__format__(spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._printing import tensor_str

        return tensor_str(self)

    def __array__(self, dtype=None, copy=None):
        a = self._a
        if dtype is not None:
            return a.astype(dtype, copy=False)
        return a

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._a.copy(), self._dtype._name, self._rg))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at "
                "the moment.  If you were attempting to deepcopy a module, this may be because of a "
                "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001"
            )
        t = make(self._a.copy(), self._dtype, self._device)
        t._rg = self._rg
        memo[id(self)] = t
        return t

    # -- conversions to Python and numpy ------------------------------------------------------
    def item(self):
        n = self._a.size
        if n != 1:
            raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
        return self._a.reshape(()).item()

    def tolist(self):
        return self._a.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        if not force:
            if self._rg:
                raise RuntimeError(
                    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
                )
            if self._device.type != "cpu":
                raise TypeError(
                    "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to "
                    "host memory first."
                )
        if self._dtype in _dtypes.BARELY_SUPPORTED:
            pass
        return self._a.view()

    # -- autograd attributes ------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value) -> None:
        if self._fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if value and self._dtype.category < FLOAT:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._rg = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self._fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
                )
            return self
        if requires_grad and self._dtype.category < FLOAT:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self.is_inference() and not STATE.inference:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
        self._rg = bool(requires_grad)
        if self._rg and self._base is None and self._vc is not None and len(self._vc) > 1:
            from ._autograd.views import wake_views

            wake_views(self)  # its earlier views now require grad (torch: a view asks its base)
        return self

    @property
    def grad_fn(self):
        from ._autograd.views import view_grad_fn

        if self._base is not None and self._rg:
            return view_grad_fn(self)
        return self._fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._meta.output_nr if self._meta is not None else 0

    @property
    def grad(self):
        if self._fn is not None and not (self._meta is not None and self._meta.retains_grad):
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
                "Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
                "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)",
                UserWarning,
                stacklevel=2,
            )
        return self._meta.grad if self._meta is not None else None

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value._dtype is not self._dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{value._dtype._cpp_name}' to a tensor with "
                    f"grad_dtype '{self._dtype._scalar_name}'. The gradient must match the tensor's grad_dtype "
                    "(defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute with a specific "
                    "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a "
                    "tensor and its gradient may break downstream systems that assume they match."
                )
            if value._a.shape != self._a.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._a.shape)}' to a tensor of size "
                    f"'{list(self._a.shape)}'. Please ensure that the gradient and the tensor are the same size"
                )
            if value._device != self._device:
                raise RuntimeError(
                    "attempting to assign a gradient located on device with index '-1' to a tensor located on "
                    "device with index '0'. Please ensure that the gradient and the tensor are on the same device"
                )
        self._meta_().grad = value

    @grad.deleter
    def grad(self) -> None:
        if self._meta is not None:
            self._meta.grad = None

    @property
    def retains_grad(self) -> bool:
        return self._meta is not None and self._meta.retains_grad

    def retain_grad(self) -> None:
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None:
            return
        if not self.retains_grad:
            from ._autograd.engine import retain_grad_hook

            retain_grad_hook(self)
        self._meta_().retains_grad = True

    @property
    def data(self) -> Tensor:
        t = make(self._a, self._dtype, self._device)
        t._storage = storage_root(self)
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if self._rg and value._dtype.category < FLOAT:
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or complex dtype")
        self._a, self._dtype, self._device = value._a, value._dtype, value._device
        self._storage = storage_root(value)

    def detach(self) -> Tensor:
        t = make(self._a, self._dtype, self._device)
        t._storage = storage_root(self)
        t._vc = _shared_counter(self)
        if self._meta is not None and self._meta.inference:
            t._meta_().inference = True
        return t

    def detach_(self) -> Tensor:
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
                "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
                "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._rg = False
        self._fn = None
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        from ._autograd.engine import backward

        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook):
        from ._autograd.engine import register_tensor_hook

        return register_tensor_hook(self, hook)

    @property
    def name(self):
        """A tensor's name (named tensors are gone from torch 2.13; the attribute is None)."""
        return None


Tensor.__module__ = "torch"


def _rebuild(array, dtype_name, requires_grad):
    t = make(array, DTYPES[dtype_name], CPU)
    t._rg = requires_grad
    return t


class UntypedStorage:
    """The storage behind a tensor: what programs inspect (address, size, device), and the moves a
    `torch.load(map_location=lambda storage, location: ...)` function makes."""

    __slots__ = ("_root", "device")

    def __init__(self, root: np.ndarray, device=CPU):
        self._root, self.device = root, device

    def cpu(self) -> UntypedStorage:
        return UntypedStorage(self._root)

    def cuda(self, device=None) -> UntypedStorage:
        from ._devices import tensor_device

        return UntypedStorage(self._root, tensor_device("cuda" if device is None else device))

    def data_ptr(self) -> int:
        return address(self._root)

    def nbytes(self) -> int:
        return self._root.nbytes

    def size(self) -> int:
        return self._root.nbytes

    def __len__(self) -> int:
        return self._root.nbytes


UntypedStorage.__module__ = "torch"


def address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def storage_root(t: Tensor) -> np.ndarray:
    return t._storage if t._storage is not None else t._a


def _shared_counter(t: Tensor) -> list:
    vc = t._vc
    if vc is None:
        vc = t._vc = [0]
    return vc


def _is_contiguous(shape, strides) -> bool:
    if 0 in shape:
        return True  # torch: an empty tensor is contiguous whatever its strides
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def _dim_of_dimensioned(dim, ndim: int) -> int:
    """size(d)/stride(d): a 0-d tensor has no dim to name (reductions, unlike these, accept 0 and -1)."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap_dim(dim, ndim)


def _wrap_dim(dim, ndim: int) -> int:
    from ._errors import wrap_dim

    return wrap_dim(dim, ndim)


def make(a: np.ndarray, dtype, device=CPU) -> Tensor:
    """The one private constructor: wrap an ndarray (never copied) as a fresh tensor."""
    if dtype is _COMPLEX32:
        _warn_complex32()
    t = _new(Tensor)
    t._a = a
    t._dtype = dtype
    t._device = device
    t._base = None
    t._storage = None
    t._vc = None
    t._rg = False
    t._fn = None
    t._meta = None
    if STATE.inference:  # every tensor allocated in inference mode is an inference tensor
        t._meta_().inference = True
    return t


_COMPLEX32 = _dtypes.complex32


def _warn_complex32() -> None:
    warnings.warn(
        "ComplexHalf support is experimental and many operators don't support it yet. (Triggered internally at "
        "/__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.)",
        UserWarning,
        stacklevel=4,
    )


def make_view(base: Tensor, a: np.ndarray) -> Tensor:
    """A tensor that views `base`'s storage through the ndarray `a`: same storage, same version counter."""
    t = _new(Tensor)
    t._a = a
    t._dtype = base._dtype
    t._device = base._device
    t._base = base._base if base._base is not None else base
    t._storage = base._storage if base._storage is not None else base._a
    t._vc = base._vc if base._vc is not None else _shared_counter(base)
    t._rg = False
    t._fn = None
    t._meta = None
    if base._meta is not None and base._meta.inference:  # a view of a normal tensor stays normal
        t._meta_().inference = True
    return t


def scalar_tensor(value, dtype=None) -> Tensor:
    """A 0-d tensor holding a numpy scalar (or Python scalar with an explicit dtype)."""
    if dtype is None:
        a = np.asarray(value)
        dtype = _dtypes.from_numpy_dtype(a.dtype)
    else:
        a = np.asarray(value, dtype=dtype.np)
    return make(a, dtype)
