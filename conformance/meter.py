"""The coverage meter: torch 2.13's public names per namespace, and how many of them the shim provides.

    python -m conformance.meter record    # needs torch 2.13.0: rewrites conformance/data/torch-names.json
    python -m conformance.meter           # the shim's coverage per namespace (no torch needed)

The name list is data, recorded from torch itself and stored in the repository, so the report and the
shim's own tests read it where torch is absent.  Families of names out of scope are left out by the rules
in EXCLUDED, each with its reason; the data file keeps every excluded name beside its family, so what is
left out is visible, not silent.

A name counts as *provided* when the shim has it, a conformance case names it in its `covers` (a stub has
no passing case), and, for a function or method of the namespaces torch binds arguments for, one of the
argument-parity cases names it too (PARITY_CASES: its parameters are torch's).  Covers are read as qualified
names by `qualify`.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import sys
from pathlib import Path

__all__ = ["NAMESPACES", "EXCLUDED", "DATA_PATH", "load_names", "qualify", "measure", "shim_has"]

DATA_PATH = Path(__file__).with_name("data") / "torch-names.json"
# the cases that check how a call binds (conformance/cases/signatures.py), and the namespaces they check: a
# function there needs one of them as well as a case of what it computes
PARITY_CASES = frozenset(("signature_parity", "python_signatures"))
PARITY_NAMESPACES = ("torch", "Tensor", "linalg", "special", "fft", "nn.functional")

# namespace -> (module, what counts): "functions" (callables that are not classes), "members" (every public
# attribute: methods and properties), "callables" (functions and classes)
NAMESPACES: dict[str, tuple[str, str]] = {
    "torch": ("torch", "functions"),
    "Tensor": ("torch.Tensor", "members"),
    "linalg": ("torch.linalg", "callables"),
    "special": ("torch.special", "callables"),
    "fft": ("torch.fft", "callables"),
    "autograd": ("torch.autograd", "callables"),
    "nn": ("torch.nn", "callables"),
    "nn.functional": ("torch.nn.functional", "functions"),
    "nn.init": ("torch.nn.init", "functions"),
    "optim": ("torch.optim", "callables"),
    "optim.lr_scheduler": ("torch.optim.lr_scheduler", "callables"),
    "utils.data": ("torch.utils.data", "callables"),
    "distributions": ("torch.distributions", "callables"),
    "testing": ("torch.testing", "callables"),
}

# family -> (reason, pattern over names, the namespaces it applies to); a name matching a family's pattern
# is left out of that namespace's count
_CORE = ("torch", "Tensor")
EXCLUDED: dict[str, tuple[str, str, tuple]] = {
    "sparse": (
        "sparse layouts are not modelled: the shim's tensors are strided numpy views",
        r"sparse|_coo|coo_|csr|csc|bsr|bsc|crow_indices|^c?col_indices|^row_indices|^indices|^values"
        r"|spmm$|^(h|d)?smm$|spaddmm|^saddmm$|^coalesce$|^is_coalesced$|^dense_dim$|^to_dense$",
        _CORE,
    ),
    "quantized": (
        "quantized dtypes and their kernels (qint8, fbgemm, fake quantization) are outside the shim's dtypes",
        r"quantiz|qint|quint|^q_|qscheme|qparams|fake_quant|^int_repr$|fbgemm|^dequantize$",
        _CORE,
    ),
    "backend libraries": (
        "vendor libraries and devices other than CPU and CUDA (mkldnn, cudnn, miopen, mps, vulkan, xla, ...)",
        r"^(is_)?(ipu|xla|xpu|hpu|mtia|maia|mps|vulkan|mkldnn)$|mkldnn|cudnn|miopen|_ipu_|_xla_|vulkan",
        _CORE,
    ),
    "nested": ("nested and jagged tensors", r"nested|jagged|padded_tensor", _CORE),
    "compiler and jit": (
        "TorchScript, fx, export, torch.compile, symbolic shapes and functorch transforms",
        r"^import_ir_module|merge_type_from_type_comment|^fork$|^wait$|^parse_ir$|^parse_schema$|^compile$|^sym_"
        r"|^while_loop$|^vmap$|^classproperty$|^typename$|^get_file_path$|^is_warn_always_enabled$"
        r"|^set_warn_always$|compiled_with_cxx11_abi|^profiler_|^thread_safe_generator$|^get_device_module$"
        r"|^parse_type_comment$|^unify_type_list$|^handle_torch_function$|^has_torch_function|^boolean_dispatch$"
        r"|^slice_inverse$|^cond$",
        ("torch", "Tensor", "nn.functional"),
    ),
    "distributed": (
        "process groups and distributed training",
        r"distributed|^DistributedSampler$|^DataParallel$",
        None,
    ),
    "foreach and fused": ("multi-tensor (foreach) and fused optimizer kernels", r"foreach|^fused_", None),
    "autocast": ("automatic mixed precision state", r"autocast", ("torch",)),
    "kernel internals": (
        "ATen kernels public only for autograd and the JIT: backward helpers, and raw batch-norm/RNN/"
        "convolution entry points whose public API is torch.nn.functional (counted there)",
        r"_backward|^batch_norm_|^native_|^segment_reduce$|^conv_tbc$|^convolution$|^affine_grid_generator$"
        r"|^grid_sampler|^embedding_renorm_$|^(rnn_tanh|rnn_relu|gru|lstm)(_cell)?$|^constant_pad_nd$"
        r"|^channel_shuffle$|^init_num_threads$|^resize_as_sparse_$",
        ("torch",),
    ),
    "nn kernels at top level": (
        "neural-network kernels torch also exposes at the top level (torch.conv2d, torch.dropout, ...); their "
        "public API is torch.nn.functional, where the meter counts them",
        r"^(conv[123]d|conv_transpose[123]d|avg_pool1d|max_pool[123]d|max_pool1d_with_indices|adaptive_avg_pool1d"
        r"|adaptive_max_pool1d|dropout_?|alpha_dropout_?|feature_dropout_?|feature_alpha_dropout_?|batch_norm"
        r"|instance_norm|layer_norm|group_norm|embedding|embedding_bag|bilinear|pixel_shuffle|pixel_unshuffle"
        r"|pdist|pairwise_distance|cosine_similarity|hardshrink|prelu|rrelu_?|selu_?|celu_?|threshold_?"
        r"|binary_cross_entropy_with_logits|cosine_embedding_loss|ctc_loss|hinge_embedding_loss|kl_div"
        r"|margin_ranking_loss|poisson_nll_loss|triplet_margin_loss)$",
        _CORE,
    ),
    "cuda memory and streams": (
        "CUDA streams, pinned host memory and inter-process sharing have no meaning on numpy storage",
        r"^record_stream$|^pin_memory$|^is_pinned$|^share_memory_$|^is_shared$|^storage_type$",
        ("Tensor",),
    ),
    "typing re-exports": (
        "names a module imports for its own type hints (Callable, Optional, Tensor, ...)",
        r"^(Callable|DType|Optional|ScalingType|SwizzleType|Union|Any|List|Tuple|TypeVar|Iterable"
        r"|Iterator|Sequence|Generic|NamedTuple|Mapping|TypeAlias|ParamSpec|Concatenate)$|^Tensor$",
        tuple(ns for ns in NAMESPACES if ns not in _CORE),
    ),
}


def _family(namespace: str, name: str) -> str | None:
    for family, (_, pattern, namespaces) in EXCLUDED.items():
        if (namespaces is None or namespace in namespaces) and re.search(pattern, name):
            return family
    return None


# -- recording (torch needed) -------------------------------------------------------------------------
def _public(module_name: str, what: str) -> list[str]:
    import inspect

    if module_name == "torch.Tensor":
        import torch

        return sorted(n for n in dir(torch.Tensor) if not n.startswith("_"))
    module = importlib.import_module(module_name)
    # torch's own __all__ leaves out public functions (unique, set_default_dtype, ...): its dir() is the list
    listed = None if module_name == "torch" else getattr(module, "__all__", None)
    names = listed or [n for n in dir(module) if not n.startswith("_")]
    out = []
    for n in names:
        obj = getattr(module, n, None)
        if obj is None or inspect.ismodule(obj) or not callable(obj):
            continue
        if what == "functions" and inspect.isclass(obj):
            continue
        out.append(n)
    return sorted(set(out))


def _takes_out(name: str) -> bool:
    """Whether torch.<name> takes out= in Python: one of its overloads in torch's own type stubs for the C
    bindings has an `out` parameter (ATen's autogenerated out= overloads, such as masked_fill's, are not
    bound), or, for a function written in Python, its signature has one."""
    import inspect

    import torch

    stubs = _binding_stubs()
    if name in stubs:
        return stubs[name]
    try:
        return "out" in inspect.signature(getattr(torch, name)).parameters
    except (TypeError, ValueError):
        return False


@functools.cache
def _binding_stubs() -> dict[str, bool]:
    """name -> whether any overload takes `out`, from torch/_C/_VariableFunctions.pyi."""
    import ast

    import torch

    tree = ast.parse((Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi").read_text())
    found: dict[str, bool] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names = {a.arg for a in node.args.args + node.args.kwonlyargs}
            found[node.name] = found.get(node.name, False) or "out" in names
    return found


def record(path: Path = DATA_PATH) -> dict:
    import torch

    namespaces = {}
    for ns, (module, what) in NAMESPACES.items():
        names = _public(module, what)
        excluded = {n: f for n in names if (f := _family(ns, n)) is not None}
        namespaces[ns] = {"module": module, "counts": what, "names": names, "excluded": excluded}
    namespaces["torch"]["out"] = [n for n in namespaces["torch"]["names"] if _takes_out(n)]
    data = {
        "torch_version": torch.__version__.split("+")[0],
        "families": {family: reason for family, (reason, _, _) in EXCLUDED.items()},
        "namespaces": namespaces,
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return data


# -- measuring (no torch) -----------------------------------------------------------------------------
def load_names(path: Path = DATA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


_CALL = re.compile(r"\(.*\)$")
_PREFIXES = sorted((ns for ns in NAMESPACES if ns not in ("torch", "Tensor")), key=len, reverse=True)


def qualify(cover: str, names: dict) -> tuple[str, str] | None:
    """The (namespace, name) a case's `covers` string exercises, or None (an operator, a behaviour).

    "Tensor.sum" and ".sum()" are methods; "sum_" (an in-place form) too; "torch.sin_" is the module-level
    in-place function; "linalg.norm" (or "torch.linalg.norm") and the other namespaces by prefix;
    "sum(dim=)" is torch.sum; a bare name is torch's function if torch has one, else the method."""
    text = _CALL.sub("", cover.strip())
    if text.startswith("Tensor."):
        return "Tensor", text[len("Tensor.") :]
    if text.startswith("."):
        return "Tensor", text[1:]
    explicit = text.startswith("torch.")
    text = text.removeprefix("torch.")
    for ns in _PREFIXES:
        if text.startswith(ns + "."):
            return ns, text[len(ns) + 1 :]
    if not text.isidentifier():
        return None
    torch_names = set(names["torch"]["names"])
    if explicit:
        return "torch", text
    if text.endswith("_") and not text.endswith("__"):
        return "Tensor", text
    if text in torch_names:
        return "torch", text
    if text in set(names["Tensor"]["names"]):
        return "Tensor", text
    return None


