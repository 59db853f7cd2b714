"""torch.backends.cudnn: the flags seeded programs set (`deterministic = True`, `benchmark = False`).

The emulated CUDA device runs no cuDNN kernels, so the flags change nothing; `is_available()` answers as
torch does on a machine with (emulated) CUDA or without it, and `version()` is None: there is no cuDNN."""

from .._devices import cuda_emulated

enabled = True
benchmark = False
benchmark_limit = 10
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    return cuda_emulated()


def version() -> None:
    return None
