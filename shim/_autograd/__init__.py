"""Autograd: graph nodes, the backward engine, grad modes and custom Functions."""
