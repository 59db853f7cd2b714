"""Tensor printing, structured as torch/_tensor_str.py: a formatter that scans the (summarized) values
once, then small recursive printers, then the suffixes.  Names follow torch's so the two read alike."""

from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np

from . import _dtypes
from ._devices import CPU

__all__ = ["PRINT_OPTS", "set_printoptions", "get_printoptions", "printoptions", "tensor_str"]


@dataclasses.dataclass
class __PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = __PrinterOptions()

_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
) -> None:
    if profile is not None:
        if profile in _PROFILES:
            (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = _PROFILES[
                profile
            ]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    old_kwargs = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old_kwargs)


class _Formatter:
    def __init__(self, values: np.ndarray):
        self.floating_dtype = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        tensor_view = values.reshape(-1)
        precision = PRINT_OPTS.precision

        if not self.floating_dtype:
            for value in tensor_view.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
        else:
            nonzero_finite_vals = tensor_view[np.isfinite(tensor_view) & (tensor_view != 0)]
            if nonzero_finite_vals.size == 0:
                return  # no valid number: torch 2.13 leaves sci_mode False, whatever the print options say
            nonzero_finite_abs = np.abs(nonzero_finite_vals).astype(np.float64)
            nonzero_finite_min = float(nonzero_finite_abs.min())
            nonzero_finite_max = float(nonzero_finite_abs.max())
            self.int_mode = bool(np.all(nonzero_finite_vals == np.ceil(nonzero_finite_vals)))
            values_list = nonzero_finite_vals.tolist()
            # the print option decides first; the widths follow the mode (torch 2.13's order)
            self.sci_mode = (
                nonzero_finite_max / nonzero_finite_min > 1000.0
                or nonzero_finite_max > 1.0e8
                or nonzero_finite_min < 1.0e-4
                if PRINT_OPTS.sci_mode is None
                else PRINT_OPTS.sci_mode
            )
            if self.sci_mode:
                self.max_width = max(self.max_width, *(len(f"{v:.{precision}e}") for v in values_list))
            elif self.int_mode:
                self.max_width = max(self.max_width, *(len(f"{v:.0f}") + 1 for v in values_list))
            else:
                self.max_width = max(self.max_width, *(len(f"{v:.{precision}f}") for v in values_list))

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{PRINT_OPTS.precision}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _scalar_str(self: np.ndarray, formatter1, formatter2=None) -> str:
    if formatter2 is not None:
        real_str = _scalar_str(self.real, formatter1)
        imag_str = (_scalar_str(self.imag, formatter2) + "j").lstrip()
        if imag_str[0] == "+" or imag_str[0] == "-":
            return real_str + imag_str
        return real_str + "+" + imag_str
    return formatter1.format(self.item())


def _vector_str(self: np.ndarray, indent: int, summarize: bool, formatter1, formatter2=None) -> str:
    element_length = formatter1.width() + 2
    if formatter2 is not None:
        element_length += formatter2.width() + 1
    elements_per_line = max(1, int(math.floor((PRINT_OPTS.linewidth - indent) / element_length)))

    def _val_formatter(val, formatter1=formatter1, formatter2=formatter2):
        if formatter2 is not None:
            real_str = formatter1.format(val.real)
            imag_str = (formatter2.format(val.imag) + "j").lstrip()
            if imag_str[0] == "+" or imag_str[0] == "-":
                return real_str + imag_str
            return real_str + "+" + imag_str
        return formatter1.format(val)

    edgeitems = PRINT_OPTS.edgeitems
    if summarize and not edgeitems:
        data = ["..."]
    elif summarize and self.shape[0] > 2 * edgeitems:
        data = (
            [_val_formatter(val) for val in self[:edgeitems].tolist()]
            + [" ..."]
            + [_val_formatter(val) for val in self[-edgeitems:].tolist()]
        )
    else:
        data = [_val_formatter(val) for val in self.tolist()]
    data_lines = [data[i : i + elements_per_line] for i in range(0, len(data), elements_per_line)]
    lines = [", ".join(line) for line in data_lines]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(self: np.ndarray, indent, summarize, formatter1, formatter2=None) -> str:
    dim = self.ndim
    if dim == 0:
        return _scalar_str(self, formatter1, formatter2)
    if dim == 1:
        return _vector_str(self, indent, summarize, formatter1, formatter2)
    edgeitems = PRINT_OPTS.edgeitems
    if summarize and self.shape[0] > 2 * edgeitems:
        slices = (
            [
                _tensor_str_with_formatter(self[i], indent + 1, summarize, formatter1, formatter2)
                for i in range(0, edgeitems)
            ]
            + ["..."]
            + [
                _tensor_str_with_formatter(self[i], indent + 1, summarize, formatter1, formatter2)
                for i in range(len(self) - edgeitems, len(self))
            ]
        )
    else:
        slices = [
            _tensor_str_with_formatter(self[i], indent + 1, summarize, formatter1, formatter2)
            for i in range(0, self.shape[0])
        ]
    tensor_str = ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices)
    return "[" + tensor_str + "]"


