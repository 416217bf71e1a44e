"""How a service process collects cyclic garbage.

CPython starts a collection of its youngest objects every 700 allocations, and every so often one of all the
objects alive. Under load (an annual review recording two thousand surveys a second) the profiles charged those
passes to whatever allocated at that moment, `uuid4` and JSON parsing at the top: about a fifth of the time.
What is alive once a service has started (modules, reference data, the app) lives as long as the process, so it
is frozen out of every pass, and a pass starts after 50,000 allocations rather than 700. Memory stays bounded:
reference counting frees almost everything the moment it is unused; the collector only looks for cycles.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 50_000  # allocations (CPython's default: 700)


def tune_for_a_long_running_service() -> None:
    """Freeze what is alive now and collect less often (once per process; later calls change nothing more)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 100)
