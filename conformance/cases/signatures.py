"""Arguments as torch's parser takes them: every name of the signature table (shim/_signatures.txt, written
from torch by `python -m conformance.signatures`) called by position, by keyword, with the NumPy-style
aliases torch accepts (`axis=`, `keepdims=`, `x1=`/`x2=`, `a=`/`x=`), with an unknown keyword, with a value
of the wrong type in one place, with too many arguments and with none.

Each example runs one way of calling across every name (a derandomised profile's few draws then still reach
them all) and compares, per name and signature, what came back: the result's type, shape and dtype, or the
error's class and text, which is torch's own (the "invalid combination of arguments" list included).
Arguments are plain values of each parameter's type (a 2x2 float tensor, 0, 0.5, False, float32, ...); of the
few names whose accepted call could not run or be compared (REFUSALS_ONLY, each with its reason) only the calls
torch refuses are made.
"""

from __future__ import annotations

import functools
import inspect
import types
import warnings

from hypothesis import strategies as st

from shim import _argparse

from ..registry import case

# names whose accepted call with placeholder values must not run or cannot be compared: only the calls torch's
# parser refuses (an unknown keyword, a wrong type, too many arguments) are made of them
REFUSALS_ONLY = {
    "set_anomaly_enabled": "changes the process's autograd state",
    "cuda": "moves to the emulated device, where torch's CPU build has none (covered by the device cases)",
    "data_ptr": "an address",
}
_REFUSED = ("unknown keyword", "wrong type", "too many")

# values a parameter of each printed type takes; by name where the name decides (sizes, modes)
_BY_NAME = {
    "size": lambda xp: (2, 2),
    "shape": lambda xp: (2, 2),
    "stride": lambda xp: (2, 1),
    "dims": lambda xp: [0],
    "reduce": lambda xp: "sum",
    "rounding_mode": lambda xp: "floor",
    "indices_or_sections": lambda xp: 1,
    "split_size": lambda xp: 1,
    "index": lambda xp: xp.zeros(2, 2, dtype=xp.int64),
    "mask": lambda xp: xp.ones(2, 2, dtype=xp.bool),
}
_BY_TYPE = {
    "Tensor": lambda xp: xp.ones(2, 2),
    "Number": lambda xp: 1,
    "float": lambda xp: 0.5,
    "complex": lambda xp: 0.5,
    "int": lambda xp: 0,
    "tuple of ints": lambda xp: [0],
    "bool": lambda xp: False,
    "torch.dtype": lambda xp: xp.float32,
    "torch.device": lambda xp: "cpu",
    "str": lambda xp: "sum",
    "tuple of Tensors": lambda xp: [xp.ones(2, 2), xp.ones(2, 2)],
    "tuple of floats": lambda xp: [0.5],
    "torch.layout": lambda xp: xp.strided,
    "torch.memory_format": lambda xp: xp.contiguous_format,
    "torch.Generator": lambda xp: None,
    "object": lambda xp: None,
}


def _value(xp, param):
    make = _BY_NAME.get(param.name) or _BY_TYPE.get(param.type_name(), lambda xp: None)
    return make(xp)


def _targets() -> list[tuple[str, str, list]]:
    """(namespace, name, visible signatures) for every name of the table a call can run."""
    out = []
    for key, fmts in sorted(_argparse.signatures().items()):
        space, _, name = key.rpartition(".")
        parser = None if fmts[0].endswith(_argparse.ARITIES) else _argparse.Parser(fmts)
        out.append((space, name, [s for s in parser.signatures if not s.hidden] if parser else []))
    return out


def _summary(result) -> str:
    if isinstance(result, (tuple, list)):
        return "(" + ", ".join(_summary(r) for r in result) + ")"
    shape, dtype = getattr(result, "shape", None), getattr(result, "dtype", None)
    if shape is not None and dtype is not None:
        return f"{type(result).__name__}{list(shape)} {str(dtype).removeprefix('torch.')}"
    return type(result).__name__ if not isinstance(result, (bool, int, float, str)) else repr(result)


