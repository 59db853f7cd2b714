"""dtype objects, their numpy counterparts, and torch's type-promotion rules as data."""

from __future__ import annotations

import numpy as np

__all__ = [
    "dtype",
    "DTYPES",
    "from_numpy_dtype",
    "promote_types",
    "result_type_of",
    "can_cast",
    "get_default_dtype",
    "set_default_dtype",
    "finfo",
    "iinfo",
    "cast",
    "cast_into",
]

# Categories, ordered as torch orders them: bool < integer < floating < complex.
BOOL, INT, FLOAT, COMPLEX = 0, 1, 2, 3


class dtype:
    """A torch dtype: an immutable singleton per type, compared by identity."""

    __slots__ = ("_name", "np", "itemsize", "category", "is_signed", "_scalar_name", "_cpp_name", "_legacy")

    def __init__(self, name, np_type, category, scalar_name, cpp_name, legacy):
        self._name = name
        self.np = np.dtype(np_type) if np_type is not None else None
        self.itemsize = 4 if name == "complex32" else self.np.itemsize
        self.category = category
        self.is_signed = name not in ("bool", "uint8", "uint16", "uint32", "uint64")
        self._scalar_name = scalar_name  # c10 ScalarType name: 'Float', 'Long', ...
        self._cpp_name = cpp_name  # C++ type name used by some ATen messages: 'float', 'long int'
        self._legacy = legacy  # legacy tensor type: 'torch.FloatTensor'

    @property
    def is_floating_point(self) -> bool:
        return self.category == FLOAT

    @property
    def is_complex(self) -> bool:
        return self.category == COMPLEX

    def to_complex(self) -> dtype:
        if self.category < FLOAT:
            raise RuntimeError(f"Unknown Complex ScalarType for {self._scalar_name}")
        return _TO_COMPLEX.get(self, self)

    @property
    def _type_name(self) -> str:
        """How ATen messages name a CPU tensor of this dtype (bool and complex have no legacy name there)."""
        if self.category in (BOOL, COMPLEX):
            return f"CPU{self._scalar_name}Type"
        return self._legacy

    def to_real(self) -> dtype:
        return _TO_REAL.get(self, self)

    def __repr__(self) -> str:
        return "torch." + self._name

    def __reduce__(self):
        return (_dtype_by_name, (self._name,))


dtype.__module__ = "torch"

#      name          numpy        category scalar-type     C++ type name               legacy type
_TABLE = [
    ("bool", np.bool_, BOOL, "Bool", "bool", "BoolTensor"),
    ("uint8", np.uint8, INT, "Byte", "unsigned char", "ByteTensor"),
    ("int8", np.int8, INT, "Char", "signed char", "CharTensor"),
    ("int16", np.int16, INT, "Short", "short int", "ShortTensor"),
    ("int32", np.int32, INT, "Int", "int", "IntTensor"),
    ("int64", np.int64, INT, "Long", "long int", "LongTensor"),
    ("float16", np.float16, FLOAT, "Half", "c10::Half", "HalfTensor"),
    ("float32", np.float32, FLOAT, "Float", "float", "FloatTensor"),
    ("float64", np.float64, FLOAT, "Double", "double", "DoubleTensor"),
    ("complex64", np.complex64, COMPLEX, "ComplexFloat", "c10::complex<float>", "ComplexFloatTensor"),
    ("complex128", np.complex128, COMPLEX, "ComplexDouble", "c10::complex<double>", "ComplexDoubleTensor"),
    # numpy has no complex32: its values live in complex64 storage, each part rounded to float16
    ("complex32", np.complex64, COMPLEX, "ComplexHalf", "c10::complex<c10::Half>", "ComplexHalfTensor"),
    # torch 2.13 stores these but implements few ops on them and never promotes them.
    ("uint16", np.uint16, INT, "UInt16", "unsigned short", "UInt16Tensor"),
    ("uint32", np.uint32, INT, "UInt32", "unsigned int", "UInt32Tensor"),
    ("uint64", np.uint64, INT, "UInt64", "unsigned long", "UInt64Tensor"),
]

