"""Integration event payloads: the contracts partners and other services read, one module per domain.

Each module registers its types in `INTEGRATION_EVENTS`; JSON Schemas and the AsyncAPI document are
generated from these models, never written by hand.
"""

from backan_shared.envelope import EventRegistry

INTEGRATION_EVENTS = EventRegistry()