def _call(xp, space, name, args, kwargs) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (what a call warns is the other cases' to compare, once per process)
        return _run(xp, space, name, args, kwargs)


def _run(xp, space, name, args, kwargs) -> str:
    try:
        if space == "Tensor":  # (through the class, as `x.name(...)` calls it: torch's text says TensorBase)
            return _summary(getattr(xp.Tensor, name)(xp.ones(2, 2), *args, **kwargs))
        return _summary(getattr(_module(xp, space), name)(*args, **kwargs))
    except Exception as e:  # (every error is compared: its class and torch's text)
        return f"{type(e).__name__}: {e}"


WAYS = ("position", "keyword", "alias", "unknown keyword", "wrong type", "too many", "none")


def _calls(xp, signatures, way, where, alias_pick):
    """The calls `way` makes of one name: (label, args, kwargs)."""
    if not signatures:  # bound by CPython: no parameters, or one object (`from_numpy`): called with one more
        return [("", (), {})] if way == "none" else [("", (None, None), {})] if way == "too many" else []
    if way == "none":
        return [("", (), {})]
    out = []
    for i, signature in enumerate(signatures):
        params = [p for p in signature.params if not p.optional and not p.keyword_only]
        values = [_value(xp, p) for p in params]
        label = f"#{i}"
        if way == "position":
            out.append((label, tuple(values), {}))
        elif way == "keyword":
            out.append((label, (), {p.name: v for p, v in zip(params, values)}))
        elif way == "alias":
            names = [(_argparse.NUMPY_NAMES.get(p.name) or (p.name,)) for p in params]
            kwargs = {n[alias_pick % len(n)]: v for n, v in zip(names, values)}
            for p in signature.params:  # an optional dim/keepdim by its alias too
                if p.optional and p.name in ("dim", "keepdim") and not p.keyword_only:
                    kwargs[_argparse.NUMPY_NAMES[p.name][0]] = 0 if p.name == "dim" else True
            out.append((label, (), kwargs))
        elif way == "unknown keyword":
            out.append((label, tuple(values), {"zz_unknown": 1}))
        elif way == "wrong type" and values:
            spoiled = list(values)
            spoiled[where % len(values)] = "zz" if params[where % len(values)].type_name() != "str" else 1.5
            out.append((label, tuple(spoiled), {}))
        elif way == "too many":
            out.append((label, tuple(values) + (None,) * 8, {}))
    return out


@case(
    covers=("argument-parsing", *(key for key in _argparse.signatures() if not key.rpartition(".")[2].startswith("_"))),
    way=st.sampled_from(WAYS),
    where=st.integers(0, 3),
    alias_pick=st.integers(0, 2),
)
def signature_parity(xp, way, where, alias_pick):
    """One way of calling, across every name of torch's signature table: each call's result summary or error
    text, by name and signature."""
    out = {}
    for space, name, signatures in _targets():
        if name in REFUSALS_ONLY and way not in _REFUSED:
            continue
        for label, args, kwargs in _calls(xp, signatures, way, where, alias_pick):
            out[f"{space}.{name}{label}"] = _call(xp, space, name, args, kwargs)
    return out


@case(covers=("callable-names",), repr=False)
def callable_names(xp):
    """Every public name of torch's signature table, as the callable calls itself (`__name__`: what a program
    that prints `f.__name__` for each of [torch.relu, torch.sigmoid] shows, and help() and tracebacks)."""
    out = {}
    for space, name, _ in _targets():
        if not name.startswith("_"):
            out[f"{space}.{name}"] = getattr(getattr(_module(xp, space), name, None), "__name__", None)
    return out


# -- the functions torch writes in Python: Python binds their calls, so parity is the same parameters ----------
_PYTHON_NAMESPACES = ("torch", "Tensor", "linalg", "special", "fft", "nn.functional")


def _module(xp, space: str):
    if space == "Tensor":
        return xp.Tensor
    return xp if space == "torch" else functools.reduce(getattr, space.split("."), xp)


def _python_targets() -> list[tuple[str, str]]:
    """(namespace, name) of every public function or method the shim provides that torch's parser does not
    bind (read from the shim and the table alone: the same list for both backends)."""
    import shim

    from ..meter import load_names

    table, torch_names = _argparse.signatures(), load_names()["namespaces"]
    out = []
    for space in _PYTHON_NAMESPACES:
        module = _module(shim, space)
        for name in sorted(set(dir(module)) & set(torch_names[space]["names"])):
            obj = inspect.getattr_static(module, name, None) if space == "Tensor" else getattr(module, name, None)
            if name.startswith("_") or f"{space}.{name}" in table or not isinstance(obj, types.FunctionType):
                continue
            out.append((space, name))
    return out


def python_signature(fn) -> str:
    """How Python binds a call of `fn`: its name and its parameters' names, kinds and defaults.  torch's
    dispatching wrappers (`boolean_dispatch`: (*args, **kwargs) over two implementations chosen by a flag)
    are read through to the implementations, whose parameters are the same."""
    if not callable(fn):
        return type(fn).__name__
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return f"{type(fn).__name__} (no signature)"
    if [p.kind for p in params] == [inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]:
        inner = [c.cell_contents for c in fn.__closure__ or () if isinstance(c.cell_contents, types.FunctionType)]
        if inner:
            return python_signature(inner[-1]).replace(inner[-1].__name__, fn.__name__, 1)
    texts, starred = [], False
    for p in params:
        if p.kind is p.KEYWORD_ONLY and not starred:
            texts.append("*")
        starred = starred or p.kind in (p.VAR_POSITIONAL, p.KEYWORD_ONLY)
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        text += "/" if p.kind is p.POSITIONAL_ONLY else ""
        if p.default is not p.empty:
            text += "=" + (p.default.__name__ if inspect.ismodule(p.default) else repr(p.default))
        texts.append(text)
    return f"{fn.__name__}({', '.join(texts)})"


@case(covers=("argument-parsing", *(f"{space}.{name}" for space, name in _python_targets())), repr=False)
def python_signatures(xp):
    """Every function the shim provides that torch writes in Python (`torch.split`, `nn.functional.relu`,
    `Tensor.backward`, ...): its name and parameters, which decide how Python binds every call."""
    return {f"{space}.{name}": python_signature(getattr(_module(xp, space), name)) for space, name in _python_targets()}
