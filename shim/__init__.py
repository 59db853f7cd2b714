"""shim: a PyTorch-compatible tensor and autograd package on numpy alone.

``import shim as torch`` (or ``python -m shim program.py``) runs beginner torch programs unchanged,
with torch 2.13's results, dtypes, errors and printed output.  This module is the public namespace
only; the logic lives in the private modules.
"""

import builtins
import importlib

from . import _argparse, _dtypes
from . import _printing as _tensor_str  # torch._tensor_str: PRINT_OPTS, printoptions, get_printoptions
from ._autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from ._cpu.heap import keep_freed_memory as _keep_freed_memory
from ._cpu.threads import get_num_threads, set_num_threads
from ._creation import (
    LEGACY as _LEGACY,
)
from ._creation import (
    arange,
    as_tensor,
    asarray,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    scalar_tensor,
    tensor,
    zeros,
    zeros_like,
)
from ._devices import AcceleratorError, device, get_default_device, set_default_device
from ._dtypes import can_cast, dtype, finfo, get_default_dtype, iinfo, promote_types, set_default_dtype
from ._ops import FUNCTIONS as _FUNCTIONS
from ._printing import set_printoptions
from ._random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._registry import attach as _attach
from ._tensor import Size, Tensor

__version__ = "2.13.0"
_keep_freed_memory()
# the legacy constructors torch exposes (no complex or wide unsigned ones)
_TORCH_LEGACY_NAMES = {
    "FloatTensor",
    "DoubleTensor",
    "HalfTensor",
    "ByteTensor",
    "CharTensor",
    "ShortTensor",
    "IntTensor",
    "LongTensor",
    "BoolTensor",
}

for _name, _d in _dtypes.DTYPES.items():
    globals()[_name] = _d
for _alias, _name in _dtypes.ALIASES.items():
    globals()[_alias] = _dtypes.DTYPES[_name]
bool = _dtypes.bool_  # noqa: A001  (torch.bool shadows the builtin, as in torch)
globals().update({k: v for k, v in _LEGACY.items() if k in _TORCH_LEGACY_NAMES})
globals().update({k: v for k, v in _FUNCTIONS.items() if k != "vector_norm"})
_attach(globals(), Tensor)


class _Layout:
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self) -> str:
        return "torch." + self._name


class _MemoryFormat(_Layout):
    __slots__ = ()


strided = _Layout("strided")
contiguous_format = _MemoryFormat("contiguous_format")
preserve_format = _MemoryFormat("preserve_format")
channels_last = _MemoryFormat("channels_last")


def is_tensor(obj, /) -> bool:
    return isinstance(obj, Tensor)


def is_storage(obj, /) -> bool:
    from ._tensor import UntypedStorage

    return isinstance(obj, UntypedStorage)


def is_floating_point(input) -> bool:
    return input.is_floating_point()


def is_complex(input) -> bool:
    return input.is_complex()


def numel(input) -> int:
    return input.numel()


def detach(input):
    return input.detach()


def broadcast_shapes(*shapes) -> Size:
    """The shape the given shapes broadcast to (sizes as ints or sequences), with torch's error."""
    from ._dispatch import broadcast_shapes as _broadcast

    normalised = []
    for s in shapes:
        if isinstance(s, builtins.int) or (hasattr(s, "__index__") and not isinstance(s, (tuple, list))):
            s = (s,)
        normalised.append(tuple(s))
    for s in normalised:
        if builtins.any(n < 0 for n in s):  # (this module's any and min are torch's)
            raise RuntimeError(f"Trying to create tensor with negative dimension {builtins.min(s)}: {list(s)}")
    return Size(_broadcast(*normalised) if normalised else ())


def is_signed(input) -> builtins.bool:
    return input.is_signed()


def get_device(input) -> int:
    return input.get_device()


def is_inference(input) -> builtins.bool:
    return input.is_inference()


def real(input):
    return input.real


def imag(input):
    return input.imag


def result_type(tensor1, tensor2):
    from ._dispatch import is_scalar, scalar_value
    from ._dispatch import result_type as _result_type

    ops = [x if isinstance(x, Tensor) else scalar_value(x) for x in (tensor1, tensor2)]
    for x in ops:
        if not isinstance(x, Tensor) and not is_scalar(x):
            raise TypeError(
                f"result_type() received an invalid combination of arguments - got "
                f"({type(tensor1).__name__}, {type(tensor2).__name__})"
            )
    return _result_type(*ops)


_DETERMINISTIC = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """The shim's kernels are deterministic already; the setting is kept so programs can read it back."""
    if not isinstance(mode, builtins.bool):
        raise TypeError(
            f"use_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}"
        )
    _DETERMINISTIC.update(mode=mode, warn_only=warn_only)


def are_deterministic_algorithms_enabled() -> builtins.bool:
    return _DETERMINISTIC["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> builtins.bool:
    return _DETERMINISTIC["warn_only"]


def compile(
    model=None,
    *,
    fullgraph=False,
    dynamic=None,
    backend=None,
    mode=None,
    options=None,
    name=None,
    disable=False,
    recompile_limit=None,
    isolate_recompiles=False,
    shapes_spec=None,
):
    """torch.compile's parameters; the model runs as it is (eager, as torch runs what it cannot compile)."""
    return model if model is not None else (lambda fn: fn)


from . import (  # noqa: E402  (submodules need the namespace)
    accelerator,
    autograd,
    backends,  # noqa: E402
    cuda,
    fft,
    linalg,
    nn,
    optim,
    return_types,
    serialization,
    special,
    testing,
    utils,
)
from ._install import install, uninstall  # noqa: E402

_LAZY_SUBMODULES = ("distributions",)  # imported on first use: most programs never touch them


def __getattr__(name: str):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'torch' has no attribute '{name}'")


from ._state import (  # noqa: E402
    get_deterministic_debug_mode,
    get_float32_matmul_precision,
    get_num_interop_threads,
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
    set_default_tensor_type,
    set_deterministic_debug_mode,
    set_float32_matmul_precision,
    set_num_interop_threads,
)
from .nn.modules.module import typename  # noqa: E402
from .serialization import load, save  # noqa: E402

# last: every function and method is in place
_argparse.install(
    {
        "torch": globals(),
        "linalg": vars(linalg),
        "special": vars(special),
        "fft": vars(fft),
        "nn.functional": vars(nn.functional),
    },
    Tensor,
)

del _name, _d, _alias
