"""The one service Dockerfile: built with the locked workspace, run as a non-root user, health-checked.

The service is a build argument, so what depends on it (the package uv installs, the files copied, the
application uvicorn serves) is checked for each service with the arguments docker-compose.yml passes.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from uvicorn.main import main as uvicorn_command

from harness.services import SERVICES, Service
from tests.deployment import compose, dockerfile, dockerignore
from tests.deployment.repository import DOCKERFILE, ROOT

by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)
RUNTIME_IMAGE = "python:3.11-slim"
# Set by the base image, so the Dockerfile may extend them without declaring them.
BASE_IMAGE_VARIABLES = {"PATH"}
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|(^|_)KEY$|CREDENTIAL|DATABASE_URL", re.IGNORECASE)


@cache
def _stages() -> list[dockerfile.Stage]:
    assert DOCKERFILE.is_file(), f"no Dockerfile at {DOCKERFILE.relative_to(ROOT)}"
    return dockerfile.read(DOCKERFILE)


def _final() -> dockerfile.Stage:
    return _stages()[-1]


def _arguments(service: Service) -> dict[str, str]:
    """The build arguments of the service's image, as docker-compose.yml passes them."""
    return compose.build_arguments(compose.services()[service.name])


def _syncs_in(stage: dockerfile.Stage) -> list[dockerfile.Instruction]:
    return [run for run in stage.all("RUN") if run.words()[:2] == ["uv", "sync"]]


def _workspace_members() -> list[str]:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
    members = [path.parent for pattern in globs for path in ROOT.glob(f"{pattern}/pyproject.toml")]
    return sorted(str(member.relative_to(ROOT)) for member in members)


def _pinned_uv_version() -> str:
    match = re.search(r'^UV_VERSION="([^"]+)"', (ROOT / "dx").read_text(), flags=re.MULTILINE)
    assert match, "./dx pins no uv version"
    return match[1]


def test_the_services_share_one_dockerfile() -> None:
    copies = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "services").rglob("Dockerfile*"))
    assert not copies, f"a second recipe drifts from {DOCKERFILE.relative_to(ROOT)}: {copies}"


def test_the_image_is_built_in_one_stage_and_run_from_another() -> None:
    assert len(_stages()) >= 2
    earlier = {stage.name for stage in _stages()[:-1]}
    copied_from = {
        word.removeprefix("--from=")
        for copy in _final().all("COPY")
        for word in copy.words()
        if word.startswith("--from=")
    }
    assert copied_from & earlier, "the runtime stage copies the built environment from a build stage"
    assert not any("uv " in run.arguments for run in _final().all("RUN")), "no build tool in the runtime"


def test_the_image_runs_on_python_3_11_slim() -> None:
    # The environment keeps absolute links to its interpreter, so both stages must share one image.
    assert {stage.base for stage in _stages()} == {RUNTIME_IMAGE}


def test_the_container_runs_as_non_root() -> None:
    user = _final().last("USER")
    assert user is not None, "the runtime stage sets no USER, so it runs as root"
    uid, _, gid = user.arguments.partition(":")
    assert uid.isdigit() and int(uid) != 0, f"USER {user.arguments}: Kubernetes can only verify a numeric non-root UID"
    assert not gid or (gid.isdigit() and int(gid) != 0), f"USER {user.arguments} runs in the root group"


def test_the_image_checks_its_health_at_healthz() -> None:
    healthcheck = _final().last("HEALTHCHECK")
    assert healthcheck is not None and healthcheck.arguments.upper() != "NONE"
    probe = " ".join(dockerfile.healthcheck_command(healthcheck))
    assert "127.0.0.1:8000/healthz" in probe, probe


def test_uvicorn_takes_the_application_from_uvicorn_app() -> None:
    # The image names its application in UVICORN_APP and leaves it out of CMD; this is what makes that work.
    [app] = [parameter for parameter in uvicorn_command.params if parameter.name == "app"]
    assert app.envvar == "UVICORN_APP"


@by_name
def test_every_service_image_starts_uvicorn_with_its_factory(service: Service) -> None:
    command = _final().last("CMD")
    assert command is not None and _final().last("ENTRYPOINT") is None
    assert command.exec_form() == ["uvicorn", "--factory", "--host", "0.0.0.0", "--port", "8000"]
    assert dockerfile.environment(_final(), _arguments(service)).get("UVICORN_APP") == service.app_factory


def test_the_image_exposes_the_port_uvicorn_listens_on() -> None:
    command = _final().last("CMD")
    assert command is not None
    argv = command.exec_form() or []
    port = argv[argv.index("--port") + 1]
    exposed = {word.partition("/")[0] for expose in _final().all("EXPOSE") for word in expose.words()}
    assert port in exposed


def test_every_stage_declares_the_build_arguments_it_uses() -> None:
    # An ARG before FROM or in another stage is out of scope: the variable would silently be empty.
    for stage in _stages():
        used = {name for step in stage.instructions for name in dockerfile.variables(step.arguments)}
        missing = used - BASE_IMAGE_VARIABLES - dockerfile.declared_arguments(stage)
        assert not missing, f"stage {stage.name} uses {sorted(missing)} without declaring them"


@by_name
def test_every_service_image_is_given_every_build_argument(service: Service) -> None:
    required = {name for stage in _stages() for name in dockerfile.declared_arguments(stage)}
    assert set(_arguments(service)) == required, f"{service.name} builds with {sorted(_arguments(service))}"


@by_name
def test_every_service_image_installs_its_package_from_the_lock_without_dev_tools(service: Service) -> None:
    syncs = [run for stage in _stages() for run in _syncs_in(stage)]
    assert syncs, "the image is installed with uv sync"
    for words in (dockerfile.substituted(" ".join(run.words()), _arguments(service)).split() for run in syncs):
        assert "--frozen" in words, "the lock is used as it is, never re-resolved"
        assert "--no-dev" in words
        assert words[words.index("--package") + 1] == service.name


def test_the_image_uses_the_uv_that_dx_pins() -> None:
    installs = [run.arguments for stage in _stages() for run in stage.all("RUN") if re.search(r"\buv==", run.arguments)]
    assert installs, "uv is installed at a pinned version"
    assert all(f"uv=={_pinned_uv_version()}" in install for install in installs), installs


def test_every_workspace_manifest_is_in_the_image_before_uv_reads_the_lock() -> None:
    build = next(stage for stage in _stages() if _syncs_in(stage))
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
def test_every_file_the_dockerfile_copies_is_in_the_build_context(service: Service) -> None:
    rules = dockerignore.patterns(ROOT / ".dockerignore")
    for stage in _stages():
        for copy in stage.all("COPY") + stage.all("ADD"):
            for source in dockerfile.copy_sources(copy):
                source = dockerfile.substituted(source, _arguments(service))
                assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
                assert not dockerignore.ignored(source, rules), f"COPY {source}: .dockerignore leaves it out"


def test_the_dockerfile_bakes_no_secret_into_the_image() -> None:
    declared = []
    for stage in _stages():
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