def _shim_namespace(namespace: str):
    import shim

    if namespace == "Tensor":
        return shim.Tensor
    try:
        return shim if namespace == "torch" else importlib.import_module("shim." + namespace)
    except ImportError:
        return None


def shim_has(namespace: str, name: str) -> bool:
    """Whether the shim provides `name` in `namespace` (its module imports and has the attribute)."""
    return hasattr(_shim_namespace(namespace), name)


def _needs_parity(namespace: str, name: str) -> bool:
    """A function or method (not a class or property) of a namespace whose calls torch binds."""
    import inspect

    if namespace not in PARITY_NAMESPACES:
        return False
    obj = inspect.getattr_static(_shim_namespace(namespace), name, None)
    return callable(obj) and not inspect.isclass(obj)


def measure(case_covers: dict[str, list[str]], names: dict | None = None, statuses: dict | None = None) -> dict:
    """Per namespace: torch's names (after exclusions), the shim's, those with cases, and the missing ones.

    case_covers: case name -> its covers; statuses (a run's case name -> status), when given, adds how many
    provided names had every covering case of the run pass (or match only known divergences)."""
    names = names or load_names()
    covered: dict[tuple, set] = {}
    parity: set[tuple] = set()
    for case_name, covers in case_covers.items():
        for cover in covers:
            q = qualify(cover, names["namespaces"])
            if q is not None and case_name in PARITY_CASES:
                parity.add(q)
            elif q is not None:
                covered.setdefault(q, set()).add(case_name)
    out = {}
    for ns, entry in names["namespaces"].items():
        in_scope = [n for n in entry["names"] if n not in entry["excluded"]]
        has = [n for n in in_scope if shim_has(ns, n)]
        with_cases = [n for n in has if (ns, n) in covered and ((ns, n) in parity or not _needs_parity(ns, n))]
        row = {
            "in_torch": len(in_scope),
            "excluded": len(entry["excluded"]),
            "in_shim": len(has),
            "provided": len(with_cases),
            "percent": round(100 * len(with_cases) / len(in_scope), 1) if in_scope else 0.0,
            "without_case": sorted(set(has) - set(with_cases)),
            "without_parity": sorted(n for n in has if (ns, n) in covered and n not in with_cases),
            "missing": sorted(set(in_scope) - set(has)),
        }
        if statuses is not None:
            ran = {n: [statuses[c] for c in covered[(ns, n)] if c in statuses] for n in with_cases}
            row["passing"] = sum(1 for s in ran.values() if s and all(x in ("pass", "known", "unsupported") for x in s))
        out[ns] = row
    return {"torch_version": names["torch_version"], "families": names["families"], "namespaces": out}


def _print(report: dict) -> None:
    print(f"{'namespace':22} {'provided':>9} {'in shim':>8} {'in torch':>9} {'%':>6}")
    for ns, row in report["namespaces"].items():
        print(f"{ns:22} {row['provided']:9} {row['in_shim']:8} {row['in_torch']:9} {row['percent']:6.1f}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["record"]:
        data = record()
        total = sum(len(v["names"]) for v in data["namespaces"].values())
        print(f"recorded {total} names from torch {data['torch_version']} into {DATA_PATH}")
        return 0
    from .registry import load_cases

    report = measure({name: list(case.covers) for name, case in load_cases().items()})
    _print(report)
    if "-v" in argv:
        for ns, row in report["namespaces"].items():
            print(f"\n{ns}: missing {' '.join(row['missing'])}\n{ns}: without a case {' '.join(row['without_case'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
