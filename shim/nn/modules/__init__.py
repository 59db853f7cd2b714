"""torch.nn.modules: one file per family, as torch lays them out."""

from .activation import *  # noqa: F403
from .activation import __all__ as _activation
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .dropout import AlphaDropout, Dropout
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss import *  # noqa: F403
from .loss import __all__ as _loss
from .module import Module
from .sparse import Embedding

__all__ = [
    "Module", "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Identity", "Linear",
    "Bilinear", "Flatten", "Unflatten", "Dropout", "AlphaDropout", "Embedding", *_activation, *_loss,
]  # fmt: skip
