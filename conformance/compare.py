"""Staged, recursive comparison of two observations (torch's = expected, the shim's = actual).

Stages, in order: structure, exception, dtype, shape, device, autograd, layout, special values,
values, printed form, aliasing, warnings.  Each kind of mismatch is its own exception class, so
Hypothesis shrinks to one minimal example per kind; the first mismatch by stage (then path) is the
one raised, and it says where (`['grads']['x']`), how much, and which elements differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Mismatch",
    "STAGES",
    "MISMATCH_CLASSES",
    "Tolerance",
    "compare",
    "tolerance_for",
    "TOLERANCES",
]

# torch.testing.assert_close defaults (rtol, atol), by dtype name
TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


@dataclass(frozen=True)
class Tolerance:
    exact: bool = False  # bitwise-equal values required (the result is exact in both)
    scale: float = 1.0  # multiplies torch's tolerances (for ops whose rounding is not specified)
    ulps: int = 0  # additionally accept up to this many ULPs of difference

    def bounds(self, dtype: str) -> tuple[float, float]:
        if self.exact:
            return 0.0, 0.0
        rtol, atol = TOLERANCES.get(dtype, (0.0, 0.0))
        return rtol * self.scale, atol * self.scale


def effective_rule(comparison: str, dtype: str) -> str:
    """How a case's values of `dtype` are compared: complex values to torch's tolerance even in a case
    compared by bits (complex arithmetic is not specified to the bit across implementations; see _values)."""
    return "tolerance" if dtype.startswith("complex") else comparison


def tolerance_for(exact: bool = False, scale: float = 1.0, ulps: int = 0) -> Tolerance:
    return Tolerance(exact, scale, ulps)


class Mismatch(AssertionError):
    """A difference between torch and the shim. Subclasses are the kinds, one per stage."""

    stage = "value"

    def __init__(self, path: str, detail: str, extra: dict | None = None):
        self.path = path
        self.detail = detail
        self.extra = extra or {}
        super().__init__(f"{type(self).__name__} at {path or '<result>'}: {detail}")

    def record(self) -> dict:
        return {
            "kind": type(self).__name__,
            "stage": self.stage,
            "where": self.path or "<result>",
            "detail": self.detail,
            **{k: v for k, v in self.extra.items()},
        }


def _kind(name: str, stage: str) -> type:
    cls = type(name, (Mismatch,), {"stage": stage})
    cls.__module__ = __name__
    return cls


STAGES = (
    "structure",
    "exception",
    "dtype",
    "shape",
    "device",
    "autograd",
    "layout",
    "special",
    "value",
    "repr",
    "aliasing",
    "warning",
)
MISMATCH_CLASSES = {
    stage: _kind(name, stage)
    for stage, name in zip(
        STAGES,
        (
            "StructureMismatch",
            "ExceptionMismatch",
            "DtypeMismatch",
            "ShapeMismatch",
            "DeviceMismatch",
            "AutogradMismatch",
            "LayoutMismatch",
            "SpecialValueMismatch",
            "ValueMismatch",
            "ReprMismatch",
            "AliasingMismatch",
            "WarningMismatch",
        ),
    )
}
globals().update({cls.__name__: cls for cls in MISMATCH_CLASSES.values()})
__all__ += [cls.__name__ for cls in MISMATCH_CLASSES.values()]


@dataclass
class _Found:
    stage: str
    path: str
    detail: str
    extra: dict = field(default_factory=dict)

    def exception(self) -> Mismatch:
        return MISMATCH_CLASSES[self.stage](self.path, self.detail, self.extra)


class _Findings(list):
    """The mismatches found so far; and, when a tally is given, the floating-point elements compared per dtype
    and how many of them were bit-identical: dtype -> {"elements": n, "identical": k}."""

    def __init__(self, tally: dict | None = None):
        super().__init__()
        self.tally = tally

    def count(self, dtype: str, ev: np.ndarray, av: np.ndarray) -> None:
        """Tally ev against av: an element is bit-identical when its bits are, or (each part of a complex
        number) when both are NaN, as the comparison itself treats NaNs (whose sign and payload torch does
        not specify)."""
        if self.tally is None or ev.dtype.kind not in "fc" or not ev.size:
            return
        parts = 2 if ev.dtype.kind == "c" else 1
        real = np.dtype(f"f{ev.dtype.itemsize // parts}")
        ep, ap = (np.ascontiguousarray(v).view(real).reshape(-1, parts) for v in (ev, av))
        width = real.itemsize
        same = (ep.view(np.uint8).reshape(-1, parts, width) == ap.view(np.uint8).reshape(-1, parts, width)).all(2)
        same |= np.isnan(ep) & np.isnan(ap)
        row = self.tally.setdefault(dtype, {"elements": 0, "identical": 0})
        row["elements"] += ev.size
        row["identical"] += int(same.all(axis=1).sum())


def compare(
    expected: dict, actual: dict, tolerance: Tolerance, options=None, tally: dict | None = None
) -> list[Mismatch]:
    """All mismatches between two observations, most fundamental first.  tally: where to count the floating
    elements compared and the bit-identical ones, per dtype (see _Findings)."""
    options = options or {}
    found = _Findings(tally)
    if "warnings" in expected and "warnings" in actual:
        expected = dict(expected, warnings=[w for w in expected["warnings"] if not _once(w)])
        actual = dict(actual, warnings=[w for w in actual["warnings"] if not _once(w)])
    _walk(expected, actual, "", tolerance, found, options)
    order = {s: i for i, s in enumerate(STAGES)}
    found.sort(key=lambda f: (order[f.stage], f.path))
    return [f.exception() for f in found]


# torch warns once per process for some things; whether a run sees the warning depends on its history
_ONCE_PER_PROGRAM = (  # TORCH_WARN_ONCE: whether it shows depends on what ran before in the process
    "This type of warning will be suppressed for the rest of this program",
    "Casting complex values to real discards the imaginary part",
    "Converting a tensor with requires_grad=True to a scalar",
    "ComplexHalf support is experimental",
    "Tensor.T is deprecated on 0-D tensors",
    "The use of `x.T` on tensors of dimension other than 2",
    "is deprecated on 0-D tensors",
    "torch.set_default_tensor_type() is deprecated",
    "The given buffer is not writable",
    "torch.searchsorted(): input value tensor is non-contiguous",
    "torch.searchsorted(): boundary tensor is non-contiguous",
    "torch.chain_matmul is deprecated",
    "Using torch.cross without specifying the dim arg is deprecated",
    "torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument",
    "index_reduce() is in beta",
)


def _once(warning: dict) -> bool:
    return any(text in warning["message"] for text in _ONCE_PER_PROGRAM)


def _walk(e, a, path, tol, found, options):
    if isinstance(e, dict) and "kind" in e and isinstance(a, dict) and "kind" in a:
        _node(e, a, path, tol, found, options)
        return
    if isinstance(e, dict) and isinstance(a, dict):
        for key in sorted(set(e) | set(a)):
            if key not in e or key not in a:
                found.append(
                    _Found("structure", f"{path}[{key!r}]", f"present only in {'torch' if key in e else 'shim'}")
                )
                continue
            _walk(e[key], a[key], f"{path}[{key!r}]", tol, found, options)
        return
    if isinstance(e, list) and isinstance(a, list):
        if len(e) != len(a):
            found.append(_Found("structure", path, f"{len(a)} items, torch gives {len(e)}"))
            return
        for i, (x, y) in enumerate(zip(e, a)):
            _walk(x, y, f"{path}[{i}]", tol, found, options)
        return
    if e != a:
        found.append(_Found("structure", path, f"{a!r}, torch gives {e!r}"))


def _node(e, a, path, tol, found, options):
    if e["kind"] != a["kind"]:
        if e["kind"] == "exception" or a["kind"] == "exception":
            exc = e if e["kind"] == "exception" else a
            who = "torch raises" if e["kind"] == "exception" else "the shim raises"
            found.append(
                _Found(
                    "exception", path, f"{who} {exc['type']}: {exc['message']}", {"torch": _brief(e), "shim": _brief(a)}
                )
            )
        else:
            found.append(_Found("structure", path, f"a {a['kind']}, torch gives a {e['kind']}"))
        return
    kind = e["kind"]
    if kind == "exception":
        if (e["type"], e["message"]) != (a["type"], a["message"]):
            found.append(
                _Found(
                    "exception",
                    path,
                    f"{a['type']}: {a['message']!r}, torch raises {e['type']}: {e['message']!r}",
                    {"torch": _brief(e), "shim": _brief(a)},
                )
            )
        return
    if kind == "tensor":
        _tensor(e, a, path, tol, found, options)
        return
    if kind == "ndarray":
        if e["dtype"] != a["dtype"]:
            found.append(_Found("dtype", path, f"dtype {a['dtype']}, torch gives {e['dtype']}"))
            return
        if e["shape"] != a["shape"]:
            found.append(_Found("shape", path, f"shape {a['shape']}, torch gives {e['shape']}"))
            return
        _values(e["values"], a["values"], e["dtype"].replace("bool_", "bool"), path, tol, found)
        if e["aliases"] != a["aliases"]:
            found.append(_Found("aliasing", path, f"{a['aliases']}, torch gives {e['aliases']}"))
        return
    if kind == "sequence":
        if e["type"] != a["type"]:
            found.append(_Found("structure", path, f"a {a['type']}, torch gives a {e['type']}"))
            return
        if len(e["items"]) != len(a["items"]):
            found.append(_Found("structure", path, f"{len(a['items'])} items, torch gives {len(e['items'])}"))
            return
        for i, (x, y) in enumerate(zip(e["items"], a["items"])):
            _node(x, y, f"{path}[{i}]", tol, found, options)
        if e.get("repr") != a.get("repr") and options.get("repr", True) and _bitwise_equal_tree(e, a):
            found.append(
                _Found(
                    "repr",
                    path,
                    _text_diff(e.get("repr") or "", a.get("repr") or ""),
                    {"torch": e.get("repr"), "shim": a.get("repr")},
                )
            )
        return
    if kind == "mapping":  # a case's named parts, each compared in full
        if list(e["items"]) != list(a["items"]):
            found.append(_Found("structure", path, f"keys {list(a['items'])}, torch gives {list(e['items'])}"))
            return
        for key in e["items"]:
            _node(e["items"][key], a["items"][key], f"{path}[{key!r}]", tol, found, options)
        return
    if kind == "grads":
        _walk(e["items"], a["items"], path, tol, found, options)
        return
    if kind == "scalar":
        if e["type"] != a["type"]:
            found.append(_Found("dtype", path, f"Python {a['type']}, torch gives {e['type']}"))
            return
        if e["type"] in ("int", "bool"):  # Python ints are exact and may exceed int64
            if e["value"] != a["value"]:
                found.append(_Found("value", path, f"{a['value']!r}, torch gives {e['value']!r}"))
            return
        ev, av = np.asarray(e["value"]), np.asarray(a["value"])
        dtype = {"float": "float64", "complex": "complex128"}[e["type"]]
        _values(ev, av, dtype, path, tol, found)
        return
    if kind == "object":
        if e["type"] != a["type"]:
            found.append(_Found("structure", path, f"a {a['type']}, torch gives a {e['type']}"))
        elif e["repr"] != a["repr"] and options.get("repr", True):
            found.append(
                _Found("repr", path, _text_diff(e["repr"], a["repr"]), {"torch": e["repr"], "shim": a["repr"]})
            )
        return
    if e != a:
        found.append(
            _Found(
                "structure" if kind not in ("dtype", "device") else kind,
                path,
                f"{a.get('value')!r}, torch gives {e.get('value')!r}",
            )
        )


def _brief(obs: dict) -> dict:
    return {k: v for k, v in obs.items() if k != "values"}


def _tensor(e, a, path, tol, found, options):
    if e["dtype"] != a["dtype"]:
        found.append(_Found("dtype", path, f"dtype {a['dtype']}, torch gives {e['dtype']}"))
        return
    if e["shape"] != a["shape"]:
        found.append(_Found("shape", path, f"shape {a['shape']}, torch gives {e['shape']}"))
        return
    if e["device"] != a["device"]:
        found.append(_Found("device", path, f"device {a['device']}, torch gives {e['device']}"))
    for key in ("requires_grad", "grad_fn", "is_leaf"):
        if e[key] != a[key]:
            found.append(_Found("autograd", path, f"{key} {a[key]!r}, torch gives {e[key]!r}"))
    if options.get("strides", True) and 0 not in e["shape"] and _strides_differ(e["shape"], e["stride"], a["stride"]):
        found.append(_Found("layout", path, f"stride {tuple(a['stride'])}, torch gives {tuple(e['stride'])}"))
    if options.get("version", True) and e["version"] != a["version"]:
        found.append(_Found("layout", path, f"_version {a['version']}, torch gives {e['version']}"))
    equal = _values(e["values"], a["values"], e["dtype"], path, tol, found)
    if options.get("repr", True) and equal and e["repr"] != a["repr"]:
        found.append(_Found("repr", path, _text_diff(e["repr"], a["repr"]), {"torch": e["repr"], "shim": a["repr"]}))
    if options.get("aliasing", True) and e["aliases"] != a["aliases"]:
        found.append(_Found("aliasing", path, f"{a['aliases']}, torch gives {e['aliases']}"))


def _strides_differ(shape, expected, actual) -> bool:
    """Strides differ where they matter: a size-1 dim's stride is arbitrary in torch (never read)."""
    return any(d != 1 and x != y for d, x, y in zip(shape, expected, actual))


