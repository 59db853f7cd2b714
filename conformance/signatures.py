"""Harvest torch 2.13's Python argument-parser signatures into the shim's table (shim/_signatures.txt).

torch parses the arguments of its C++-bound functions and Tensor methods against format strings such as
``sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor out=None)``.
Those strings are compiled into libtorch_python; this reads them from the installed wheel and assigns each to
the function or method that uses it by asking torch itself:

* a method that takes no arguments at all (METH_NOARGS) says "takes no keyword arguments" for any keyword;
* a parser with several signatures lists them ("received an invalid combination of arguments ... expected one
  of:"): the raw strings whose printed form (shim._argparse) is that list are its signatures, with the hidden
  (deprecated) ones of the same name and kind;
* a parser with one signature is the raw string that reproduces torch's messages for a call without arguments
  and for one with too many.

Run ``python -m conformance.signatures`` after a torch upgrade; the conformance case `signature_parity` checks
the table against torch on every run.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections import defaultdict
from pathlib import Path

from shim import _argparse

from .backends import get_backend

__all__ = ["harvest", "main"]

TABLE = Path(_argparse.__file__).with_name("_signatures.txt")
_RAW = re.compile(rb"^[a-z_][a-z0-9_]*\((?:\)|[A-Za-z*].*\))(?:\|deprecated|\|hidden)?$")
_PROBE = "zz_signature_probe"


def _raw_signatures(torch) -> dict[str, list[str]]:
    """Every format string in libtorch_python, by the name before its parenthesis."""
    library = Path(torch.__file__).with_name("lib") / "libtorch_python.so"
    found: dict[str, list[str]] = defaultdict(list)
    for chunk in re.findall(rb"[\x20-\x7e]{3,}", library.read_bytes()):
        if _RAW.match(chunk):
            text = chunk.decode()
            found[text[: text.index("(")]].append(text)
    return found


def _message(call, *args, **kwargs) -> str | None:
    try:
        call(*args, **kwargs)
    except TypeError as e:
        return str(e)
    except Exception:
        return None
    return None


def _shim_message(signatures, *args, **kwargs) -> str | None:
    try:
        _argparse.Parser(signatures).parse(args, kwargs)
    except TypeError as e:
        return str(e)
    return None


def _takes_input(fmt: str) -> bool:
    return "Tensor input" in fmt


def _probes(tensor) -> list[tuple[tuple, dict]]:
    return [((), {}), ((None,) * 12, {}), ((tensor,), {_PROBE: None}), ((), {_PROBE: None}), ((tensor, 0.5), {})]


def _assign(call, candidates: list[str], method: bool) -> list[str] | None:
    """The raw signatures torch's parser for `call` holds: the one set of visible candidates whose messages
    are torch's for each probe, with the hidden ones of the same kind; None where no set or several fit,
    [] for a function CPython binds itself."""
    wanted = [_message(call, *a, **k) for a, k in _probes(get_backend("torch").xp.ones(2, 2))]
    probes = _probes(get_backend("shim").xp.ones(2, 2))
    if wanted[3] is not None and "takes no keyword arguments" in wanted[3]:
        # CPython binds it, without the parser: no arguments (METH_NOARGS) or one object (METH_O), under the
        # name its messages give (`TensorBase.exp`, `torch.get_default_dtype`, ...)
        shown = wanted[3].removesuffix("() takes no keyword arguments")
        if method:  # (`x.exp(...)` calls the descriptor, whose messages say TensorBase; the bound method's Tensor)
            shown = f"TensorBase.{call.__name__}"
        return [f"{shown}(object)|onearg" if "exactly one argument" in (wanted[0] or "") else f"{shown}()|noargs"]
    visible = [c for c in candidates if not _argparse.is_hidden_format(c)]

    def with_hidden(subset: tuple) -> list[str]:
        kind = _takes_input(subset[0])
        return [*subset, *(c for c in candidates if _argparse.is_hidden_format(c) and _takes_input(c) == kind)]

    # a parser with several signatures lists them in its order
    listed = next((m for m in wanted if m and "expected one of:" in m), "")
    fits = []
    for size in range(1, len(visible) + 1):
        for subset in itertools.combinations(visible, size):
            subset = tuple(sorted(subset, key=lambda c: listed.find(f" * {_argparse.printed(c)}\n")))
            if [_shim_message(with_hidden(subset), *a, **k) for a, k in probes] == wanted:
                fits.append(with_hidden(subset))
    return fits[0] if len(fits) == 1 else None


# the namespaces whose functions torch binds in C++ (a function's format strings go by its C name:
# `torch.linalg.det` parses as `linalg_det(Tensor A, ...)`, `nn.functional.logsigmoid` as `log_sigmoid(...)`)
NAMESPACES = ("torch", "Tensor", "linalg", "special", "fft", "nn.functional")


def _resolve(root, dotted: str):
    for part in dotted.split("."):
        root = getattr(root, part, None)
    return root


def harvest(names: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """Table lines for `names` ({"torch": [...], "Tensor": [...], "linalg": [...], ...}) and the names left
    unassigned."""
    torch = get_backend("torch").xp
    raw = _raw_signatures(torch)
    x = torch.ones(2, 2)
    lines, unassigned = [], []
    for namespace, wanted in names.items():
        for name in sorted(wanted):
            if namespace == "Tensor":
                base = getattr(torch._C.TensorBase, name, None)
                if type(base).__name__ != "method_descriptor" or getattr(torch.Tensor, name) is not base:
                    continue
                call = getattr(x, name)
            else:
                call = _resolve(torch, f"{namespace}.{name}" if namespace != "torch" else name)
                if type(call).__name__ != "builtin_function_or_method":
                    continue
            signatures = _assign(call, raw.get(call.__name__, []), namespace == "Tensor")
            if signatures is None:
                unassigned.append(f"{namespace}.{name}")
                continue
            lines += [f"{namespace}.{name} {s}" for s in signatures]
    return lines, unassigned


def main() -> None:
    shim = get_backend("shim").xp
    names = {
        namespace: [
            n for n in dir(shim if namespace == "torch" else _resolve(shim, namespace)) if not n.startswith("__")
        ]
        for namespace in NAMESPACES
    }
    lines, unassigned = harvest(names)
    header = [
        "# torch 2.13.0's Python argument-parser signatures for the names the shim provides:",
        "# `namespace.python_name format` (torch's own format strings; |noargs and |onearg: bound by CPython itself).",
        "# Written by `python -m conformance.signatures`; do not edit by hand.",
    ]
    TABLE.write_text("\n".join(header + lines) + "\n")
    print(f"{len(lines)} signatures for {len({ln.split()[0] for ln in lines})} names -> {TABLE}")
    if unassigned:
        print("not assigned:", " ".join(unassigned), file=sys.stderr)


if __name__ == "__main__":
    main()
