"""OpenTelemetry for a service process: tracer and meter providers named after the service, the official
instrumentations, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.

The global providers can be set once per process, so `setup_telemetry` is idempotent: the first call wins
and later calls (a second app in the same test process) reuse it.
"""

from __future__ import annotations

import threading

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_lock = threading.Lock()
_configured = False


def setup_telemetry(service_name: str, otlp_endpoint: str | None = None) -> TracerProvider:
    """Install the providers and instrument asyncpg, aiokafka and httpx (once per process)."""
    global _configured
    with _lock:
        provider = trace.get_tracer_provider()
        if _configured and isinstance(provider, TracerProvider):
            return provider
        resource = Resource.create({"service.name": service_name})
        tracer_provider = TracerProvider(resource=resource)
        meter_readers = []
        if otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            tracer_provider.add_span_processor(
                BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/traces"))
            )
            meter_readers.append(
                PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=f"{otlp_endpoint.rstrip('/')}/v1/metrics"))
            )
        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=meter_readers))
        _instrument_libraries()
        _configured = True
        return tracer_provider


def add_span_processor(processor: SpanProcessor) -> None:
    """Attach another processor (tests use an in-memory exporter) to the process's tracer provider."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        raise RuntimeError("setup_telemetry() has not run in this process")
    provider.add_span_processor(processor)


def _instrument_libraries() -> None:
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    for instrumentor in (AsyncPGInstrumentor(), AIOKafkaInstrumentor(), HTTPXClientInstrumentor()):  # type: ignore[no-untyped-call]
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument()


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)
