"""Reference data, versioned and sourced: poverty standards, the province's targets, administrative units.

The figures live in the JSON files of this package, each with a version and its sources; the loaders here
turn them into domain objects. A new standard or target is a new file, never an edit of an old one. The
administrative units are the exception: the gateway reads them too, so their file lives in
`backan_shared.reference` and `load_administrative_units` only wraps them in the registry's hierarchy.
"""

from household_registry.reference.standards import load_poverty_standards, standard_in_force
from household_registry.reference.targets import load_poverty_targets
from household_registry.reference.units import load_administrative_units

__all__ = ["load_administrative_units", "load_poverty_standards", "load_poverty_targets", "standard_in_force"]
