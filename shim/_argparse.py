"""torch's Python argument parser (torch/csrc/utils/python_arg_parser.cpp, invalid_arguments.cpp), on its
own signature strings.

The shim's functions and methods bind their arguments as plain Python functions, which is fast and right
for every call torch accepts under the same names.  Where binding fails, `guard` hands the call to this
parser, which either finds what torch would have accepted — a NumPy-style alias (`axis=` for `dim=`,
`keepdims=`, `x1=`/`x2=`) — and calls again under torch's names, or raises torch's own TypeError: "argument
'dim' (position 2) must be int, not str", "got an unexpected keyword argument", and for a name with several
overloads the "received an invalid combination of arguments" text with its list of signatures.

The signatures are torch's format strings (`sum(Tensor input, IntArrayRef[1]? dim, bool keepdim=False, ...)`),
read from shim/_signatures.txt on first use; `python -m conformance.signatures` writes that table from the
installed torch, and the `signature_parity` case compares calls against torch.  Names follow torch's sources
so the two read side by side.
"""

from __future__ import annotations

import functools
import inspect
import math
import operator
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["Parser", "printed", "is_hidden_format", "install", "signatures"]

# FunctionParameter's type strings -> the name type_name() prints
TYPE_NAMES = {
    "Tensor": "Tensor",
    "Scalar": "Number",
    "int64_t": "int",
    "SymInt": "int",
    "double": "float",
    "complex": "complex",
    "TensorList": "tuple of Tensors",
    "c10::List<::std::optional<Tensor>>": "tuple of Tensors",
    "c10::List<std::optional<Tensor>>": "tuple of Tensors",
    "IntArrayRef": "tuple of ints",
    "SymIntArrayRef": "tuple of ints",
    "ArrayRef<double>": "tuple of floats",
    "Generator": "torch.Generator",
    "bool": "bool",
    "Storage": "torch.Storage",
    "PyObject*": "object",
    "ScalarType": "torch.dtype",
    "Layout": "torch.layout",
    "MemoryFormat": "torch.memory_format",
    "QScheme": "torch.qscheme",
    "Device": "torch.device",
    "Stream": "torch.Stream",
    "std::string": "str",
    "c10::string_view": "str",
    "Dimname": "name",
    "DimnameList": "tuple of names",
    "ScalarList": "tuple of Scalars",
    "DispatchKeySet": "DispatchKeySet",
}

# numpy_compatibility_arg_names
NUMPY_NAMES = {"dim": ("axis",), "keepdim": ("keepdims",), "input": ("x", "a", "x1"), "other": ("x2",)}

# should_allow_numbers_as_tensors
NUMBERS_AS_TENSORS = frozenset(
    "add add_ add_out div div_ div_out divide divide_ divide_out mul mul_ mul_out multiply multiply_ multiply_out "
    "sub sub_ sub_out subtract subtract_ subtract_out true_divide true_divide_ true_divide_out to _to_copy copy_ "
    "floor_divide floor_divide_ floor_divide_out".split()
)


DEFAULT = object()  # an optional parameter the call did not give


# ---- the Python type checks behind FunctionParameter::check ----------------------------------------------------


def _tensor_type():
    from ._tensor import Tensor

    return Tensor


def _is_numpy_scalar(obj) -> bool:
    return isinstance(obj, np.generic) and isinstance(obj, (np.number, np.bool_))


def _check_long(obj) -> bool:  # THPUtils_checkLong
    return (isinstance(obj, int) and not isinstance(obj, bool)) or isinstance(obj, np.integer)


def _check_double(obj) -> bool:  # THPUtils_checkDouble
    return isinstance(obj, (float, int)) or _is_numpy_scalar(obj)


def _check_scalar(obj) -> bool:  # THPUtils_checkScalar
    return isinstance(obj, (float, int, complex)) or _is_numpy_scalar(obj)


def _check_index(obj) -> bool:  # THPUtils_checkIndex
    if isinstance(obj, bool):
        return False
    if _check_long(obj):
        return True
    try:
        obj.__index__()
    except Exception:
        return False
    return True


def _is_int_list(obj, size: int, index) -> tuple[bool, int]:
    if isinstance(obj, (tuple, list)):
        return (not obj or index(obj[0])), (-1 if not obj or index(obj[0]) else 0)
    return size > 0 and index(obj), -1


