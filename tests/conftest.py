"""The shim's own tests run without torch; helpers shared by them."""

from __future__ import annotations

import pytest

import shim


@pytest.fixture(autouse=True)
def _fresh_print_options():
    shim.set_printoptions(profile="default")
    yield
    shim.set_printoptions(profile="default")