def _bitwise_equal_tree(e, a) -> bool:
    if e.get("kind") == "tensor":
        return _bits_equal(e["values"], a["values"])
    if e.get("kind") == "sequence":
        return all(_bitwise_equal_tree(x, y) for x, y in zip(e["items"], a["items"]))
    return True


def _bits_equal(x: np.ndarray, y: np.ndarray) -> bool:
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    return x.tobytes() == y.tobytes()


def _text_diff(expected: str, actual: str) -> str:
    for i, (x, y) in enumerate(zip(expected, actual)):
        if x != y:
            line = expected.count("\n", 0, i) + 1
            shim_text, torch_text = actual[i : i + 20], expected[i : i + 20]
            return f"printed form differs at line {line}, char {i}: shim {shim_text!r}, torch {torch_text!r}"
    return f"printed form differs in length: shim {len(actual)} chars, torch {len(expected)}"


def _ulp_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ULPs between finite floats of the same dtype (their bit patterns in lexicographic order)."""
    bits = x.dtype.itemsize * 8
    int_type = {16: np.int16, 32: np.int32, 64: np.int64}[bits]
    magnitude = np.int64((1 << (bits - 1)) - 1)
    xi, yi = x.view(int_type).astype(np.int64), y.view(int_type).astype(np.int64)
    xk = np.where(xi < 0, -(xi & magnitude), xi).astype(np.float64)
    yk = np.where(yi < 0, -(yi & magnitude), yi).astype(np.float64)
    return np.abs(xk - yk)


def _values(ev: np.ndarray, av: np.ndarray, dtype: str, path: str, tol: Tolerance, found, part=False) -> bool:
    """Compare values; returns True when bit-identical.  A NaN never hides a finite error.  part: ev and av
    are the real or imaginary parts of complex values (counted as the complex elements, their special values
    checked here and their finite values as complex numbers by the caller)."""
    ev, av = np.asarray(ev), np.asarray(av)
    if ev.shape != av.shape:
        found.append(_Found("shape", path, f"shape {list(av.shape)}, torch gives {list(ev.shape)}"))
        return False
    if not part and ev.dtype == av.dtype:
        found.count(dtype, ev, av)
    if _bits_equal(ev, av):
        return True
    if ev.dtype.kind == "c":
        # complex arithmetic is not specified to the bit across implementations: torch's tolerance applies
        _complex_values(ev, av, dtype, path, Tolerance(scale=tol.scale, ulps=tol.ulps), found)
        return False
    if ev.dtype.kind != "f":
        diff = ev != av
        _report_values(found, "value", path, ev, av, diff, dtype, exact=True)
        return False
    e_nan, a_nan = np.isnan(ev), np.isnan(av)
    special_diff = e_nan != a_nan
    e_inf, a_inf = np.isinf(ev), np.isinf(av)
    special_diff |= (e_inf | a_inf) & ~(e_nan | a_nan) & (ev != av)
    both_zero = (ev == 0) & (av == 0)
    special_diff |= both_zero & (np.signbit(ev) != np.signbit(av))
    if special_diff.any():
        _report_values(found, "special", path, ev, av, special_diff, dtype, exact=True)
    if not part:
        _finite_values(ev, av, dtype, path, tol, found, ~special_diff)
    return False


def _complex_values(ev: np.ndarray, av: np.ndarray, dtype: str, path: str, tol: Tolerance, found) -> None:
    """Each part's NaNs, infinities and signed zeros exactly; the finite values as torch.isclose compares
    complex numbers: the modulus of the difference against atol + rtol * |torch's value| (a small real part of
    a large value may carry the value's rounding error)."""
    part_dtype = dtype.replace("complex64", "float32").replace("complex128", "float64")
    for name in ("real", "imag"):
        _values(getattr(ev, name).copy(), getattr(av, name).copy(), part_dtype, f"{path}.{name}", tol, found, True)
    _finite_values(ev, av, dtype, path, tol, found, np.ones(ev.shape, bool))


