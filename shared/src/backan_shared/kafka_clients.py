"""How every Kafka client of a service reaches the cluster: the bootstrap servers and, in a cluster that asks
for it, mutual TLS with the certificate of the service's own KafkaUser.

Locally the broker listens in plain text and a bootstrap string is enough; tests pass one. In the province's
cluster (deploy/k8s) the listener wants TLS and a client certificate: the settings name the files Strimzi's
secrets are mounted as, and every producer, consumer and admin client is built with the same options.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

from aiokafka.helpers import create_ssl_context


@dataclass(frozen=True)
class KafkaTls:
    """The cluster's CA, and this client's certificate and key (PEM files)."""

    cafile: str
    certfile: str
    keyfile: str

    def context(self) -> ssl.SSLContext:
        context: ssl.SSLContext = create_ssl_context(cafile=self.cafile, certfile=self.certfile, keyfile=self.keyfile)
        return context


@dataclass(frozen=True)
class KafkaEndpoint:
    """Where the cluster is and how to authenticate to it."""

    bootstrap_servers: str
    tls: KafkaTls | None = None

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments every aiokafka client of the service is built with."""
        if self.tls is None:
            return {"bootstrap_servers": self.bootstrap_servers}
        return {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": "SSL",
            "ssl_context": self.tls.context(),
        }


KafkaCluster = KafkaEndpoint | str
"""A cluster as callers name it: a plain bootstrap string (local, tests) or an endpoint with its TLS."""


def endpoint(cluster: KafkaCluster) -> KafkaEndpoint:
    """The endpoint of a cluster named either way."""
    return cluster if isinstance(cluster, KafkaEndpoint) else KafkaEndpoint(cluster)


def client_options(cluster: KafkaCluster) -> dict[str, Any]:
    """The keyword arguments of an aiokafka client of `cluster`."""
    return endpoint(cluster).client_options()
