"""torch.backends.cpu."""

from .._random_capability import capability


def get_cpu_capability() -> str:
    return capability()
