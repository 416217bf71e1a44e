"""Queries: reading the composed read models into the answers of the views, how fresh they are, and the
bounded wait for a write to reach them (read-your-writes)."""
