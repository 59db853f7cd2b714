"""embedding: rows of a weight matrix picked by an index tensor, and embedding_dense_backward (the upstream
rows added into their weight rows in index order; the padding row gets none)."""

from __future__ import annotations

import numpy as np

from .. import _dtypes
from .._dispatch import check_argument_devices, needs_grad, record
from .._tensor import Tensor, make
from .elementwise import formula

__all__ = ["embedding"]


def _embedding_back(F, g, indices, num_weights, padding_idx):
    flat = indices.reshape(-1)
    rows = F.reshape(g, (flat.size, g.shape[-1]))
    keep = flat != padding_idx
    grad = F.new_zeros((num_weights, g.shape[-1]), g)
    return F.index_add(grad, flat[keep], rows[np.flatnonzero(keep)]) if keep.any() else grad


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1) -> Tensor:
    if indices._dtype not in (_dtypes.int64, _dtypes.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but "
            f"got {indices.type()} instead (while checking arguments for embedding)"
        )
    if indices._device is not weight._device:  # (embedding is weight.index_select(0, indices))
        check_argument_devices("_index_select", "self", weight, "index", indices)
    flat = indices._a.reshape(-1).astype(np.int64)
    n = weight._a.shape[0]
    if flat.size and (flat.min() < 0 or flat.max() >= n):
        raise IndexError("index out of range in self")
    value = np.ascontiguousarray(weight._a[flat]).reshape(indices._a.shape + weight._a.shape[1:])
    r = make(value, weight._dtype, weight._device)
    if needs_grad(weight):
        saved = {"indices": flat.reshape(indices._a.shape), "num_weights": n, "padding_idx": padding_idx}
        record("EmbeddingBackward0", (weight,), (formula(_embedding_back),), saved, r)
    return r
