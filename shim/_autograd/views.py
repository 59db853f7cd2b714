"""Autograd on views: in-place writes through views (CopySlices), regenerated view nodes
(AsStridedBackward0), and the in-place errors torch raises for special views."""

from __future__ import annotations

import weakref

import numpy as np

from .graph import BACKWARD_TWICE, Node, grad_accumulator, node_class

__all__ = [
    "record_inplace",
    "view_grad_fn",
    "check_view_inplace",
    "geometry",
    "mark_view",
    "follow_base",
    "watch_view",
    "wake_views",
]

_NO_GRAD_VIEW = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use "
    "case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and the "
    "inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside "
    "(if you want the inplace to be tracked)."
)
_MULTI_VIEW = (
    "Output {index} of {op} is a view and is being modified inplace. This view is the output of a function that "
    "returns multiple views. Such functions do not allow the output views to be modified inplace. You should "
    "replace the inplace operation by an out-of-place one."
)


def geometry(t) -> tuple:
    """(shape, strides, storage offset) in elements, relative to the tensor's storage."""
    return (t._a.shape, t.stride(), t.storage_offset())


def mark_view(view, creation=None) -> None:
    """Remember the version at which a view's node was recorded (and why in-place on it is forbidden)."""
    meta = view._meta_()
    meta.view_version = view._version_value()
    if creation is not None:
        meta.creation = creation


def check_view_inplace(view) -> None:
    meta = view._meta
    creation = meta.creation if meta is not None else None
    if creation == "no_grad":
        raise RuntimeError(_NO_GRAD_VIEW)
    if isinstance(creation, tuple):
        raise RuntimeError(_MULTI_VIEW.format(index=creation[2], op=creation[1]))
    if view._base._fn is None:  # the view requires grad (else no check) and its base is a leaf, grad or not
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")


def _edge(t):
    if not t._rg:
        return (None, 0)
    fn = t.grad_fn
    if fn is not None:
        return (fn, t._meta.output_nr if t._meta is not None else 0)
    return (grad_accumulator(t), 0)


def view_grad_fn(view):
    """A view's grad_fn, regenerated as AsStridedBackward0 once its storage was written in place."""
    meta = view._meta
    if meta is None or meta.creation == "no_grad" or meta.view_version is None:
        return view._fn
    if meta.view_version == view._version_value():
        return view._fn
    base = view._base  # (one that does not require grad gives the new node no edge: the gradient stops there)
    node = AsStridedBackward0(_edge(base), geometry(base), geometry(view), view._dtype)
    view._fn = node
    meta.view_version = view._version_value()
    return node


def record_inplace(self, node_name, inputs, formulas, saved) -> None:
    """Record an in-place op on `self`: rebase its history, through its base when it is a view."""
    from .._dispatch import record

    base = self._base
    if base is None or (self._meta is not None and self._meta.creation == "no_grad"):
        record(node_name, inputs, formulas, saved, self)
        wake_views(self)
        return
    fn = record(node_name, inputs, formulas, saved, None)
    copy = CopySlices(fn, _edge(base), geometry(base), geometry(self), base._dtype)
    base._rg = True
    base._fn = copy
    self._rg = True
    self._fn = None
    meta = self._meta_()
    meta.view_version = -1  # forces regeneration as AsStridedBackward0 on the next grad_fn access
    wake_views(base)


def follow_base(view, created_at: int = -1) -> None:
    """A view whose base has come to require grad requires grad too (torch asks the base).  Its grad_fn is
    regenerated from the base's as AsStridedBackward0 once their storage was written after the view was
    made (`created_at`, the version then; -1: it was); before that it has none."""
    base = view._base
    if base is None or not base._rg:
        return
    meta = view._meta_()
    if meta.creation == "no_grad":
        return
    if meta.view_version is None:  # (a view that already has a node keeps its own record)
        meta.view_version = created_at
    view._rg = True


_PRUNE_AT = 64  # watched views kept before the dead ones are dropped
_ref = weakref.ref


def watch_view(view) -> None:
    """Remember a view of a base that does not require grad, with its version, on the version counter they
    share (after the count itself): when the base comes to require grad, so do its live views."""
    counter = view._vc
    counter.append((_ref(view), counter[0]))
    if len(counter) % _PRUNE_AT == 1 and len(counter) > _PRUNE_AT:
        counter[1:] = [entry for entry in counter[1:] if entry[0]() is not None]


