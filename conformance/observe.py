"""Run one case on one backend and describe everything observable.  Never raises: an exception is an
observation like any other value."""

from __future__ import annotations

import re
import warnings

import numpy as np

from .strategies import KEY_MARKERS, TensorSpec, is_key_marker

__all__ = ["observe", "describe", "normalize_text", "realize"]

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def normalize_text(text: str) -> str:
    """Object addresses vary run to run; nothing else is normalised."""
    return _ADDRESS.sub("0x…", text)


def realize(xp, value):
    """Materialise a drawn input for backend xp: TensorSpecs become tensors, key markers become indices."""
    if isinstance(value, TensorSpec):
        return value.materialize(xp)
    if is_key_marker(value):
        kind, items = value
        return KEY_MARKERS[kind][1](xp, items)
    if isinstance(value, tuple):
        return tuple(realize(xp, v) for v in value)
    if isinstance(value, list):
        return [realize(xp, v) for v in value]
    return value


def _exception(e: BaseException) -> dict:
    cls = type(e)
    name = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
    return {"kind": "exception", "type": name, "message": normalize_text(str(e))}


def _is_tensor(xp, x) -> bool:
    return isinstance(x, xp.Tensor)


def _storage_ptr(t) -> int:
    try:
        return t.untyped_storage().data_ptr()
    except RuntimeError:  # a tensor without storage (torch's ZeroTensor gradients)
        return 0


def describe(xp, x, inputs: dict | None = None, path: str = "") -> dict:
    """A comparable description of value x (tensors exactly, with layout, autograd and aliasing facts)."""
    try:
        return _describe(xp, x, inputs or {})
    except Exception as e:  # the description itself failed (e.g. repr raised): observe that
        return {"kind": "exception", "type": "DescribeError:" + type(e).__name__, "message": normalize_text(str(e))}


def _describe(xp, x, inputs: dict) -> dict:
    if _is_tensor(xp, x):
        return _describe_tensor(xp, x, inputs)
    if x is None:
        return {"kind": "none"}
    if isinstance(x, bool):
        return {"kind": "scalar", "type": "bool", "value": x}
    if isinstance(x, (int, float, complex)) and type(x) in (int, float, complex):
        return {"kind": "scalar", "type": type(x).__name__, "value": x}
    if isinstance(x, xp.Size):
        return {"kind": "size", "value": list(x)}
    if isinstance(x, xp.dtype):
        return {"kind": "dtype", "value": str(x)}
    if isinstance(x, xp.device):
        return {"kind": "device", "value": repr(x)}
    if isinstance(x, str):
        return {"kind": "str", "value": normalize_text(x)}
    if isinstance(x, np.ndarray):
        return {
            "kind": "ndarray",
            "dtype": x.dtype.name,
            "shape": list(x.shape),
            "values": x.copy(),
            "aliases": _ndarray_aliases(xp, x, inputs),
        }
    if type(x) is dict:
        return {"kind": "mapping", "items": {str(k): _describe(xp, v, inputs) for k, v in x.items()}}
    if isinstance(x, (tuple, list)):
        cls = type(x)
        type_name = "tuple" if cls is tuple else "list" if cls is list else f"{cls.__module__}.{cls.__name__}"
        return {
            "kind": "sequence",
            "type": type_name,
            "items": [_describe(xp, i, inputs) for i in x],
            "repr": normalize_text(repr(x)) if type_name not in ("tuple", "list") else None,
        }
    return {"kind": "object", "type": type(x).__name__, "repr": normalize_text(repr(x))}


def _describe_tensor(xp, t, inputs: dict) -> dict:
    d = t.detach()
    d = d.float() if str(t.dtype) == "torch.bfloat16" else d
    try:
        values = d.cpu().numpy().copy()
    except RuntimeError:  # torch's ZeroTensor (the gradient sgn gives a real input) reads only with force=True
        values = d.cpu().numpy(force=True).copy()
    try:
        version = t._version
    except Exception:
        version = None
    grad_fn = t.grad_fn
    desc = {
        "kind": "tensor",
        "dtype": str(t.dtype).removeprefix("torch."),
        "shape": list(t.shape),
        "stride": list(t.stride()),
        "device": str(t.device),
        "requires_grad": bool(t.requires_grad),
        "is_leaf": bool(t.is_leaf),
        "grad_fn": type(grad_fn).__name__ if grad_fn is not None else None,
        "version": version,
        "values": values,
        "repr": normalize_text(repr(t)),
        "aliases": _aliases(xp, t, inputs),
    }
    return desc


