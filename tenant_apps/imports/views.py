"""Import pages: the list of imports, upload, mapping with a preview, progress and
result, the error report, undo. Everything needs records.import."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from billing.errors import EntitlementError
from shared_apps.accounts.decorators import permission_required

from .errors import ImportFileTooLarge, ImportProblem
from .files import ENCODING_LABELS, MAX_FILE_BYTES
from .forms import MappingForm, UploadForm
from .mapping import targets_for
from .models import ImportJob
from .selectors import import_job_get, import_job_status, import_jobs_list, import_preview
from .services import (
    field_labels, import_job_create, import_job_map, import_job_retry_skipping, import_job_start, import_job_undo,
)
from .reports import row_messages

PERMISSION = "records.import"


def _job(pk) -> ImportJob:
    try:
        return import_job_get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


@permission_required(PERMISSION)
def import_list(request):
    return render(request, "imports/list.html", {"jobs": import_jobs_list(), "section": "imports"})


@permission_required(PERMISSION)
def import_new(request):
    entity = request.GET.get("entity") if request.GET.get("entity") in ImportJob.Entity.values else "contact"
    if request.method == "POST":
        # Refuse an oversized upload from its declared length, before reading the body.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_FILE_BYTES + 64 * 1024:
            return render(request, "imports/new.html", {
                "form": UploadForm(initial={"entity": entity}), "error": str(ImportFileTooLarge.default_message),
            }, status=413)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_job_create(actor=request.user, upload=form.cleaned_data["file"],
                                        entity=form.cleaned_data["entity"])
            except (ImportProblem, EntitlementError) as exc:
                form.add_error("file", str(exc.message))
            else:
                return redirect("import_mapping", job.pk)
    else:
        form = UploadForm(initial={"entity": entity})
    return render(request, "imports/new.html", {"form": form})


@permission_required(PERMISSION)
def import_mapping(request, pk):
    job = _job(pk)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("import_detail", job.pk)
    targets = targets_for(job.entity)
    form = MappingForm(request.POST or None, job=job, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            import_job_map(job=job, actor=request.user, mapping=form.mapping(), mode=form.cleaned_data["mode"])
            if "start" in request.POST:
                import_job_start(job=job, actor=request.user)
                return redirect("import_detail", job.pk)
        except (ImportProblem, EntitlementError) as exc:
            form.add_error(None, str(exc.message))
        else:
            return redirect("import_mapping", job.pk)
    preview, preview_error = [], ""
    try:
        preview = import_preview(job)
    except ImportProblem as exc:
        preview_error = str(exc.message)
    labels = field_labels(job.entity)
    rows = [{"number": r.number, "cells": r.cells + [""] * (len(job.headers) - len(r.cells)),
             "messages": row_messages(r.errors, labels), "action": _("update") if r.existing else _("create")}
            for r in preview]
    return render(request, "imports/mapping.html", {
        "job": job, "form": form, "rows": rows,
        "encoding_label": ENCODING_LABELS.get(job.encoding, job.encoding), "preview_error": preview_error,
        "invalid_count": sum(1 for r in preview if r.errors),
    })


@permission_required(PERMISSION)
def import_detail(request, pk):
    job = _job(pk)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("import_mapping", job.pk)
    return render(request, "imports/detail.html", {"job": job, "status": import_job_status(job)})


@require_GET
@permission_required(PERMISSION)
def import_status(request, pk):
    return JsonResponse(import_job_status(_job(pk)))


@require_GET
@permission_required(PERMISSION)
def import_errors(request, pk):
    job = _job(pk)
    if not job.error_report_path or not default_storage.exists(job.error_report_path):
        raise Http404
    response = FileResponse(default_storage.open(job.error_report_path, "rb"), as_attachment=True,
                            filename=f"import-{job.pk}-errors.csv", content_type="text/csv; charset=utf-8")
    return response


@require_POST
@permission_required(PERMISSION)
def import_retry(request, pk):
    """Run a refused all-or-nothing import again, skipping the rows that were not valid."""
    try:
        retry = import_job_retry_skipping(job=_job(pk), actor=request.user)
    except (ImportProblem, EntitlementError) as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("import_detail", args=[pk]))
    return redirect(reverse("import_detail", args=[retry.pk]))


@require_POST
@permission_required(PERMISSION)
def import_undo(request, pk):
    job = _job(pk)
    try:
        job = import_job_undo(job=job, actor=request.user)
    except ImportProblem as exc:
        messages.error(request, str(exc.message))
    else:
        if job.undo_skipped:
            messages.warning(request, ngettext(
                "Import undone. %(n)d record changed after the import and was left as it is.",
                "Import undone. %(n)d records changed after the import and were left as they are.",
                len(job.undo_skipped)) % {"n": len(job.undo_skipped)})
        else:
            messages.success(request, _("Import undone."))
    return redirect(reverse("import_detail", args=[job.pk]))