def _check_tensor_list(obj, argnum: int) -> bool:
    if not isinstance(obj, (tuple, list)):
        return False
    tensor = _tensor_type()
    for i, item in enumerate(obj):
        if not isinstance(item, tensor):
            raise TypeError(f"expected Tensor as element {i} in argument {argnum}, but got {tp_name(item)}")
    return True


def _zero_dim_value(obj, integral: bool) -> bool:
    if not isinstance(obj, _tensor_type()):
        return False
    if obj.requires_grad or obj.dim() != 0:
        return False
    return not integral or (not obj.dtype.is_floating_point and not obj.dtype.is_complex and obj.dtype.itemsize > 1)


@functools.cache
def _classes() -> dict[type, str]:
    """The shim's stand-ins for torch's C types, with the tp_name torch's type prints."""
    shim = sys.modules[__package__]
    return {
        shim.dtype: "torch.dtype",
        shim.device: "torch.device",
        shim.Size: "torch.Size",
        shim.Generator: "torch._C.Generator",
        shim._Layout: "torch.layout",
        shim._MemoryFormat: "torch.memory_format",
        shim.finfo: "torch.finfo",
        shim.iinfo: "torch.iinfo",
    }


def _of_class(tp: str) -> Callable:
    return lambda obj: _classes().get(type(obj)) == tp


_is_dtype = _of_class("torch.dtype")
_is_device = _of_class("torch.device")
_is_generator = _of_class("torch._C.Generator")
_is_layout = _of_class("torch.layout")
_is_memory_format = _of_class("torch.memory_format")


class FunctionParameter:
    """One parameter of a format string: `Type[size]? name=default`."""

    __slots__ = ("type_", "allow_none", "size", "name", "optional", "default_value", "keyword_only", "numbers")

    def __init__(self, fmt: str, keyword_only: bool, numbers_as_tensors: bool) -> None:
        type_str, _, name_str = fmt.partition(" ")
        self.allow_none = "?" in type_str
        type_str = type_str.replace("?", "")
        self.size = 0
        if "[" in type_str:
            type_str, _, size = type_str.partition("[")
            self.size = int(size[:-1])
        self.type_ = type_str
        self.keyword_only = keyword_only
        self.numbers = numbers_as_tensors
        self.name, eq, default = name_str.partition("=")
        self.optional = bool(eq)
        self.default_value = default if eq else None
        if default == "None":
            self.allow_none = True

    def type_name(self) -> str:
        return TYPE_NAMES.get(self.type_, self.type_)

    def check(self, obj, argnum: int) -> tuple[bool, int]:
        """(matches, index of the failing element of a list)"""
        t = self.type_
        if t == "Tensor":
            return isinstance(obj, _tensor_type()) or (self.numbers and _check_scalar(obj)), -1
        if t in ("Scalar", "complex", "double"):
            if t == "Scalar" and _check_scalar(obj):
                return True, -1
            if t != "double" and isinstance(obj, complex):
                return True, -1
            return _check_double(obj) or _zero_dim_value(obj, integral=False), -1
        if t == "int64_t":
            return _check_long(obj) or _zero_dim_value(obj, integral=True), -1
        if t == "SymInt":
            return _check_index(obj), -1
        if t in ("IntArrayRef", "SymIntArrayRef"):
            return _is_int_list(obj, self.size, _check_index)
        if t in ("TensorList", "c10::List<::std::optional<Tensor>>", "c10::List<std::optional<Tensor>>"):
            return _check_tensor_list(obj, argnum), -1
        if t == "ArrayRef<double>":
            ok = isinstance(obj, (tuple, list)) and (not obj or _check_double(obj[0]) or isinstance(obj[0], complex))
            return ok, -1
        if t == "ScalarList":
            return isinstance(obj, (tuple, list)) and all(_check_scalar(v) for v in obj), -1
        if t == "bool":
            return isinstance(obj, bool), -1
        if t == "ScalarType":
            return _is_dtype(obj) or obj in (float, int, bool, complex), -1
        if t == "Device":
            return _check_long(obj) or isinstance(obj, str) or _is_device(obj), -1
        if t in ("std::string", "c10::string_view", "Dimname"):
            return isinstance(obj, str), -1
        if t == "Generator":
            return _is_generator(obj), -1
        if t == "Layout":
            return _is_layout(obj), -1
        if t == "MemoryFormat":
            return _is_memory_format(obj), -1
        if t == "PyObject*":
            return True, -1
        return False, -1


