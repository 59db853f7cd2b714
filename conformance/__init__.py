"""The differential conformance suite: every case runs on torch and on the shim, and is compared."""
