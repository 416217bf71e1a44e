"""Projections: the handlers that turn each feed's integration events into writes on the composed read models,
the feeds that run them, and where those read models live (schema, swap gate, migrations)."""