def tp_name(obj) -> str:
    """Py_TYPE(obj)->tp_name as torch's objects report it: a C type's dotted name, a Python class's own name."""
    cls = type(obj)
    name = _classes().get(cls)
    if name is not None:
        return name
    if cls.__module__ == "numpy":
        return f"numpy.{cls.__name__}"
    return cls.__name__


class FunctionSignature:
    def __init__(self, fmt: str) -> None:
        self.name, _, rest = fmt.partition("(")
        body, _, tail = rest.rpartition(")")
        self.hidden = tail in ("|deprecated", "|hidden")
        self.deprecated = tail == "|deprecated"
        numbers = self.name in NUMBERS_AS_TENSORS
        self.params: list[FunctionParameter] = []
        keyword_only = False
        for part in body.split(", ") if body else ():
            if part == "*":
                keyword_only = True
            else:
                self.params.append(FunctionParameter(part, keyword_only, numbers))
        self.max_args = len(self.params)
        self.min_args = sum(not p.optional for p in self.params)
        self.max_pos_args = sum(not p.keyword_only for p in self.params)

    def to_string(self) -> str:
        parts, keyword_already = [], False
        for param in self.params:
            text = f"{param.type_name()} {param.name}"
            if param.optional:
                text += f" = {param.default_value}"
            if param.keyword_only and not keyword_already:
                text, keyword_already = "*, " + text, True
            parts.append(text)
        return "(" + ", ".join(parts) + ")"

    def _extra_args(self, nargs: int) -> TypeError:
        if self.min_args != self.max_pos_args:
            return TypeError(
                f"{self.name}() takes from {self.min_args} to {self.max_pos_args} positional arguments "
                f"but {nargs} were given"
            )
        s = "" if self.max_pos_args == 1 else "s"
        return TypeError(
            f"{self.name}() takes {self.max_pos_args} positional argument{s} but {nargs} "
            f"{'was' if nargs == 1 else 'were'} given"
        )

    def _missing_args(self, idx: int) -> TypeError:
        missing = [f'"{p.name}"' for p in self.params[idx:] if not p.optional]
        # torch's plural is inverted: "1 required positional arguments"
        s = "s" if len(missing) == 1 else ""
        return TypeError(f"{self.name}() missing {len(missing)} required positional argument{s}: {', '.join(missing)}")

    def _extra_kwargs(self, kwargs: dict, nargs: int) -> TypeError:
        names = [p.name for p in self.params]
        for key in kwargs:
            if not isinstance(key, str):
                return TypeError("keywords must be strings")
            if key not in names:
                return TypeError(f"{self.name}() got an unexpected keyword argument '{key}'")
            if names.index(key) < nargs:
                return TypeError(f"{self.name}() got multiple values for argument '{key}'")
        return TypeError("invalid keyword arguments")

    def parse(self, args: tuple, kwargs: dict, raise_exception: bool) -> dict | None:
        """The arguments bound to torch's parameter names (DEFAULT where none was given), or None (or
        torch's TypeError, with `raise_exception`) when this signature does not take the call."""
        nargs = len(args)
        remaining_kwargs = len(kwargs)
        allow_varargs_intlist = False
        params = self.params
        if self.max_pos_args == 1 and params[0].type_ in ("IntArrayRef", "SymIntArrayRef"):
            allow_varargs_intlist = _is_int_list(args, params[0].size, _check_index)[0]
        if nargs > self.max_pos_args and not allow_varargs_intlist:
            if raise_exception:
                raise self._extra_args(nargs)
            return None
        bound: dict = {}
        arg_pos = 0
        for i, param in enumerate(params):
            obj, is_kwd, found = None, False, False
            if arg_pos < nargs:
                if param.keyword_only:
                    if raise_exception:
                        raise self._extra_args(nargs)
                    return None
                obj, found = args[arg_pos], True
            elif kwargs:
                for key in (param.name, *NUMPY_NAMES.get(param.name, ())):
                    if key in kwargs:
                        obj, found = kwargs[key], True
                        break
                is_kwd = True
            varargs_eligible = allow_varargs_intlist and arg_pos == 0 and not is_kwd
            if not found and param.optional:
                bound[param.name] = DEFAULT
            elif found and obj is None and param.allow_none:
                bound[param.name] = None
            elif not found:
                if raise_exception:
                    raise self._missing_args(i)
                return None
            else:
                ok, failed_idx = param.check(obj, i)
                if ok:
                    bound[param.name] = obj
                elif varargs_eligible and _is_int_list(args, param.size, _check_index)[0]:
                    bound[param.name] = args
                    arg_pos = nargs
                    continue
                elif raise_exception:
                    raise self._type_error(param, obj, arg_pos, is_kwd, failed_idx, varargs_eligible, args)
                else:
                    return None
            if not is_kwd:
                arg_pos += 1
            elif found:
                remaining_kwargs -= 1
        if remaining_kwargs > 0:
            if raise_exception:
                raise self._extra_kwargs(kwargs, nargs)
            return None
        return bound

    def _type_error(self, param, obj, arg_pos, is_kwd, failed_idx, varargs_eligible, args) -> TypeError:
        if is_kwd:
            return TypeError(f"{self.name}(): argument '{param.name}' must be {param.type_name()}, not {tp_name(obj)}")
        where = f"{self.name}(): argument '{param.name}' (position {arg_pos + 1}) must be {param.type_name()}"
        if failed_idx != -1:
            seq = obj if isinstance(obj, (tuple, list)) else args
            return TypeError(f"{where}, but found element of type {tp_name(seq[failed_idx])} at pos {failed_idx}")
        return TypeError(f"{where}, not {tp_name(obj)}")


