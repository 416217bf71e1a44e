"""Each service's Dockerfile: built with the locked workspace, run as a non-root user, health-checked."""

from __future__ import annotations

import re
import tomllib

import pytest

from harness.services import SERVICES, Service
from tests.deployment import dockerfile, dockerignore
from tests.deployment.repository import ROOT, dockerfile_of

by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
RUNTIME_IMAGE = "python:3.11-slim"
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|(^|_)KEY$|CREDENTIAL|DATABASE_URL", re.IGNORECASE)


def _stages(service: Service) -> list[dockerfile.Stage]:
    path = dockerfile_of(service)
    assert path.is_file(), f"{service.name} has no Dockerfile at {path.relative_to(ROOT)}"
    return dockerfile.read(path)


def _final(service: Service) -> dockerfile.Stage:
    return _stages(service)[-1]


def _syncs_in(stage: dockerfile.Stage) -> list[dockerfile.Instruction]:
    return [run for run in stage.all("RUN") if run.words()[:2] == ["uv", "sync"]]


def _uv_syncs(service: Service) -> list[list[str]]:
    return [run.words() for stage in _stages(service) for run in _syncs_in(stage)]


def _workspace_members() -> list[str]:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
    members = [path.parent for pattern in globs for path in ROOT.glob(f"{pattern}/pyproject.toml")]
    return sorted(str(member.relative_to(ROOT)) for member in members)


def _pinned_uv_version() -> str:
    match = re.search(r'^UV_VERSION="([^"]+)"', (ROOT / "dx").read_text(), flags=re.MULTILINE)
    assert match, "./dx pins no uv version"
    return match[1]


@by_name
def test_every_service_image_is_built_in_one_stage_and_run_from_another(service: Service) -> None:
    stages = _stages(service)
    assert len(stages) >= 2
    earlier = {stage.name for stage in stages[:-1]}
    copied_from = {
        word.removeprefix("--from=")
        for copy in _final(service).all("COPY")
        for word in copy.words()
        if word.startswith("--from=")
    }
    assert copied_from & earlier, "the runtime stage copies the built environment from a build stage"
    assert not any("uv " in run.arguments for run in _final(service).all("RUN")), "no build tool in the runtime"


@by_name
def test_every_service_image_runs_on_python_3_11_slim(service: Service) -> None:
    # The environment keeps absolute links to its interpreter, so both stages must share one image.
    assert {stage.base for stage in _stages(service)} == {RUNTIME_IMAGE}


@by_name
def test_every_service_container_runs_as_non_root(service: Service) -> None:
    user = _final(service).last("USER")
    assert user is not None, "the runtime stage sets no USER, so it runs as root"
    uid, _, gid = user.arguments.partition(":")
    assert uid.isdigit() and int(uid) != 0, f"USER {user.arguments}: Kubernetes can only verify a numeric non-root UID"
    assert not gid or (gid.isdigit() and int(gid) != 0), f"USER {user.arguments} runs in the root group"


@by_name
def test_every_service_image_checks_its_health_at_healthz(service: Service) -> None:
    healthcheck = _final(service).last("HEALTHCHECK")
    assert healthcheck is not None and healthcheck.arguments.upper() != "NONE"
    probe = " ".join(dockerfile.healthcheck_command(healthcheck))
    assert "127.0.0.1:8000/healthz" in probe, probe


@by_name
def test_every_service_image_starts_uvicorn_with_its_factory(service: Service) -> None:
    command = _final(service).last("CMD")
    assert command is not None and _final(service).last("ENTRYPOINT") is None
    assert command.exec_form() == [
        "uvicorn",
        "--factory",
        service.app_factory,
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
    ]


@by_name
def test_every_service_image_exposes_the_port_uvicorn_listens_on(service: Service) -> None:
    command = _final(service).last("CMD")
    assert command is not None
    argv = command.exec_form() or []
    port = argv[argv.index("--port") + 1]
    exposed = {word.partition("/")[0] for expose in _final(service).all("EXPOSE") for word in expose.words()}
    assert port in exposed


@by_name
def test_every_service_image_installs_its_package_from_the_lock_without_dev_tools(service: Service) -> None:
    syncs = _uv_syncs(service)
    assert syncs, "the image is installed with uv sync"
    for words in syncs:
        assert "--frozen" in words, "the lock is used as it is, never re-resolved"
        assert "--no-dev" in words
        assert words[words.index("--package") + 1] == service.name


@by_name
def test_every_service_image_uses_the_uv_that_dx_pins(service: Service) -> None:
    installs = [
        run.arguments for stage in _stages(service) for run in stage.all("RUN") if re.search(r"\buv==", run.arguments)
    ]
    assert installs, "uv is installed at a pinned version"
    assert all(f"uv=={_pinned_uv_version()}" in install for install in installs), installs


@by_name
def test_every_workspace_manifest_is_in_the_image_before_uv_reads_the_lock(service: Service) -> None:
    build = next(stage for stage in _stages(service) if _syncs_in(stage))
    first_sync = build.instructions.index(_syncs_in(build)[0])
    copied = {
        source.rstrip("/")
        for step in build.instructions[:first_sync]
        if step.keyword == "COPY"
        for source in dockerfile.copy_sources(step)
    }
    needed = {"pyproject.toml", "uv.lock"} | {f"{member}/pyproject.toml" for member in _workspace_members()}
    assert needed <= copied, f"not copied before uv sync: {sorted(needed - copied)}"


@by_name
def test_every_file_a_dockerfile_copies_is_in_the_build_context(service: Service) -> None:
    rules = dockerignore.patterns(ROOT / ".dockerignore")
    for stage in _stages(service):
        for copy in stage.all("COPY") + stage.all("ADD"):
            for source in dockerfile.copy_sources(copy):
                assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
                assert not dockerignore.ignored(source, rules), f"COPY {source}: .dockerignore leaves it out"


@by_name
def test_no_dockerfile_bakes_a_secret_into_the_image(service: Service) -> None:
    declared = []
    for stage in _stages(service):
        for step in stage.all("ENV") + stage.all("ARG"):
            declared += [word.partition("=")[0] for word in step.words()]
    secrets = [name for name in declared if SECRET_NAME.search(name)]
    assert not secrets, f"image layers would keep {secrets}; they come from the environment at run time"


def test_the_docker_ignore_file_keeps_run_state_environments_and_caches_out() -> None:
    rules = dockerignore.patterns(ROOT / ".dockerignore")
    for path in [".run/postgres/data", ".venv/bin/python", "shared/src/backan_shared/__pycache__/x.pyc", ".git/HEAD"]:
        assert dockerignore.ignored(path, rules), path
    for path in ["uv.lock", "shared/src/backan_shared/event_store.py", "services/gateway/src/gateway/app.py"]:
        assert not dockerignore.ignored(path, rules), path
