"""torch.nn.parameter: Parameter (a Tensor that a Module registers as learnable) and Buffer (a marker that
registers a tensor as a module's buffer)."""

from __future__ import annotations

from .._tensor import Tensor, _new

__all__ = ["Parameter", "UninitializedParameter", "Buffer", "is_lazy"]


class Parameter(Tensor):
    """A leaf tensor sharing `data`'s storage and version counter, requires_grad=True by default."""

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        p = _alias(cls, data)
        p.requires_grad_(requires_grad)
        return p

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.data, self.requires_grad))


class UninitializedParameter(Parameter):
    """A lazy module's parameter before its first forward: no data yet; `materialize(shape)` gives it an
    uninitialised tensor of that shape and makes it a Parameter."""

    __slots__ = ()

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        from .._creation import empty

        p = super().__new__(cls, empty(0, device=device, dtype=dtype), requires_grad)
        return p

    def __repr__(self) -> str:
        return "<UninitializedParameter>"

    def materialize(self, shape, device=None, dtype=None) -> None:
        from .._creation import empty

        data = empty(shape, device=device or self.device, dtype=dtype or self.dtype)
        for slot in ("_a", "_dtype", "_device", "_base", "_storage", "_vc"):
            setattr(self, slot, getattr(data, slot))
        self.__class__ = Parameter


def _rebuild_parameter(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """Assigning `Buffer(t)` to a module attribute registers t (an alias) as a buffer, persistent unless told."""

    __slots__ = ("persistent",)

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        b = _alias(cls, data)
        b._rg = data is not None and data.requires_grad
        b.persistent = persistent
        return b


def _alias(cls, data: Tensor | None):
    """A `cls` instance sharing data's storage and version counter (an empty float tensor for None)."""
    if data is None:
        from .._creation import empty

        data = empty(0)
    alias = data.detach()
    t = _new(cls)
    for slot in Tensor.__slots__[:-1]:  # (all but __weakref__)
        setattr(t, slot, getattr(alias, slot))
    return t


def is_lazy(param) -> bool:
    return isinstance(param, UninitializedParameter)
