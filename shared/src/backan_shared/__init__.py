"""Mechanisms every backan-dx service shares, one module each (see DESIGN.md §2 and §4)."""