def get_summarized_data(self: np.ndarray) -> np.ndarray:
    dim = self.ndim
    edgeitems = PRINT_OPTS.edgeitems
    if dim == 0:
        return self
    if dim == 1:
        if self.shape[0] > 2 * edgeitems:
            return np.concatenate((self[:edgeitems], self[self.shape[0] - edgeitems :]))
        return self
    if not edgeitems:
        return np.empty((0,) * dim, self.dtype)
    if self.shape[0] > 2 * edgeitems:
        start = [self[i] for i in range(0, edgeitems)]
        end = [self[i] for i in range(len(self) - edgeitems, len(self))]
        return np.stack([get_summarized_data(x) for x in (start + end)])
    return np.stack([get_summarized_data(x) for x in self])


def _tensor_str(self: np.ndarray, indent: int) -> str:
    if self.size == 0:
        return "[]"
    summarize = self.size > PRINT_OPTS.threshold
    if self.dtype == np.float16:
        self = self.astype(np.float32)
    if self.dtype.kind == "c":
        real_formatter = _Formatter(get_summarized_data(self.real) if summarize else self.real)
        imag_formatter = _Formatter(get_summarized_data(self.imag) if summarize else self.imag)
        return _tensor_str_with_formatter(self, indent, summarize, real_formatter, imag_formatter)
    formatter = _Formatter(get_summarized_data(self) if summarize else self)
    return _tensor_str_with_formatter(self, indent, summarize, formatter)


def _add_suffixes(tensor_str: str, suffixes, indent: int, force_newline: bool) -> str:
    tensor_strs = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        suffix_len = len(suffix)
        if force_newline or last_line_len + suffix_len + 2 > PRINT_OPTS.linewidth:
            tensor_strs.append(",\n" + " " * indent + suffix)
            last_line_len = indent + suffix_len
            force_newline = False
        else:
            tensor_strs.append(", " + suffix)
            last_line_len += suffix_len + 2
    tensor_strs.append(")")
    return "".join(tensor_strs)


def tensor_str(inp) -> str:
    """torch's _str_intern for a dense tensor."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    self = inp
    if self._device is not CPU:
        suffixes.append("device='" + ("cuda:0" if self._device.type == "cuda" else str(self._device)) + "'")
    default = _dtypes.get_default_dtype()
    has_default_dtype = self._dtype in (default, _dtypes.default_complex_dtype(), _dtypes.int64, _dtypes.bool_)
    a = self._a
    if a.size == 0:
        if a.ndim != 1:
            suffixes.append("size=" + str(tuple(a.shape)))
        if self._dtype is not default:
            suffixes.append("dtype=" + str(self._dtype))
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(a.shape)))
        if not has_default_dtype:
            suffixes.append("dtype=" + str(self._dtype))
        body = _tensor_str(a, indent)
    grad_fn = inp.grad_fn
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(grad_fn).__name__}>")
    elif inp._rg:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent, force_newline=False)
