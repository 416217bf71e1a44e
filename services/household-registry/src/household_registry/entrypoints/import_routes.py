"""/v1/households/imports: post an annual review file (CSV or JSON lines), then follow its progress.

The file is checked and stored, then answered at once (202 and the import's Location); the rows are recorded in
the background by the registry's import worker. The same file posted again answers its first import (200).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from backan_shared.api.household_imports import (
    CSV_EXAMPLE,
    NDJSON_EXAMPLE,
    ReviewImportAccepted,
    ReviewImportPublic,
    RowFailurePublic,
)
from backan_shared.problems import Problem
from household_registry.adapters.review_import_store import ImportRecord
from household_registry.entrypoints.dependencies import DependenciesDep
from household_registry.service_layer.import_worker import ReviewImportWorker
from household_registry.service_layer.review_imports import review_import, submit_review_file

router = APIRouter(prefix="/v1/households/imports", tags=["annual review imports"])
_FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
            "application/x-ndjson": {"schema": {"type": "string"}, "example": NDJSON_EXAMPLE},
        },
    }
}


def import_worker(request: Request) -> ReviewImportWorker:
    """This replica's import worker, started with the app."""
    worker: ReviewImportWorker = request.app.state.review_imports
    return worker


WorkerDep = Annotated[ReviewImportWorker, Depends(import_worker)]


@router.post(
    "",
    status_code=202,
    response_model=ReviewImportAccepted,
    summary="Import an annual review file of surveys (CSV or JSON lines), recorded in the background",
    openapi_extra=_FILE_BODY,
    responses={200: {"description": "this very file was posted before: its import", "model": ReviewImportAccepted}},
)
async def post_review_file(
    request: Request, services: DependenciesDep, worker: WorkerDep, response: Response
) -> ReviewImportAccepted:
    content = await limited_body(request, request.app.state.bootstrap.import_max_bytes)
    submission = await submit_review_file(services, content, request.headers.get("content-type", ""))
    if submission.created:
        worker.wake()
    else:
        response.status_code = 200
    record = submission.record
    response.headers["Location"] = f"/v1/households/imports/{record.import_id}"
    return ReviewImportAccepted(
        import_id=str(record.import_id),
        status=record.status.value,
        rows_total=record.rows_total,
        duplicate=not submission.created,
    )


@router.get("/{import_id}", response_model=ReviewImportPublic, summary="An import's state and progress")
async def get_review_import(import_id: uuid.UUID, services: DependenciesDep) -> ReviewImportPublic:
    return import_public(await review_import(services, import_id))


async def limited_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes `limit` bytes."""
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise Problem(f"a review file is at most {limit} bytes; split it", status=413)
    return bytes(received)


def import_public(record: ImportRecord) -> ReviewImportPublic:
    """The import as the API shows it."""
    progress = record.progress
    return ReviewImportPublic.model_validate(
        {
            "import_id": str(record.import_id),
            "status": record.status.value,
            "content_type": record.content_type,
            "rows_total": record.rows_total,
            "rows_done": progress.rows_done,
            "rows_recorded": progress.rows_recorded,
            "rows_unchanged": progress.rows_unchanged,
            "rows_failed": progress.rows_failed,
            "failures": [RowFailurePublic(row=f.row, reason=f.reason) for f in progress.failures],
            "error": record.error,
            "created_at": record.created_at,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
        }
    )