def _finite_values(ev, av, dtype: str, path: str, tol: Tolerance, found, candidates: np.ndarray) -> None:
    """Report the finite values (of those in candidates) that differ beyond the tolerance (and ulp slack)."""
    rtol, atol = tol.bounds(dtype)
    wide = np.complex128 if ev.dtype.kind == "c" else np.float64
    with np.errstate(all="ignore"):
        e64, a64 = ev.astype(wide), av.astype(wide)
        bad = np.asarray(
            candidates & np.isfinite(e64) & np.isfinite(a64) & (np.abs(a64 - e64) > atol + rtol * np.abs(e64))
        )
        if tol.ulps and bad.any():
            parts = [(ev.real, av.real), (ev.imag, av.imag)] if ev.dtype.kind == "c" else [(ev, av)]
            # (np.array: contiguous copies that keep a 0-d shape, which np.ascontiguousarray makes 1-d)
            bad &= np.any([_ulp_distance(np.array(e), np.array(a)) > tol.ulps for e, a in parts], 0)
    if bad.any():
        _report_values(found, "value", path, ev, av, bad, dtype, exact=tol.exact)


def _report_values(found, stage, path, ev, av, diff, dtype, exact):
    idx = np.argwhere(diff)
    n = len(idx)
    e64 = ev.astype(np.float64) if ev.dtype.kind in "fiub" else ev
    a64 = av.astype(np.float64) if av.dtype.kind in "fiub" else av
    with np.errstate(all="ignore"):
        abs_err = np.where(diff, np.abs(a64 - e64), 0.0)
        rel_err = np.where(diff, abs_err / np.abs(e64), 0.0)
    abs_err = np.nan_to_num(abs_err, nan=np.inf)
    worst = np.unravel_index(int(np.argmax(abs_err)), diff.shape) if diff.ndim else ()
    extra = {
        "count": int(n),
        "total": int(diff.size),
        "max_abs_error": float(abs_err[worst]) if diff.size else 0.0,
        "max_rel_error": float(np.nan_to_num(rel_err, nan=np.inf)[worst]) if diff.size else 0.0,
        "worst_index": [int(i) for i in worst],
        "first": [
            {"index": [int(i) for i in ix], "shim": _py(av[tuple(ix)]), "torch": _py(ev[tuple(ix)])} for ix in idx[:5]
        ],
    }
    if ev.dtype.kind == "f" and ev.dtype == av.dtype:
        finite = np.isfinite(ev) & np.isfinite(av) & diff
        if finite.any():
            extra["max_ulp_error"] = int(_ulp_distance(ev[finite], av[finite]).max())
    what = "special values (NaN/inf/signed zero)" if stage == "special" else "values"
    tol_text = "exact equality" if exact else "torch's tolerance"
    found.append(
        _Found(
            stage,
            path,
            f"{n} of {diff.size} {what} differ beyond {tol_text}; max abs error "
            f"{extra['max_abs_error']:.3g} at {tuple(extra['worst_index'])} ({dtype})",
            extra,
        )
    )


def _py(x):
    x = x.item() if hasattr(x, "item") else x
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        return str(x)
    if isinstance(x, complex):
        return [_py(x.real), _py(x.imag)]
    return x
