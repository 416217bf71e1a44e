"""The one authenticated REST entry, with read models composed from every service's events."""
