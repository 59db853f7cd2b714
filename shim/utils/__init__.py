"""torch.utils: hooks and data."""

from . import data, hooks

__all__ = ["data", "hooks"]
