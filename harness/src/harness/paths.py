"""Where the harness keeps things. Everything it writes lives under .run/, which git ignores."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RUN = ROOT / ".run"
LOGS = RUN / "logs"
PIDS = RUN / "pids"
POSTGRES_DATA = RUN / "postgres" / "data"
KAFKA_HOME = RUN / "kafka"
KAFKA_LIBS = KAFKA_HOME / "libs"
KAFKA_DATA = KAFKA_HOME / "data"
KAFKA_RUNTIME = ROOT / "harness" / "kafka-runtime"
KAFKA_POM = KAFKA_RUNTIME / "pom.xml"
KAFKA_LOG4J = KAFKA_RUNTIME / "log4j2.properties"


def ensure_run_dirs() -> None:
    for folder in (RUN, LOGS, PIDS, KAFKA_HOME):
        folder.mkdir(parents=True, exist_ok=True)
