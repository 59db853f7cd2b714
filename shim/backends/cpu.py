"""torch.backends.cpu."""

from .._cpu.capability import capability


def get_cpu_capability() -> str:
    return capability()