DTYPES: dict[str, dtype] = {
    name: dtype(name, np_type, cat, scalar, cpp, "torch." + legacy)
    for name, np_type, cat, scalar, cpp, legacy in _TABLE
}
ALIASES = {
    "half": "float16",
    "float": "float32",
    "double": "float64",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "chalf": "complex32",
    "short": "int16",
    "int": "int32",
    "long": "int64",
}

bool_, uint8, int8, int16, int32, int64 = (DTYPES[n] for n in ("bool", "uint8", "int8", "int16", "int32", "int64"))
float16, float32, float64 = DTYPES["float16"], DTYPES["float32"], DTYPES["float64"]
complex32, complex64, complex128 = DTYPES["complex32"], DTYPES["complex64"], DTYPES["complex128"]
BARELY_SUPPORTED = frozenset(DTYPES[n] for n in ("uint16", "uint32", "uint64"))

_TO_COMPLEX = {float16: complex32, float32: complex64, float64: complex128}
_TO_REAL = {complex32: float16, complex64: float32, complex128: float64}


# c10::Half converts only from float: a double (or a complex double's part) becomes Half through float, so
# it is rounded twice (static_cast<Half>(double) is Half(float(d))), in every conversion torch makes
_THROUGH_FLOAT = {np.dtype(np.float64): np.float32, np.dtype(np.complex128): np.complex64}


def cast(a: np.ndarray, target: dtype) -> np.ndarray:
    """a.astype(target.np, copy=False) as c10 converts (see cast_into), in a's memory order."""
    if a.dtype == target.np and target is not complex32:
        return a
    if target is not float16 and target is not complex32:
        return a.astype(target.np)
    out = np.empty_like(a, target.np)
    cast_into(out, a, target)
    return out


def cast_into(dst: np.ndarray, src, target: dtype, where=True) -> None:
    """np.copyto(dst, src) unsafely, as c10 converts into `target` (dst's dtype): Half and ComplexHalf
    through float, ComplexHalf's parts rounded to half (numpy stores it as complex64)."""
    src = np.asarray(src)
    if target is float16 or target is complex32:
        via = _THROUGH_FLOAT.get(src.dtype)
        if via is not None:
            src = src.astype(via)
    np.copyto(dst, src, casting="unsafe", where=where)
    if target is complex32:
        dst.real = dst.real.astype(np.float16)
        dst.imag = dst.imag.astype(np.float16)


def _dtype_by_name(name: str) -> dtype:
    return DTYPES[name]


_BY_NUMPY = {d.np: d for d in DTYPES.values() if d is not complex32}


def from_numpy_dtype(np_dtype) -> dtype | None:
    """The torch dtype of a numpy dtype, or None where torch has none."""
    return _BY_NUMPY.get(np.dtype(np_dtype))


# ---------------------------------------------------------------------------------------------
# promote_types: torch's table, verbatim (rows: first operand, columns: second operand).
_PROMOTION_ORDER = ["b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64", "c32", "c64", "c128"]
_ABBREV = dict(
    zip(
        _PROMOTION_ORDER,
        [bool_, uint8, int8, int16, int32, int64, float16, float32, float64, complex32, complex64, complex128],
    )
)
_PROMOTION_TABLE = """
      b    u8   i8   i16  i32  i64  f16  f32  f64  c32  c64  c128
b     b    u8   i8   i16  i32  i64  f16  f32  f64  c32  c64  c128
u8    u8   u8   i16  i16  i32  i64  f16  f32  f64  c32  c64  c128
i8    i8   i16  i8   i16  i32  i64  f16  f32  f64  c32  c64  c128
i16   i16  i16  i16  i16  i32  i64  f16  f32  f64  c32  c64  c128
i32   i32  i32  i32  i32  i32  i64  f16  f32  f64  c32  c64  c128
i64   i64  i64  i64  i64  i64  i64  f16  f32  f64  c32  c64  c128
f16   f16  f16  f16  f16  f16  f16  f16  f32  f64  c32  c64  c128
f32   f32  f32  f32  f32  f32  f32  f32  f32  f64  c64  c64  c128
f64   f64  f64  f64  f64  f64  f64  f64  f64  f64  c128 c128 c128
c32   c32  c32  c32  c32  c32  c32  c32  c64  c128 c32  c64  c128
c64   c64  c64  c64  c64  c64  c64  c64  c64  c128 c64  c64  c128
c128  c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128 c128
"""