def _aliases(xp, t, inputs: dict) -> dict:
    """Which inputs this tensor shares storage with, and which one is its _base."""
    ptr = _storage_ptr(t)
    # storages without bytes have no identity (torch reports a null pointer for all of them)
    shares = sorted(
        name
        for name, x in inputs.items()
        if _is_tensor(xp, x)
        and _storage_ptr(x) == ptr
        and ptr
        and t.untyped_storage().nbytes()
        and x.untyped_storage().nbytes()
    )
    base = t._base
    base_name = None
    if base is not None:
        for name, x in inputs.items():
            if base is x or (_is_tensor(xp, x) and x._base is not None and base is x._base):
                base_name = name
                break
        else:
            base_name = "<other>"
    return {
        "shares_storage_with": shares,
        "base": base_name,
        "is_input": sorted(name for name, x in inputs.items() if x is t),
    }


def _ndarray_aliases(xp, a: np.ndarray, inputs: dict) -> dict:
    ptr = a.__array_interface__["data"][0]
    shares = sorted(
        name
        for name, x in inputs.items()
        if _is_tensor(xp, x)
        and x.device.type == "cpu"
        and a.nbytes
        and _storage_ptr(x) <= ptr < _storage_ptr(x) + x.untyped_storage().nbytes()
    )
    return {"shares_storage_with": shares}


def upstream_gradient(result, grad_seed: int) -> np.ndarray:
    """The gradient a grad case's first differentiable output is given: small multiples of 1/4, drawn."""
    rng = np.random.RandomState(grad_seed % (2**32))
    shape = tuple(result.shape)
    values = rng.randint(-8, 9, size=shape) / 4.0
    return values


def first_differentiable(xp, result):
    """The first tensor in a (nested) result that requires grad: what a grad case differentiates."""
    if _is_tensor(xp, result):
        return result if result.requires_grad else None
    if isinstance(result, (tuple, list)):
        for item in result:
            found = first_differentiable(xp, item)
            if found is not None:
                return found
    return None


def observe(backend, case, drawn: dict) -> dict:
    """Everything observable about running `case` on `backend` with the drawn inputs."""
    xp = backend.xp
    obs: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            inputs = {name: realize(xp, value) for name, value in drawn.items() if name != "grad_seed"}
        except Exception as e:
            obs["result"] = {
                "kind": "exception",
                "type": "InputError:" + type(e).__name__,
                "message": normalize_text(str(e)),
            }
            return obs
        try:
            result = case.fn(xp, **inputs)
            obs["result"] = describe(xp, result, inputs)
        except Exception as e:
            result = None
            obs["result"] = _exception(e)
        obs["warnings"] = [{"category": w.category.__name__, "message": normalize_text(str(w.message))} for w in caught]
    obs["inputs_after"] = {name: describe(xp, x) for name, x in inputs.items() if _is_tensor(xp, x)}
    if case.grad and obs["result"]["kind"] != "exception":
        obs["grads"] = _backward(xp, result, inputs, drawn.get("grad_seed", 0))
    return obs


def _backward(xp, result, inputs: dict, grad_seed: int) -> dict:
    target = first_differentiable(xp, result)
    if target is None:
        return {"kind": "none"}
    try:
        upstream = xp.tensor(upstream_gradient(target, grad_seed), dtype=target.dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            target.backward(upstream)
    except Exception as e:
        return _exception(e)
    grads = {}
    for name, x in inputs.items():
        if _is_tensor(xp, x) and x.requires_grad and x.is_leaf:
            grad = describe(xp, x.grad)
            if grad.get("kind") == "tensor":
                grad["version"] = None  # a gradient's version counter reflects torch's internal kernels
            grads[name] = grad
    return {"kind": "grads", "items": grads}
