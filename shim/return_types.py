"""torch.return_types: the named tuples returned by max(dim), min(dim), median(dim), sort, topk, ..."""

from __future__ import annotations

__all__ = ["make_return_type"]


def make_return_type(name: str, fields: tuple[str, ...]) -> type:
    """A tuple subclass printed as torch prints its structseq return types."""

    def __new__(cls, values):
        return tuple.__new__(cls, values)

    def __repr__(self) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    def __reduce__(self):
        return (cls, (tuple(self),))

    namespace = {
        "__new__": __new__,
        "__repr__": __repr__,
        "__str__": __repr__,
        "__reduce__": __reduce__,
        "__slots__": (),
        "n_fields": len(fields),
        "n_sequence_fields": len(fields),
    }
    for i, f in enumerate(fields):
        namespace[f] = property(lambda self, i=i: tuple.__getitem__(self, i))
    cls = type(name, (tuple,), namespace)
    cls.__module__ = "torch.return_types"
    globals()[name] = cls
    return cls
