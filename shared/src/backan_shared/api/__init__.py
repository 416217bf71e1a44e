"""The REST contract (DESIGN.md §6): request and response bodies, one module per domain, shared by the
service that owns the route and the gateway that publishes it."""
