"""REST API of imports: create a job from an uploaded file (with a mapping and a mode)
and start it, read its status, download its error report, undo it."""

import json

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.errors import EntitlementError
from shared_apps.accounts.rules import can
from tenant_apps.integrations.api.errors import error_body
from tenant_apps.integrations.api.permissions import IsWorkspaceMember

from .api_schema import ImportCreateSerializer, ImportJobSerializer
from .errors import ImportFileMissing, ImportFileTooLarge, ImportMappingError, ImportPermissionError, ImportProblem
from .files import MAX_FILE_BYTES
from .models import ImportJob
from .selectors import import_job_get, import_job_status, import_jobs_list
from .services import import_job_create, import_job_map, import_job_start, import_job_undo


class CanImport(BasePermission):
    """records.import (managers and up), on top of the API's member check."""

    def has_permission(self, request, view):
        return can(request.user, "records.import")


def job_data(job: ImportJob) -> dict:
    return {
        **import_job_status(job),
        "entity": job.entity,
        "mode": job.mode,
        "file_name": job.file_name,
        "encoding": job.encoding,
        "headers": job.headers,
        "mapping": job.mapping,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "undone_at": job.undone_at,
        "undo_skipped": job.undo_skipped,
    }


def _problem(exc: ImportProblem) -> Response:
    code = status.HTTP_403_FORBIDDEN if isinstance(exc, ImportPermissionError) else status.HTTP_400_BAD_REQUEST
    if exc.code == "file_too_large":
        code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    return Response(error_body(exc.code, exc.message), status=code)


def _job_or_404(pk):
    try:
        return import_job_get(pk=pk)
    except ImportJob.DoesNotExist:
        return None


def _not_found() -> Response:
    return Response(error_body("not_found", _("This import does not exist.")), status=404)


class ImportListApi(APIView):
    """GET: the latest imports. POST (multipart): file, entity (contact|company), mode
    (all|skip), mapping (JSON: column index -> field; guessed from the header when
    left out), start (default true)."""

    permission_classes = [IsWorkspaceMember, CanImport]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="imports_list", summary="The latest 50 imports",
                   responses=ImportJobSerializer(many=True))
    def get(self, request):
        return Response([job_data(job) for job in import_jobs_list(limit=50)])

    @extend_schema(operation_id="imports_create", summary="Upload a file and start importing it",
                   request={"multipart/form-data": ImportCreateSerializer},
                   responses={201: ImportJobSerializer, 400: OpenApiResponse(description="A file, mapping or mode problem"),
                              413: OpenApiResponse(description="The file is over 50 MB")})
    def post(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_FILE_BYTES + 64 * 1024:
            return _problem(ImportFileTooLarge())
        upload = request.FILES.get("file")
        if upload is None:
            return _problem(ImportFileMissing())
        job = None
        try:
            with transaction.atomic():
                job = import_job_create(actor=request.user, upload=upload, entity=request.data.get("entity", "contact"))
                raw_mapping = request.data.get("mapping")
                if raw_mapping:
                    try:
                        mapping = json.loads(raw_mapping) if isinstance(raw_mapping, str) else raw_mapping
                    except ValueError as exc:
                        raise ImportMappingError() from exc
                    if not isinstance(mapping, dict):
                        raise ImportMappingError()
                else:
                    mapping = job.mapping
                job = import_job_map(job=job, actor=request.user, mapping=mapping, mode=request.data.get("mode") or None)
                if str(request.data.get("start", "true")).lower() not in ("0", "false", "no"):
                    job = import_job_start(job=job, actor=request.user)
        except (ImportProblem, EntitlementError) as exc:
            if job is not None:  # the job row was rolled back; its file goes too
                default_storage.delete(job.file_path)
            if isinstance(exc, EntitlementError):
                raise  # 402 with the plan's code, from the API's error handler
            return _problem(exc)
        return Response(job_data(ImportJob.objects.get(pk=job.pk)), status=status.HTTP_201_CREATED)


class ImportDetailApi(APIView):
    permission_classes = [IsWorkspaceMember, CanImport]

    @extend_schema(operation_id="imports_retrieve", summary="One import and its progress",
                   responses={200: ImportJobSerializer, 404: OpenApiResponse(description="No such import")})
    def get(self, request, pk):
        job = _job_or_404(pk)
        if job is None:
            return _not_found()
        return Response(job_data(job))


class ImportErrorsApi(APIView):
    permission_classes = [IsWorkspaceMember, CanImport]

    @extend_schema(operation_id="imports_errors", summary="The error report of an import (CSV)",
                   responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
                              404: OpenApiResponse(description="No such import, or no errors")})
    def get(self, request, pk):
        job = _job_or_404(pk)
        if job is None or not job.error_report_path or not default_storage.exists(job.error_report_path):
            return _not_found()
        return FileResponse(default_storage.open(job.error_report_path, "rb"), as_attachment=True,
                            filename=f"import-{job.pk}-errors.csv", content_type="text/csv; charset=utf-8")


class ImportUndoApi(APIView):
    permission_classes = [IsWorkspaceMember, CanImport]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="imports_undo", summary="Undo a whole import", request=None,
                   responses={200: ImportJobSerializer, 400: OpenApiResponse(description="It cannot be undone"),
                              404: OpenApiResponse(description="No such import")})
    def post(self, request, pk):
        job = _job_or_404(pk)
        if job is None:
            return _not_found()
        try:
            job = import_job_undo(job=job, actor=request.user)
        except ImportProblem as exc:
            return _problem(exc)
        return Response(job_data(job))
