"""Graph nodes named as torch names them, and the values they save for backward."""

from __future__ import annotations

import itertools
import weakref

__all__ = ["Node", "node_class", "AccumulateGrad", "SavedTensor", "next_sequence_nr"]

_sequence = itertools.count()
next_sequence_nr = _sequence.__next__

BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)


class SavedTensor:
    """A tensor saved for backward with the version it had then (torch's SavedVariable)."""

    __slots__ = ("tensor", "version", "is_output")

    def __init__(self, tensor, is_output: bool):
        self.tensor = tensor
        vc = tensor._vc  # (its _version_value, inline: two tensors are saved for most products)
        self.version = vc[0] if vc is not None else 0
        self.is_output = is_output


class Node:
    """A backward function in the graph.

    `formulas` maps each differentiable input position to a function of the incoming gradient and of
    saved values, written once against an array namespace `F` (numpy, or shim tensors when the graph
    of the backward itself is recorded).  `saved` holds those values by torch's names (`self`,
    `other`, `result`, ...); tensors among them are version-checked and freed after backward.
    """

    __slots__ = (
        "next_functions",
        "_formulas",
        "_saved",
        "_released",
        "_inputs",
        "_seq",
        "_hooks",
        "_pre_hooks",
        "_extra",
        "__weakref__",
    )

    # a node with its own backward (custom Functions, CopySlices) overrides these; the engine reads them
    # on every node, so they are class attributes rather than misses through __getattr__
    apply = None
    _release_saved = None

    def __init__(self, next_functions, formulas, saved, inputs):
        self.next_functions = next_functions
        self._formulas = formulas  # tuple aligned with next_functions: (function, argument names) or None
        self._saved = saved  # dict name -> SavedTensor | value
        self._inputs = inputs  # per input: (shape, dtype, device) the gradient must have, or None
        self._released = False
        self._seq = next_sequence_nr()
        self._hooks = None
        self._pre_hooks = None
        self._extra = None

    def _output_count(self) -> int:
        """How many outputs the node's op had, where more than its gradients show (custom Functions)."""
        return 0

    def name(self) -> str:
        cls = type(self).__name__
        return f"torch::autograd::{cls}" if cls in _HANDWRITTEN else cls

    def __repr__(self) -> str:
        cls = type(self)
        name = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
        return f"<{name} object at {id(self):#x}>"

    def _sequence_nr(self) -> int:
        return self._seq

    @property
    def metadata(self) -> dict:
        if self._extra is None:
            self._extra = {}
        return self._extra

    def register_hook(self, fn):
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        return _RemovableHandle(self._pre_hooks, fn)

    def __getattr__(self, attr: str):
        # grad_fn._saved_self, _saved_result, ... as torch exposes them
        if attr.startswith("_saved_"):
            saved = object.__getattribute__(self, "_saved")
            name = attr[len("_saved_") :]
            if name in saved:
                if self._released and isinstance(saved[name], SavedTensor):
                    raise RuntimeError(BACKWARD_TWICE)
                value = saved[name]
                return _unpack_for_user(value)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{attr}'")


def _unpack_for_user(value):
    from .._tensor import Tensor, scalar_tensor

    if isinstance(value, SavedTensor):
        return value.tensor
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return value
    if isinstance(value, (bool, int, float, complex)) or value is None or isinstance(value, (tuple, str)):
        return value
    if isinstance(value, Tensor):
        return value
    return scalar_tensor(value)


class _RemovableHandle:
    __slots__ = ("_hooks", "_fn")

    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


Node.__module__ = "torch.autograd.graph"
# nodes written by hand in torch/csrc/autograd (not generated from derivatives.yaml): name() has the namespace
_HANDWRITTEN = {"AccumulateGrad", "CopySlices", "CopyBackwards", "NotImplemented", "Error", "GraphRoot"}
_NODE_CLASSES: dict[str, type] = {}


def node_class(name: str) -> type:
    """The Node subclass called `name` (AddBackward0, ...), created once; its module reads 'builtins'."""
    cls = _NODE_CLASSES.get(name)
    if cls is None:
        cls = type(name, (Node,), {"__slots__": ()})
        cls.__module__ = "builtins"
        _NODE_CLASSES[name] = cls
    return cls


class AccumulateGrad(Node):
    """The sink of a leaf tensor that requires grad; one per leaf, shared by every use of the leaf."""

    __slots__ = ("variable",)

    def __init__(self, variable):  # (Node's fields set here: one is made for each use of a leaf in a graph)
        self.next_functions = self._formulas = self._inputs = ()
        self._saved = {}
        self._released = False
        self._seq = 1 << 64  # torch runs AccumulateGrad nodes first among the ready ones
        self._hooks = self._pre_hooks = self._extra = None
        self.variable = variable


AccumulateGrad.__module__ = "builtins"


def grad_accumulator(leaf) -> AccumulateGrad:
    """The leaf's AccumulateGrad, cached weakly on the leaf as torch caches it."""
    meta = leaf._meta
    if meta is None:
        meta = leaf._meta_()
    ref = meta.accumulator
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(leaf)
        meta.accumulator = weakref.ref(acc)
    return acc
