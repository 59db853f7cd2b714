"""torch.backends: only what programs query."""

from . import cpu, cuda, mps

__all__ = ["cpu", "cuda", "mps"]