def _unpacked(signature: FunctionSignature, bound: dict) -> dict:
    """PythonArgs::intlist's reading of the int lists the parse took by their first element: every element
    must be an index (an int, a bool, a NumPy integer, an integral 0-d tensor)."""
    for param in signature.params:
        value = bound[param.name]
        if param.type_ in ("IntArrayRef", "SymIntArrayRef") and isinstance(value, (tuple, list)):
            for pos, item in enumerate(value):
                try:
                    operator.index(item)
                except Exception:
                    raise TypeError(
                        f"{signature.name}(): argument '{param.name}' failed to unpack the object at pos {pos + 1} "
                        f'with error "type must be tuple of ints,but got {tp_name(item)}"'
                    ) from None
    return bound


class Parser:
    """PythonArgParser: the signatures of one name, deprecated ones tried last."""

    def __init__(self, fmts: list[str]) -> None:
        signatures = [FunctionSignature(f) for f in fmts]
        self.signatures = [s for s in signatures if not s.deprecated] + [s for s in signatures if s.deprecated]
        self.function_name = self.signatures[0].name
        self.max_args = max(s.max_args for s in self.signatures)

    def parse(self, args: tuple, kwargs: dict) -> tuple[FunctionSignature, dict]:
        if len(self.signatures) == 1:
            signature = self.signatures[0]
            return signature, _unpacked(signature, signature.parse(args, kwargs, True))
        for signature in self.signatures:
            bound = signature.parse(args, kwargs, False)
            if bound is not None:
                return signature, _unpacked(signature, bound)
        raise self._print_error(args, kwargs)

    def _print_error(self, args: tuple, kwargs: dict) -> TypeError:
        num_args = len(args) + len(kwargs)
        plausible = [s for s in self.signatures if s.min_args <= num_args <= s.max_args and not s.hidden]
        if len(plausible) == 1:
            plausible[0].parse(args, kwargs, True)
        options = [s.to_string() for s in self.signatures if not s.hidden]
        return TypeError(format_invalid_args(args, kwargs, self.function_name + "()", options))


# ---- invalid_arguments.cpp ------------------------------------------------------------------------------------

_SIMPLE_MATCH = {"float": ("float", "int", "long"), "int": ("int", "long")}


