"""pin_memory: a loaded batch copied into page-locked memory, container by container, as torch's loader does
when `pin_memory=True` finds an accelerator (here: the emulated CUDA device)."""

from __future__ import annotations

import collections.abc
import copy
from typing import Any

__all__ = ["pin_memory"]


def pin_memory(data: Any, device=None) -> Any:
    """Tensors (and anything with a `pin_memory` method) pinned; mappings and sequences rebuilt in their own
    type where it allows, else as a dict or list; everything else as it is."""
    if hasattr(data, "pin_memory"):
        return data.pin_memory()
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        pinned = {k: pin_memory(v, device) for k, v in data.items()}
        try:
            if isinstance(data, collections.abc.MutableMapping):  # a copy keeps the mapping's own attributes
                clone = copy.copy(data)
                clone.update(pinned)
                return clone
            return type(data)(pinned)
        except TypeError:
            return pinned
    if isinstance(data, tuple):
        items = (pin_memory(v, device) for v in data)
        return type(data)(*items) if hasattr(data, "_fields") else type(data)(items)
    if isinstance(data, collections.abc.Sequence):
        pinned = [pin_memory(v, device) for v in data]
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                clone[:] = pinned
                return clone
            return type(data)(pinned)
        except TypeError:
            return pinned
    return data