def _parse_promotion_table(text: str) -> dict[tuple[dtype, dtype], dtype]:
    rows = [line.split() for line in text.strip().splitlines()]
    columns = rows[0]
    return {(_ABBREV[row[0]], _ABBREV[col]): _ABBREV[cell] for row in rows[1:] for col, cell in zip(columns, row[1:])}


_PROMOTE = _parse_promotion_table(_PROMOTION_TABLE)


def promote_types(type1: dtype, type2: dtype) -> dtype:
    if type1 is type2:
        return type1
    try:
        return _PROMOTE[type1, type2]
    except KeyError:
        # Only the barely supported unsigned types are missing from the table.
        raise RuntimeError(
            "Promotion for uint16, uint32, uint64 types is not supported, "
            f"attempted to promote {type1._scalar_name} and {type2._scalar_name}"
        ) from None


# ---------------------------------------------------------------------------------------------
# result_type: operands fall into three tiers (dimensioned tensors, 0-d tensors, Python scalars);
# a lower tier only matters when it is of a higher category (torch's combine_categories).

_default_dtype = [float32]


def get_default_dtype() -> dtype:
    return _default_dtype[0]


def set_default_dtype(d: dtype, /) -> None:
    if not isinstance(d, dtype) or d.category != FLOAT:
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype[0] = d


def default_complex_dtype() -> dtype:
    return _default_dtype[0].to_complex()


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar stands for when it takes part in promotion."""
    kind = type(value)
    if kind is bool:
        return bool_
    if kind is int:
        return int64 if value < 1 << 63 else DTYPES["uint64"]  # c10::Scalar holds 2**63.. as a uint64
    if kind is float:
        return _default_dtype[0]
    if kind is complex:
        return default_complex_dtype()
    raise TypeError(f"not a Python scalar: {kind.__name__}")


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category == COMPLEX:
        return higher
    if lower.category == COMPLEX:
        return higher.to_complex() if higher.category == FLOAT else lower
    if higher.category == FLOAT:
        return higher
    if higher is bool_ or lower.category == FLOAT:
        return promote_types(higher, lower)
    return higher


def result_type_of(dim_dtypes, zero_dim_dtypes, scalar_dtypes) -> dtype:
    """Combine the tiers of operand dtypes the way torch's result_type does."""
    tiers = []
    for group in (dim_dtypes, zero_dim_dtypes, scalar_dtypes):
        acc = None
        for d in group:
            acc = d if acc is None else promote_types(acc, d)
        tiers.append(acc)
    return _combine(tiers[0], _combine(tiers[1], tiers[2]))


def can_cast(from_: dtype, to: dtype) -> bool:
    """torch.can_cast: a cast is allowed unless it lowers the category (complex > float > int > bool)."""
    return from_.category <= to.category


# ---------------------------------------------------------------------------------------------
class finfo:
    """Machine limits of a floating dtype, as torch.finfo reports them."""

    def __init__(self, type: dtype | None = None):
        type = type or _default_dtype[0]
        if type.category not in (FLOAT, COMPLEX):
            # (torch's message names 'torch.finfo' itself rather than the dtype)
            raise TypeError(
                "torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'"
            )
        info = np.finfo(type.to_real().np)
        self.bits = info.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)
        self.dtype = str(type.to_real()).removeprefix("torch.")

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
            f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})"
        )


class iinfo:
    """Limits of an integer dtype, as torch.iinfo reports them."""

    def __init__(self, type: dtype):
        if type.category not in (BOOL, INT):
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        if type is bool_:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        info = np.iinfo(type.np) if type is not bool_ else None
        self.bits = type.itemsize * 8
        self.max = int(info.max) if info else 1
        self.min = int(info.min) if info else 0
        self.dtype = str(type).removeprefix("torch.")

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


finfo.__module__ = iinfo.__module__ = "torch"