class _Option:
    """An option parsed back from its printed signature, as _parseOption reads it (a "= default" is split into
    type and name at its last space, so a defaulted parameter is named by its default: torch's own quirk)."""

    def __init__(self, text: str) -> None:
        self.printable = text
        self.arguments: list[tuple[str, tuple | None, bool]] = []
        if text == "no arguments":
            self.is_variadic = False
            return
        inner = text[1:-1]
        for arg in inner.split(", "):
            start = 1 if arg.startswith("#") else 0
            nullable = arg[start:].startswith("[")
            if nullable:
                start += 1
                arg = arg[: -len(" or None]")]
            space = arg.rfind(" ")
            name = arg[space + 1 :]
            end = space if space != -1 else len(arg)
            if "..." in arg:
                end -= 4
            type_name = arg[start:end] if space != -1 else arg[start:-1]
            self.arguments.append((name, _SIMPLE_MATCH.get(type_name, (type_name,)), nullable))
        self.is_variadic = "..." in inner

    def matches(self, i: int, obj) -> bool:
        _, names, nullable = self.arguments[i]
        return (nullable and obj is None) or tp_name(obj) in names


# torch collects the keywords of a refused call into a std::unordered_map<std::string, PyObject*>, so its
# messages list them in that map's order: libstdc++'s, by std::hash<std::string> (_Hash_bytes, the 64-bit
# MurmurHash2 variant, seeded 0xc70f6907) modulo a prime bucket count, each node put first in its bucket's run
# or, into an empty bucket, first of all.
_MUL = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _hash_bytes(data: bytes, seed: int = 0xC70F6907) -> int:
    """libstdc++'s _Hash_bytes for a 64-bit size_t."""
    n = len(data)
    aligned = n & ~7
    h = seed ^ (n * _MUL & _MASK)
    for i in range(0, aligned, 8):
        h ^= _shift_mix(int.from_bytes(data[i : i + 8], "little") * _MUL & _MASK) * _MUL & _MASK
        h = h * _MUL & _MASK
    if n & 7:
        h = (h ^ int.from_bytes(data[aligned:], "little")) * _MUL & _MASK
    return _shift_mix(_shift_mix(h) * _MUL & _MASK)


def _next_prime(n: int) -> int:
    while any(n % d == 0 for d in range(2, math.isqrt(n) + 1)):
        n += 1
    return n


def _unordered_map(kwargs: dict) -> dict:
    """`kwargs` in the iteration order of a std::unordered_map<std::string, ...> they were inserted into
    (13 buckets from the first insert, grown by _Prime_rehash_policy at a load factor of 1)."""
    nodes: list[tuple[str, int]] = []  # (key, hash) in list order
    buckets = 13

    def insert(key: str, code: int) -> None:
        at = next((i for i, (_, c) in enumerate(nodes) if c % buckets == code % buckets), 0)
        nodes.insert(at, (key, code))

    for key in kwargs:
        if len(nodes) + 1 > buckets:
            buckets = _next_prime(max(len(nodes) + 2, 2 * buckets))
            old = nodes[:]
            nodes.clear()
            for node in old:
                insert(*node)
        insert(key, _hash_bytes(key.encode()))
    return {key: kwargs[key] for key, _ in nodes}


def _colors() -> tuple[str, str, str, str]:
    try:
        tty = sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    return ("\33[31;1m", "\33[0m", "\33[32;1m", "\33[0m") if tty else ("!", "!", "", "")


def _type_desc(obj) -> str:
    if isinstance(obj, (tuple, list)):
        items = ", ".join(tp_name(v) for v in obj)
        if isinstance(obj, tuple):
            return f"{tp_name(obj)} of ({items}{',' if len(obj) == 1 else ''})"
        return f"{tp_name(obj)} of [{items}]"
    return tp_name(obj)


def _argcount_match(option: _Option, args: tuple, kwargs: dict) -> bool:
    expected, got = len(option.arguments), len(args) + len(kwargs)
    return got == expected or (option.is_variadic and got > expected)


def _formatted_arg_desc(option: _Option, args: tuple, kwargs: dict) -> str:
    red, reset_red, green, reset_green = _colors()
    parts = []
    for i in range(len(args) + len(kwargs)):
        is_kwarg = i >= len(args)
        name = option.arguments[i][0] if i < len(option.arguments) else None
        if is_kwarg and name not in kwargs:
            raise IndexError("_Map_base::at")
        arg = kwargs[name] if is_kwarg else args[i]
        if i < len(option.arguments):
            matching = option.matches(i, arg)
        else:
            matching = option.is_variadic and option.matches(len(option.arguments) - 1, arg)
        text = (f"{name}=" if is_kwarg else "") + _type_desc(arg)
        parts.append(f"{green}{text}{reset_green}" if matching else f"{red}{text}{reset_red}")
    result = "(" + "".join(p + ", " for p in parts)
    if args:
        result = result[:-2]
    return result + ")"


