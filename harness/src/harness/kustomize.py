"""kustomize, built from source with the machine's Go into .run/cache on first use.

The tests render the overlays with the real kustomize, not an imitation of it. It is a Go program, so the
harness builds the pinned release from the Go module proxy (`go install`), once: the binary lives under
.run/cache/kustomize/<version>/, and a second run finds it there. The module and build caches live beside it,
so a fresh clone needs nothing but `go` on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from harness.paths import CACHE
from harness.progress import step

MODULE = "sigs.k8s.io/kustomize/kustomize/v5"
# v5.8.2 (kustomize/api v0.21.2) is the newest release whose go.mod the machine's Go 1.26 accepts.
VERSION = "v5.8.2"
HOME = CACHE / "kustomize"
BINARY = HOME / VERSION / "kustomize"


class KustomizeUnavailable(RuntimeError):
    """kustomize is not built and cannot be: Go is missing or the build failed."""


def ensure_kustomize() -> Path:
    """The path of the pinned kustomize, built first if this machine has not built it yet."""
    if BINARY.is_file():
        return BINARY
    go = shutil.which("go")
    if go is None:
        raise KustomizeUnavailable(f"kustomize {VERSION} is built with Go, and `go` is not on the PATH")
    BINARY.parent.mkdir(parents=True, exist_ok=True)
    # Built into a scratch folder and moved into place, so a second process never runs half a binary.
    with (
        step(f"building kustomize {VERSION} with {go} (first run only: a few minutes)"),
        tempfile.TemporaryDirectory(dir=BINARY.parent) as scratch,
    ):
        _go_install(go, Path(scratch))
        os.replace(Path(scratch) / "kustomize", BINARY)
    return BINARY


def _go_install(go: str, bin_dir: Path) -> None:
    environment = os.environ | {
        "GOBIN": str(bin_dir),
        "GOFLAGS": "-mod=mod -modcacherw",  # -modcacherw: the cache can be deleted like the rest of .run
        "GOMODCACHE": str(HOME / "go" / "mod"),
        "GOCACHE": str(HOME / "go" / "build"),
        "CGO_ENABLED": "0",
    }
    result = subprocess.run(
        [go, "install", f"{MODULE}@{VERSION}"], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise KustomizeUnavailable(f"go install {MODULE}@{VERSION} failed:\n{result.stderr[-4000:]}")


def build(directory: Path) -> str:
    """What `kustomize build directory` prints: every resource of the kustomization, as YAML documents."""
    result = subprocess.run(
        [str(ensure_kustomize()), "build", str(directory)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ValueError(f"kustomize build {directory} failed:\n{result.stderr}")
    return result.stdout
