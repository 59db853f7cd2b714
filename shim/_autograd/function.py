"""torch.autograd.Function: user-defined forward/backward pairs recorded as one graph node."""

from __future__ import annotations

import numpy as np

from .grad_mode import STATE, no_grad, set_grad_enabled
from .graph import BACKWARD_TWICE, Node, SavedTensor

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    def save_for_backward(self, *tensors) -> None:
        self._to_save = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_differentiable = {id(t) for t in tensors}

    def mark_dirty(self, *tensors) -> None:
        self._dirty = {id(t) for t in tensors}

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize = value

    @property
    def saved_tensors(self) -> tuple:
        saved = getattr(self, "_saved", None)
        if saved is None:
            return tuple(getattr(self, "_to_save", ()) or ())
        if saved is _FREED:
            raise RuntimeError(BACKWARD_TWICE)
        from .engine import _version_message

        out = []
        for s in saved:
            if s is None:
                out.append(None)
                continue
            if s.tensor._version_value() != s.version:
                raise RuntimeError(_version_message(self, s, s.tensor._version_value()))
            out.append(s.tensor)
        return tuple(out)


_FREED = object()


class BackwardCFunction(Node, FunctionCtx):
    """The node of a custom Function; it doubles as the `ctx` passed to forward and backward."""

    __slots__ = (
        "_cls",
        "_to_save",
        "_non_differentiable",
        "_dirty",
        "_materialize",
        "_saved_list",
        "needs_input_grad",
        "_tensor_positions",
        "__dict__",
    )

    def apply(self, F, grads, engine):
        from .._tensor import Tensor, make

        if self._released and getattr(self, "_saved", None) is _FREED:
            raise RuntimeError(BACKWARD_TWICE)
        outs = self.__dict__.get("_outputs_meta", ())
        tensors = []
        for i, g in enumerate(grads + [None] * (len(outs) - len(grads))):
            if g is None:
                shape, dtype, device = outs[i] if i < len(outs) else ((), None, None)
                g = make(np.zeros(shape, dtype.np), dtype, device) if dtype is not None else None
            elif not isinstance(g, Tensor):
                from .._dtypes import from_numpy_dtype

                a = np.asarray(g)
                g = make(a, from_numpy_dtype(a.dtype))
            tensors.append(g)
        with set_grad_enabled(STATE.grad_enabled):
            result = self._cls.backward(self, *tensors)
        if not isinstance(result, tuple):
            result = (result,)
        n_inputs = len(self.__dict__["_n_args"])
        if len(result) != n_inputs:
            if len(result) > n_inputs and all(r is None for r in result[n_inputs:]):
                result = result[:n_inputs]
            else:
                raise RuntimeError(
                    f"function {type(self).__name__} returned an incorrect number of gradients (expected "
                    f"{n_inputs}, got {len(result)})"
                )
        picked = [result[i] for i in self._tensor_positions]
        return [None if r is None else (r if F.__name__ == "TENSOR" else r._a) for r in picked]

    def _release_saved(self):
        self._saved = _FREED

    def _output_count(self) -> int:
        return len(self.__dict__.get("_outputs_meta", ()))


class Function:
    """Subclass with static `forward(ctx, *args)` and `backward(ctx, *grads)`, then call `.apply`."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._dispatch import _edge
        from .._tensor import Tensor
        from .graph import node_class

        node_type = _function_node_class(cls)
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        tensor_args = [args[i] for i in positions]
        ctx = node_type.__new__(node_type)
        Node.__init__(
            ctx,
            tuple(_edge(t) for t in tensor_args),
            (),
            {},
            tuple((t._a.shape, t._dtype, t._device) for t in tensor_args),
        )
        ctx._cls = cls
        ctx._tensor_positions = positions
        ctx.__dict__["_n_args"] = args
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._rg for a in args)
        ctx._to_save = ()
        ctx._non_differentiable = set()
        ctx._dirty = set()
        ctx._materialize = True
        with no_grad():
            outputs = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(outputs, tuple)
        out_tuple = (outputs,) if single else outputs
        record = STATE.grad_enabled and any(t._rg for t in tensor_args)
        ctx._saved = tuple(
            None if t is None else SavedTensor(t, any(t is o for o in out_tuple)) for t in (ctx._to_save or ())
        )
        ctx.__dict__["_outputs_meta"] = tuple(
            (o._a.shape, o._dtype, o._device) if isinstance(o, Tensor) else None for o in out_tuple
        )
        if record:
            fixed = []
            for nr, o in enumerate(out_tuple):
                if not isinstance(o, Tensor):
                    fixed.append(o)
                    continue
                differentiable = id(o) not in ctx._non_differentiable and o._dtype.category >= 2
                if any(o is t for t in tensor_args) and id(o) not in ctx._dirty:
                    o = o.view_as(o) if differentiable else o.detach().view_as(o)  # (an input returned: a view)
                if not differentiable:
                    fixed.append(o)
                    continue
                o._rg = True
                o._fn = ctx
                if nr:
                    o._meta_().output_nr = nr
                fixed.append(o)
            out_tuple = tuple(fixed)
            for s in ctx._saved:
                if s is not None:
                    s.version = s.tensor._version_value()
        del node_class
        return out_tuple[0] if single else out_tuple


_FUNCTION_NODES: dict = {}


def _function_node_class(cls) -> type:
    node = _FUNCTION_NODES.get(cls)
    if node is None:
        node = type(cls.__name__ + "Backward", (BackwardCFunction,), {"__slots__": ()})
        node.__module__ = "torch.autograd.function"
        _FUNCTION_NODES[cls] = node
    return node


Function.__module__ = "torch.autograd.function"


def once_differentiable(fn):
    return fn
