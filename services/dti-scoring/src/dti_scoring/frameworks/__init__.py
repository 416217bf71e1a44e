"""Released DTI frameworks, one JSON file per version, and the catalogue that loads them."""

from dti_scoring.frameworks.catalogue import current, load_framework, versions

__all__ = ["current", "load_framework", "versions"]
