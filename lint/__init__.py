"""Checks of the code itself that `make lint` runs (not part of the product)."""
