"""Strict JSON for observations: numpy arrays become nested lists, NaN and infinities become strings."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["to_json"]


def _number(x):
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return str(x)
    return x


def to_json(value):
    """A structure json.dumps accepts with allow_nan=False (values kept exact as strings where needed)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_json(value.tolist())
    if isinstance(value, np.generic):
        return to_json(value.item())
    if isinstance(value, complex):
        return {"real": _number(value.real), "imag": _number(value.imag)}
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return repr(value)
