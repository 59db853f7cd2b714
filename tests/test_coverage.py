"""The coverage meter's data and its reading of the cases, without torch: torch's recorded names are
well formed, every case names what it covers in torch's own words, the shim adds no public name torch
lacks, and the coverage of torch's functions and Tensor's methods does not fall below what was reached."""

from __future__ import annotations

import inspect

import pytest

import shim
from conformance.meter import EXCLUDED, NAMESPACES, load_names, measure, qualify, shim_has
from conformance.registry import load_cases

NAMES = load_names()
CASES = load_cases()
# shim-only helpers with no torch counterpart (the drop-in's own controls)
SHIM_ONLY = {"install", "uninstall"}
FLOORS = {"torch": 75.0, "Tensor": 75.0}


def test_the_recorded_names_are_well_formed():
    assert NAMES["torch_version"] == "2.13.0"
    assert set(NAMES["namespaces"]) == set(NAMESPACES)
    for ns, entry in NAMES["namespaces"].items():
        assert entry["names"] == sorted(set(entry["names"])), ns
        assert set(entry["excluded"]) <= set(entry["names"]), ns
        assert set(entry["excluded"].values()) <= set(EXCLUDED), ns
    assert set(NAMES["families"]) == set(EXCLUDED) and all(NAMES["families"].values())
    assert set(NAMES["namespaces"]["torch"]["out"]) <= set(NAMES["namespaces"]["torch"]["names"])


def test_qualify_reads_covers_as_torch_names():
    ns = NAMES["namespaces"]
    assert qualify("sum", ns) == ("torch", "sum")
    assert qualify("Tensor.sum", ns) == ("Tensor", "sum")
    assert qualify("sum(dim=)", ns) == ("torch", "sum")
    assert qualify("add_", ns) == ("Tensor", "add_")
    assert qualify("torch.sin_", ns) == ("torch", "sin_")
    assert qualify("linalg.cross", ns) == ("linalg", "cross")
    assert qualify(".cpu()", ns) == ("Tensor", "cpu")
    assert qualify("+", ns) is None


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_cover_names_something_torch_has(name):
    """A typo in a case's covers would count a name that nothing tests (or miss one that is).  A cover may
    name what neither has (maximum_inplace checks that x.maximum_ is an AttributeError in both)."""
    ns = NAMES["namespaces"]
    for cover in CASES[name].covers:
        q = qualify(cover, ns)
        if q is not None and q[0] in ("torch", "Tensor") and shim_has(*q):
            assert q[1] in ns[q[0]]["names"], f"{name} covers {cover!r}, which torch 2.13 does not have"


def test_the_shim_adds_no_public_name_torch_lacks():
    known = set(NAMES["namespaces"]["torch"]["names"]) | SHIM_ONLY
    functions = {
        n
        for n in dir(shim)
        if not n.startswith("_") and callable(getattr(shim, n)) and not inspect.isclass(getattr(shim, n))
    }
    assert sorted(functions - known) == []
    methods = {n for n in dir(shim.Tensor) if not n.startswith("_")}
    assert sorted(methods - set(NAMES["namespaces"]["Tensor"]["names"])) == []


def test_coverage_does_not_fall():
    report = measure({name: list(case.covers) for name, case in CASES.items()})
    for ns, floor in FLOORS.items():
        row = report["namespaces"][ns]
        assert row["percent"] >= floor, f"{ns}: {row['provided']} of {row['in_torch']} ({row['percent']}%)"


def test_a_function_counts_as_provided_only_with_argument_parity():
    from conformance.meter import measure

    alone = measure({"exp_case": ["exp"]})["namespaces"]["torch"]
    both = measure({"exp_case": ["exp"], "signature_parity": ["torch.exp"]})["namespaces"]["torch"]
    assert (alone["provided"], both["provided"]) == (0, 1)
    assert alone["without_parity"] == ["exp"] and both["without_parity"] == []
