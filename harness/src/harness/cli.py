"""./dx commands: up, down, status, logs, test."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

from harness import kafka, postgres, processes, services
from harness.paths import LOGS, ROOT, ensure_run_dirs
from harness.progress import say, step


def _start_infrastructure() -> tuple[postgres.PostgresServer, kafka.KafkaCluster]:
    pg = postgres.configured()
    if pg.embedded:
        postgres.start_embedded()
    else:
        say(f"using the PostgreSQL server DATABASE_URL names ({pg.address})")
    cluster = kafka.configured()
    if cluster.embedded:
        kafka.start_embedded()
    else:
        say(f"using the Kafka cluster KAFKA_BOOTSTRAP_SERVERS names ({cluster.bootstrap_servers})")
    return pg, cluster


def _load_demo(gateway_url: str) -> None:
    """Load the Bắc Kạn demo scenario through the gateway; idempotent, so a second `up` changes nothing."""
    from backan_shared.auth import SCOPES
    from harness.demo.loader import Tokens, run
    from harness.devkeys import mint_token

    tokens = Tokens(
        officer=mint_token(list(SCOPES), subject="demo-commune-officer"),
        reviewer=mint_token(list(SCOPES), subject="demo-province-reviewer"),
    )
    with step("loading the Bắc Kạn demo scenario through the gateway"):
        loaded = run(gateway_url, tokens)
    if loaded.skipped:
        say(f"the demo left the system's own data alone and skipped {len(loaded.skipped)} record(s):")
        for skipped in loaded.skipped:
            say(f"  skipped {skipped}")


def up(args: argparse.Namespace) -> int:
    ensure_run_dirs()
    pg, cluster = _start_infrastructure()
    for service in services.SERVICES:
        asyncio.run(postgres.ensure_database(pg, service.database))
    for service in services.SERVICES:
        services.start(service, pg, cluster)
    gateway = services.by_name("gateway")
    from harness.devkeys import mint_token

    if not args.no_demo:
        _load_demo(gateway.url)
    say("backan-dx is up")
    print(f"gateway   {gateway.url}")
    print(f"docs      {gateway.url}/docs")
    print(f"token     {mint_token(['read'])}")
    print("          (./dx token --scope S … mints one with other scopes)")
    return 0


def down(_: argparse.Namespace) -> int:
    ensure_run_dirs()
    for service in reversed(services.SERVICES):
        if services.stop(service):
            say(f"stopped {service.name}")
    kafka.stop_embedded()
    postgres.stop_embedded()
    say("everything the harness started is stopped")
    return 0


def status(_: argparse.Namespace) -> int:
    ensure_run_dirs()
    pg = postgres.configured()
    cluster = kafka.configured()
    rows = [
        ("postgres", pg.address, _state(postgres.is_running() if pg.embedded else None)),
        ("kafka", cluster.bootstrap_servers, _state(kafka.is_running() if cluster.embedded else None)),
    ]
    for service in services.SERVICES:
        running = processes.running_pid(service.name) is not None
        label = "healthy" if running and services.healthy(service) else ("starting" if running else "stopped")
        rows.append((service.name, service.url, label))
    for name, address, state in rows:
        print(f"{name:<20} {address:<28} {state}")
    return 0


def _state(running: bool | None) -> str:
    if running is None:
        return "external"
    return "running" if running else "stopped"


def logs(args: argparse.Namespace) -> int:
    names = {s.name for s in services.SERVICES} | {"postgres", "kafka", "kafka-server"}
    if args.service not in names:
        print(f"dx logs: no log named {args.service!r}; choose from {', '.join(sorted(names))}", file=sys.stderr)
        return 2
    path = LOGS / f"{args.service}.log"
    if not path.exists():
        print(f"dx logs: {path} does not exist yet (has `./dx up` run?)", file=sys.stderr)
        return 1
    command = ["tail", "-n", str(args.lines)] + (["-F"] if args.follow else []) + [str(path)]
    return subprocess.call(command)


def test(args: argparse.Namespace) -> int:
    """Lint, type-check, then run the whole suite against the real PostgreSQL and Kafka."""
    ensure_run_dirs()
    started_pg = postgres.configured().embedded and not postgres.is_running()
    started_kafka = kafka.configured().embedded and not kafka.is_running()
    venv_bin = os.path.dirname(sys.executable)
    try:
        with step("ruff (lint)"):
            _check([os.path.join(venv_bin, "ruff"), "check", "."])
        with step("mypy (types)"):
            _check([os.path.join(venv_bin, "mypy")])
        pg, cluster = _start_infrastructure()
        env = dict(os.environ)
        env["DX_TEST_POSTGRES_URL"] = pg.admin_url
        env["KAFKA_BOOTSTRAP_SERVERS"] = cluster.bootstrap_servers
        say("running the test suite against the real PostgreSQL and Kafka")
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "pytest", *args.pytest_args], env=env, cwd=ROOT)
        say(f"test suite finished in {time.monotonic() - started:.0f}s with exit code {code}")
        return code
    except subprocess.CalledProcessError as failure:
        return failure.returncode or 1
    finally:
        if started_kafka:
            kafka.stop_embedded()
        if started_pg:
            postgres.stop_embedded()


def token(args: argparse.Namespace) -> int:
    """Print a development token with the scopes asked for (all of them when none is named)."""
    from backan_shared.auth import SCOPES
    from harness.devkeys import mint_token

    ensure_run_dirs()
    unknown = [s for s in args.scope if s not in SCOPES]
    if unknown:
        print(f"dx token: unknown scope {', '.join(unknown)}; the scopes are {', '.join(SCOPES)}", file=sys.stderr)
        return 2
    print(mint_token(args.scope or list(SCOPES), subject=args.subject))
    return 0


def bench(args: argparse.Namespace) -> int:
    """Measure speed against the physical limit and a peer, in one run on this machine.

    The bench runs its own copy of the services beside the developer's; it stops only what it started.
    """
    from harness.bench import profile
    from harness.bench.run import FULL, QUICK, run_benchmarks

    ensure_run_dirs()
    if args.profile and not profile.available():
        print("dx bench: --profile needs py-spy on PATH (e.g. `pipx install py-spy`)", file=sys.stderr)
        return 2
    started_pg = postgres.configured().embedded and not postgres.is_running()
    started_kafka = kafka.configured().embedded and not kafka.is_running()
    try:
        pg, cluster = _start_infrastructure()
        run_benchmarks(pg, cluster, QUICK if args.quick else FULL, profiling=args.profile)
        return 0
    finally:
        if started_kafka:
            kafka.stop_embedded()
        if started_pg:
            postgres.stop_embedded()


def rebuild(args: argparse.Namespace) -> int:
    """Rebuild a service's read models in the running system's database, printing progress."""
    if args.service != "gateway":
        print(f"dx rebuild: only the gateway's read models rebuild from here, not {args.service!r}", file=sys.stderr)
        return 2
    from gateway.rebuild import RebuildError, rebuild_gateway

    ensure_run_dirs()
    database_url = postgres.configured().database_url(services.by_name("gateway").database)
    try:
        with step("rebuilding the gateway's composed read models from the start of the topics"):
            asyncio.run(rebuild_gateway(database_url, kafka.configured().bootstrap_servers, report=say))
    except RebuildError as refused:
        print(f"dx rebuild: {refused}", file=sys.stderr)
        return 1
    return 0


def _check(argv: list[str]) -> None:
    subprocess.run(argv, check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dx", description="Run backan-dx on this machine.")
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start PostgreSQL, Kafka and the four services; load the demo")
    up_parser.add_argument("--no-demo", action="store_true", help="start without loading the demo scenario")
    up_parser.set_defaults(run=up)
    commands.add_parser("down", help="stop everything ./dx started").set_defaults(run=down)
    commands.add_parser("status", help="show each part, its address and state").set_defaults(run=status)
    log_parser = commands.add_parser("logs", help="show a service's log")
    log_parser.add_argument("service")
    log_parser.add_argument("-f", "--follow", action="store_true")
    log_parser.add_argument("-n", "--lines", type=int, default=100)
    log_parser.set_defaults(run=logs)
    test_parser = commands.add_parser("test", help="run the whole test suite on real PostgreSQL and Kafka")
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed on to pytest")
    test_parser.set_defaults(run=test)
    token_parser = commands.add_parser("token", help="print a development token for the gateway")
    token_parser.add_argument("--scope", action="append", default=[], help="a scope; repeat for more")
    token_parser.add_argument("--subject", default="dev-user", help="who the token names")
    token_parser.set_defaults(run=token)
    bench_parser = commands.add_parser("bench", help="run the benchmarks; write bench/results/latest.json")
    bench_parser.add_argument("--quick", action="store_true", help="a shorter run (under 3 minutes)")
    bench_parser.add_argument(
        "--profile", action="store_true", help="sample the command path with py-spy (must be on PATH)"
    )
    bench_parser.set_defaults(run=bench)
    rebuild_parser = commands.add_parser("rebuild", help="rebuild the gateway's read models from the topics")
    rebuild_parser.add_argument("service", help="whose read models: gateway")
    rebuild_parser.set_defaults(run=rebuild)
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command == "test":
        # `./dx test -q -k name`: options pytest understands are passed on, wherever they stand
        args.pytest_args = [*unknown, *args.pytest_args]
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.run(args))
    except (RuntimeError, subprocess.CalledProcessError) as failure:
        print(f"dx: {failure}", file=sys.stderr)
        return 1
