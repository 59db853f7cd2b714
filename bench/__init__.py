"""Benchmarks: the shim against torch, side by side in one process (see bench/__main__.py)."""