def _arg_desc(args: tuple, kwargs: dict) -> str:
    result = "(" + "".join(tp_name(a) + ", " for a in args) + "".join(f"{k}={tp_name(v)}, " for k, v in kwargs.items())
    if args:
        result = result[:-2]
    return result + ")"


def _try_match_kwargs(option: _Option, kwargs: dict) -> list[str]:
    start = max(len(option.arguments) - len(kwargs), 0)
    names = [a[0] for a in option.arguments[start:]]
    return [k for k in kwargs if k not in names]


def format_invalid_args(args: tuple, kwargs: dict, function_name: str, options: list[str]) -> str:
    kwargs = _unordered_map(kwargs)
    message = f"{function_name} received an invalid combination of arguments - "
    if len(options) == 1:
        option = _Option(options[0])
        unmatched = _try_match_kwargs(option, kwargs) if kwargs else []
        if unmatched:
            return message + "got unrecognized keyword arguments: " + ", ".join(unmatched)
        desc = _formatted_arg_desc(option, args, kwargs) if _argcount_match(option, args, kwargs) else None
        return message + f"got {desc or _arg_desc(args, kwargs)}, but expected {option.printable}"
    message += f"got {_arg_desc(args, kwargs)}, but expected one of:\n"
    for text in options:
        option = _Option(text)
        message += f" * {option.printable}\n"
        if _argcount_match(option, args, kwargs):
            unmatched = _try_match_kwargs(option, kwargs) if kwargs else []
            if unmatched:
                message += "      didn't match because some of the keywords were incorrect: " + ", ".join(unmatched)
            else:
                message += "      didn't match because some of the arguments have invalid types: "
                message += _formatted_arg_desc(option, args, kwargs)
            message += "\n"
    return message


# ---- the table and the shim's hook ---------------------------------------------------------------------------

_TABLE = Path(__file__).with_name("_signatures.txt")


@functools.cache
def signatures() -> dict[str, list[str]]:
    """`namespace.name` -> torch's format strings, from shim/_signatures.txt."""
    table: dict[str, list[str]] = {}
    if _TABLE.exists():
        for line in _TABLE.read_text().splitlines():
            if line and not line.startswith("#"):
                key, _, fmt = line.partition(" ")
                table.setdefault(key, []).append(fmt)
    return table


@functools.cache
def _parser(key: str) -> Parser:
    return Parser([f for f in signatures()[key] if not f.endswith(ARITIES)])


def printed(fmt: str) -> str:
    return FunctionSignature(fmt).to_string()


def is_hidden_format(fmt: str) -> bool:
    return fmt.endswith(("|deprecated", "|hidden"))


# the messages Python's own binding gives when a call does not fit a function's parameters
_BINDING = re.compile(
    r"^[\w.<>]+\(\) (got an unexpected keyword argument|missing \d+ required|takes (from \d+ to )?\d+ positional"
    r"|got multiple values for argument|takes no arguments|takes no keyword arguments|got some positional-only)"
)


def _python_default(param: FunctionParameter):
    """A parameter's default as the shim's implementations take it (LookupError where it has no plain
    Python form)."""
    text = param.default_value
    literals = {"None": None, "True": True, "False": False, "true": True, "false": False}
    if text in literals:
        return literals[text]
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise LookupError(text) from None


def _rebound(signature: FunctionSignature, bound: dict) -> tuple[list, dict]:
    """The call torch parsed, as positional arguments in torch's order up to the last one given (defaults
    in between) and keyword-only ones under torch's names: how the shim's implementations take a call."""
    positional = [p for p in signature.params if not p.keyword_only]
    given = [i for i, p in enumerate(positional) if bound[p.name] is not DEFAULT]
    args = []
    for p in positional[: given[-1] + 1] if given else ():
        args.append(_python_default(p) if bound[p.name] is DEFAULT else bound[p.name])
    kwargs = {p.name: bound[p.name] for p in signature.params if p.keyword_only and bound[p.name] is not DEFAULT}
    return args, kwargs


