"""The two backends behind one small interface.  This is the only module that imports torch."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["Backend", "get_backend", "torch_available", "BACKEND_NAMES"]

BACKEND_NAMES = ("torch", "shim")


@dataclass(frozen=True)
class Backend:
    name: str
    xp: ModuleType

    @property
    def version(self) -> str:
        return getattr(self.xp, "__version__", "?")


_CACHE: dict[str, Backend] = {}


def get_backend(name: str) -> Backend:
    """The backend called `name` ('torch' or 'shim'); the module is imported on first use."""
    backend = _CACHE.get(name)
    if backend is None:
        if name == "torch":
            import torch  # the one torch import of the project

            module = torch
        elif name == "shim":
            module = importlib.import_module("shim")
        else:
            raise ValueError(f"unknown backend {name!r}")
        backend = _CACHE[name] = Backend(name, module)
    return backend


def torch_available() -> bool:
    try:
        get_backend("torch")
    except ImportError:
        return False
    return True