def wake_views(base) -> None:
    """The watched views of `base`, which now requires grad, follow it (see follow_base)."""
    counter = base._vc
    if counter is None or len(counter) == 1:
        return
    for ref, created_at in counter[1:]:
        view = ref()
        if view is not None:
            follow_base(view, created_at)
    del counter[1:]


def _scratch(base_geometry, dtype_np):
    """A zeroed buffer shaped like the base's storage, and the base viewed through it."""
    shape, strides, offset = base_geometry
    extent = offset + 1 + sum((d - 1) * s for d, s in zip(shape, strides) if d > 0)
    if 0 in shape:
        extent = offset
    flat = np.zeros(max(extent, 1), dtype_np)
    return flat, _strided(flat, shape, strides, offset)


def _strided(flat, shape, strides, offset):
    item = flat.itemsize
    return np.lib.stride_tricks.as_strided(flat[offset:], shape, tuple(s * item for s in strides))


def _extent(shape, strides) -> int:
    return 0 if 0 in shape else 1 + sum((d - 1) * s for d, s in zip(shape, strides))


def _view_in_scratch(flat, base_geometry, view_geometry):
    """The view's elements in the base's scratch.  torch takes them with as_strided over a buffer of the
    base's extent, which refuses a view reaching past it (one resized beyond its base's storage by an out=
    or in-place op): its message, where numpy would write outside the buffer."""
    shape, strides, offset = view_geometry
    relative = offset - base_geometry[2]
    needed = relative + _extent(shape, strides) if _extent(shape, strides) else 0
    available = _extent(*base_geometry[:2])
    if needed > available:
        item = flat.itemsize
        raise RuntimeError(
            f"setStorage: sizes {list(shape)}, strides {list(strides)}, storage offset {relative}, and itemsize "
            f"{item} requiring a storage size of {needed * item} are out of bounds for storage of size "
            f"{available * item}"
        )
    return _strided(flat, shape, strides, offset)


class CopySlices(Node):
    """The base's node after an in-place op on one of its views."""

    __slots__ = ("fn", "base_geometry", "view_geometry", "np_dtype")

    def __init__(self, fn, base_edge, base_geometry, view_geometry, dtype):
        super().__init__(
            (base_edge,) + fn.next_functions[1:],
            (),
            {},
            ((base_geometry[0], dtype, None),) + fn._inputs[1:],
        )
        self.fn, self.base_geometry, self.view_geometry = fn, base_geometry, view_geometry
        self.np_dtype = dtype.np

    def apply(self, F, grads, engine):
        if self.fn is None:
            raise RuntimeError(BACKWARD_TWICE)
        g = _as_numpy(grads[0])
        flat, base_view = _scratch(self.base_geometry, g.dtype)
        base_view[...] = g
        grad_slice = _view_in_scratch(flat, self.base_geometry, self.view_geometry)
        inner = engine.apply_node(self.fn, F, {0: F.wrap(np.array(grad_slice, copy=True))})
        first = inner[0]
        grad_slice[...] = 0 if first is None else _as_numpy(first)
        result = np.array(base_view, copy=True)
        return [F.wrap(result)] + list(inner[1:])

    def _release_saved(self):  # torch's CopySlices drops its op's node after a backward without retain_graph
        self.fn = None


CopySlices.__module__ = "builtins"


class AsStridedBackward0(Node):
    """A view's node regenerated after an in-place write to its storage."""

    __slots__ = ("base_geometry", "view_geometry")

    def __init__(self, base_edge, base_geometry, view_geometry, dtype):
        super().__init__((base_edge,), (), {}, ((base_geometry[0], dtype, None),))
        self.base_geometry, self.view_geometry = base_geometry, view_geometry

    def apply(self, F, grads, engine):
        g = _as_numpy(grads[0])
        flat, base_view = _scratch(self.base_geometry, g.dtype)
        view = _view_in_scratch(flat, self.base_geometry, self.view_geometry)
        if any(s == 0 and d > 1 for d, s in zip(view.shape, view.strides)):
            np.add.at(view, tuple(np.indices(view.shape)), g)  # overlapping view: accumulate
        else:
            view += g
        return [F.wrap(np.array(base_view, copy=True))]


AsStridedBackward0.__module__ = "builtins"


def _as_numpy(x):
    return x if isinstance(x, np.ndarray) else x._a if hasattr(x, "_a") else np.asarray(x)


node_class("CopySlices")
