"""Multidimensional-poverty households, the annual review and poverty statistics."""
