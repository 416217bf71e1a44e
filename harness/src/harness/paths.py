"""Where the harness keeps things. Everything it writes lives under .run/, which git ignores.

DX_RUN_DIR moves the run state (database, broker data, logs, pids) elsewhere, so a second harness can run
beside the first (the harness's own test does); downloads stay cached in .run/cache either way.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RUN = Path(os.environ.get("DX_RUN_DIR") or ROOT / ".run").resolve()
CACHE = ROOT / ".run" / "cache"
LOGS = RUN / "logs"
PIDS = RUN / "pids"
POSTGRES_DATA = RUN / "postgres" / "data"
KAFKA_HOME = RUN / "kafka"
KAFKA_DATA = KAFKA_HOME / "data"
KAFKA_LIBS = CACHE / "kafka-libs"
KAFKA_RUNTIME = ROOT / "harness" / "kafka-runtime"
KAFKA_POM = KAFKA_RUNTIME / "pom.xml"
KAFKA_LOG4J = KAFKA_RUNTIME / "log4j2.properties"


def ensure_run_dirs() -> None:
    for folder in (RUN, LOGS, PIDS, KAFKA_HOME, CACHE):
        folder.mkdir(parents=True, exist_ok=True)
