"""The op modules; importing them registers every op (see `_registry`)."""

from . import (  # noqa: F401  (imported for their registrations)
    binary,
    composite,
    conversions,
    indexing,
    linalg,
    matrices,
    random,
    reductions,
    selection,
    shape,
    sorting,
    special,
    statistics,
    ternary,
    unary,
)

FUNCTIONS: dict = {}
for _module in (
    shape,
    indexing,
    linalg,
    reductions,
    conversions,
    random,
    unary,
    sorting,
    statistics,
    matrices,
    selection,
):
    FUNCTIONS.update(getattr(_module, "FUNCTIONS", {}))
