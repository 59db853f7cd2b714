"""The API surface in scope (../shared/api-surface.md), entry by entry, and which cases cover each.

A case declares what it covers (`@case(covers=(...))`) in the surface's own words: `add`, `add(out=)`,
`Tensor.add`, `add_`, `reflected +`, `.to(device)`.  Those are normalised to the entry they exercise
(`add`, `+`, `to`), so the report can list every entry with the cases behind it and name the uncovered.
"""

from __future__ import annotations

import re

__all__ = ["SURFACE", "TESTED_ELSEWHERE", "normalize", "coverage"]

# section -> entries, as written in the API surface (normalised with `normalize`)
SURFACE: dict[str, list[str]] = {
    "Dtypes and devices": """
        dtype dtype-attributes get_default_dtype set_default_dtype promote_types result_type can_cast finfo iinfo
        device device.type device.index device-repr cuda.is_available cuda.device_count accelerator device=
        to cpu cuda is_cuda cuda-emulation
    """.split(),
    "Creation": """
        tensor as_tensor from_numpy empty zeros ones full rand randn randint randperm arange linspace eye
        empty_like zeros_like ones_like full_like rand_like randn_like randint_like manual_seed seed
        initial_seed Generator Generator.get_state Generator.set_state get_rng_state set_rng_state generator=
        uniform_ normal_ random_ bernoulli_ bernoulli fill_ zero_
    """.split(),
    "Tensor attributes": """
        shape size dim ndim numel requires_grad requires_grad_ grad grad_fn is_leaf data T mT t item tolist
        numpy is_contiguous contiguous stride storage_offset element_size data_ptr untyped_storage _version
        __len__ __iter__ __bool__ __float__ __int__ __index__ __format__ __repr__ __array__ type float double
        half long int short bool clone detach detach_ retain_grad retains_grad is_floating_point is_complex
        new_tensor new_zeros new_ones new_full new_empty
    """.split(),
    "Arithmetic, math, comparison": """
        add sub rsub mul div true_divide floor_divide remainder fmod pow neg abs sign sqrt rsqrt exp exp2 expm1
        log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh tanh sigmoid relu ceil floor round
        trunc frac clamp clip reciprocal square maximum minimum lerp eq ne lt le gt ge isclose allclose equal
        isnan isinf isfinite nan_to_num logical_and logical_or logical_not logical_xor bitwise_and bitwise_or
        bitwise_xor bitwise_not where
        + - * / // % ** @ unary- ~ & | ^ == != < <= > >= += -= *= /= //= %= **= @=
    """.split(),
    "Reductions": """
        sum mean prod std var max min argmax argmin amax amin all any norm cumsum cumprod logsumexp median
    """.split(),
    "Linear algebra": "mm matmul bmm mv dot outer einsum".split(),
    "Shape, views and indexing": """
        view view_as reshape reshape_as flatten unflatten squeeze unsqueeze transpose swapaxes permute movedim
        expand expand_as broadcast_to repeat narrow chunk split unbind flip roll cat concat stack hstack
        vstack squeeze_ unsqueeze_ t_ transpose_ __getitem__ __setitem__ index_select gather scatter
        scatter_add index_add_ masked_fill nonzero
    """.split(),
    "numpy bridge": "numpy from_numpy np.asarray".split(),
    "Autograd": """
        backward autograd.backward autograd.grad gradient-accumulation grad-assignment retain_grad no_grad
        enable_grad set_grad_enabled inference_mode is_grad_enabled detach data in-place-checks
        version-counter autograd.Function save_for_backward saved_tensors needs_input_grad
        mark_non_differentiable next_functions AccumulateGrad register_hook
    """.split(),
    "Printing": """
        __repr__ str print set_printoptions Size-repr dtype-repr device-repr grad_fn-repr return_types
    """.split(),
    "Running unchanged torch programs": "python-m-shim install testing.assert_close".split(),
}

# entries no differential case can exercise (they need a process or a GPU), tested elsewhere
TESTED_ELSEWHERE = {
    "python-m-shim": "tests/test_environment.py",
    "install": "tests/test_environment.py",
    "cuda-emulation": "tests/test_emulated_cuda.py (against a real CUDA torch's recorded answers)",
}

# a cover written one way, an entry named another
_ALIASES = {
    "dtype attributes": "dtype-attributes",
    "device repr": "device-repr",
    "Size repr": "Size-repr",
    "dtype repr": "dtype-repr",
    "grad_fn repr": "grad_fn-repr",
    "return_types repr": "return_types",
    "torch.return_types.max": "return_types",
    "unary -": "unary-",
    "gradient accumulation": "gradient-accumulation",
    ".grad assignment": "grad-assignment",
    ".grad": "grad",
    "in-place checks": "in-place-checks",
    "leaf errors": "in-place-checks",
    "version counter error": "version-counter",
    "x[i, j]": "__getitem__",
    "np.asarray(t)": "np.asarray",
    "asarray": "np.asarray",
    "float": "float",
    "print": "print",
    "device='meta'": "device",
}
_CALL = re.compile(r"\(.*\)$")


def normalize(cover: str) -> str:
    """The surface entry a `covers` string exercises."""
    if cover in _ALIASES:
        return _ALIASES[cover]
    name = cover.strip()
    for prefix in ("reflected ", "Tensor.", "torch."):
        name = name.removeprefix(prefix)
    name = name.lstrip(".") if name not in (".",) else name
    if name.endswith("=") and not name[:-1].isidentifier():
        return name  # an in-place operator such as +=
    name = _CALL.sub("", name) or name
    return _ALIASES.get(name, name)


def coverage(cases: dict) -> dict[str, dict[str, list[str]]]:
    """section -> entry -> names of the cases covering it (empty: not covered)."""
    by_entry: dict[str, set] = {}
    for name, case in cases.items():
        for cover in case["covers"] if isinstance(case, dict) else case.covers:
            key = normalize(cover)
            by_entry.setdefault(key, set()).add(name)
            # an in-place form covers its entry too: add_ -> add
            if key.endswith("_") and not key.endswith("__"):
                by_entry.setdefault(key[:-1], set()).add(name)
    return {
        section: {entry: sorted(by_entry.get(entry, ())) for entry in entries} for section, entries in SURFACE.items()
    }
