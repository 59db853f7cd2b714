"""torch.utils: hooks (and, as they arrive, data)."""

from . import hooks

__all__ = ["hooks"]
