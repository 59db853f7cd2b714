"""The op modules; importing them registers every op (see `_registry`)."""

from . import (  # noqa: F401  (imported for their registrations)
    arrangement,
    binary,
    composite,
    conversions,
    factories,
    indexing,
    linalg,
    linalg_legacy,
    matrices,
    random,
    reductions,
    selection,
    shape,
    softmax,
    sorting,
    special,
    statistics,
    tensor_utils,
    ternary,
    unary,
)

FUNCTIONS: dict = {}
for _module in (
    shape,
    indexing,
    linalg,
    linalg_legacy,
    reductions,
    conversions,
    random,
    unary,
    sorting,
    statistics,
    matrices,
    selection,
    arrangement,
    factories,
    tensor_utils,
):
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