def _reparse(key: str, call: Callable, args: tuple, kwargs: dict, error: Exception, method: bool):
    """A call the shim refused.  torch parses before it runs anything, so where its parser refuses the call
    that is the error; where it accepts a call whose names the shim's binding refused (a keyword under
    torch's name where the implementation names it otherwise, a NumPy-style alias), the call goes again as
    torch parsed it; anything else is the shim's own error."""
    try:
        signature, bound = _parser(key).parse(args[1:] if method else args, kwargs)
    except TypeError as refusal:
        raise refusal from None
    except Exception:  # (where this parser cannot follow torch's, the shim's own error stands)
        raise error from None
    binding = isinstance(error, TypeError) and error.args and _BINDING.match(str(error.args[0]))
    if not binding or signature.deprecated:
        raise error
    try:
        positional, keywords = _rebound(signature, bound)
    except LookupError:  # (a default without a plain Python form)
        raise error from None
    return call(*args[:1], *positional, **keywords) if method else call(*positional, **keywords)


def _guard(call: Callable, key: str, method: bool) -> Callable:
    @functools.wraps(call)
    def guarded(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except Exception as e:
            error = e
        return _reparse(key, call, args, kwargs, error, method)

    return guarded


# CPython's own binding of a function without arguments (METH_NOARGS) or with one (METH_O): the table marks it
ARITIES = ("|noargs", "|onearg")


def _fixed_arity(call: Callable, fmt: str, method: bool) -> Callable:
    """CPython's messages for a call of a METH_NOARGS or METH_O function, under the name they give it."""
    shown, one = fmt[: fmt.index("(")], fmt.endswith("|onearg")

    def refuse(args: tuple, kwargs: dict):
        if kwargs:
            raise TypeError(f"{shown}() takes no keyword arguments")
        given = len(args) - method
        raise TypeError(f"{shown}() takes {'exactly one argument' if one else 'no arguments'} ({given} given)")

    arity = one + method  # (the positional arguments of a good call, self included)

    @functools.wraps(call)
    def fixed(*args, **kwargs):
        if kwargs or len(args) != arity:
            refuse(args, kwargs)
        return call(*args)

    return fixed


_NOTHING = object()  # (no argument given)


def _plain_first(plain: Callable, inplace: bool, guarded: Callable, tensor_cls: type) -> Callable:
    """A binary method that tries its op's plain form (see register's `plain`) before the guarded
    implementation: `x.add_(y)` at the cost of `x += y`."""

    @functools.wraps(guarded)
    def method(self, other=_NOTHING, /, *args, **kwargs):
        if other.__class__ is tensor_cls and not args and not kwargs:
            result = plain(self, other, inplace)
            if result is not None:
                return result
        return guarded(self, *args, **kwargs) if other is _NOTHING else guarded(self, other, *args, **kwargs)

    return method


# the names torch's bindings give themselves (`__name__`) where not the name they are reached by: the functions
# of torch.linalg, torch.special and torch.fft are bound as `linalg_norm`, `special_erf`, `fft_fft`
_NAME_PREFIXES = {"linalg": "linalg_", "special": "special_", "fft": "fft_"}
_OWN_NAMES = {"nn.functional.logsigmoid": "log_sigmoid"}


def install(namespaces: dict[str, dict], tensor_cls: type) -> None:
    """Guard every function and Tensor method the table holds; `namespaces` maps the table's namespaces
    ("torch", "linalg", "nn.functional", ...) to the dicts of the shim's modules."""
    for key, fmts in signatures().items():
        space, _, name = key.rpartition(".")
        method = space == "Tensor"
        call = inspect.getattr_static(tensor_cls, name, None) if method else namespaces[space].get(name)
        if not (isinstance(call, types.FunctionType) if method else callable(call)):
            continue
        wrapped = _fixed_arity(call, fmts[0], method) if fmts[0].endswith(ARITIES) else _guard(call, key, method)
        if method and getattr(call, "plain_first", None):
            wrapped = _plain_first(*call.plain_first, wrapped, tensor_cls)
        # torch's name, whatever the kernel's (one kernel serves several names: clamp_ and clip_, view_copy ...)
        own = _OWN_NAMES.get(key, _NAME_PREFIXES.get(space, "") + name)
        wrapped.__name__, wrapped.__qualname__ = own, f"Tensor.{name}" if method else own
        if method:
            setattr(tensor_cls, name, wrapped)
        else:
            namespaces[space][name] = wrapped
