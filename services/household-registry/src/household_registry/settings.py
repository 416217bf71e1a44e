"""Settings of household-registry, read from the environment (see the README's configuration table)."""

from backan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "household-registry"
