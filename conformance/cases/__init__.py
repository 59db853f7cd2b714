"""Conformance cases, one module per family.  Each case is written once against `xp`."""
