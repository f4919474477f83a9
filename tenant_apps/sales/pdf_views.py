"""A document's PDF, and bulk exports of documents as a zip of PDFs (with progress)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from shared_apps.accounts.errors import PermissionDeniedError
from shared_apps.accounts.rules import can
from tenant_apps.templates.errors import ExportError, TemplateError
from tenant_apps.templates.exports import (
    FILTER_KEYS, document_export_start, export_for, export_list_for, export_status,
)

from .models import Document, DocumentKind, DocumentStatus
from .pdf import document_pdf, document_pdf_filename
from .selectors import document_with_lines

# An inline PDF may be framed by our own pages only; a stricter policy (object-src 'none')
# makes browsers refuse to show it.
PDF_CSP = "frame-ancestors 'self'"


@login_required
def document_pdf_view(request, pk):
    """The PDF, inline by default; ?download=1 as an attachment."""
    try:
        document = document_with_lines(pk)
    except Document.DoesNotExist:
        raise Http404 from None
    if not can(request.user, "sales.view_document", document):
        raise Http404  # as if it did not exist: a restricted rep learns nothing of others' documents
    try:
        pdf = document_pdf(document)
    except TemplateError as exc:
        return render(request, "sales/pdf/error.html", {
            "document": document, "error": exc, "can_edit_templates": can(request.user, "doc_templates.edit"),
        }, status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") == "1" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{document_pdf_filename(document)}"'
    response["Content-Security-Policy"] = PDF_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    # A draft's PDF changes with every edit; an issued one is private all the same.
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def export_start(request):
    """GET: the filters (prefilled from the list's query string) and the member's recent
    exports; POST: start an export of those filters."""
    if not can(request.user, "sales.view_document"):
        raise PermissionDenied
    params = request.POST if request.method == "POST" else request.GET
    error = None
    if request.method == "POST":
        try:
            export = document_export_start(actor=request.user, params=params)
        except PermissionDeniedError:
            raise PermissionDenied from None
        except ExportError as exc:
            error = exc
        else:
            return redirect("sales_export_detail", pk=export.pk)
    return render(request, "sales/pdf/export_start.html", {
        "values": {k: params.get(k, "") for k in FILTER_KEYS},
        "company": _company(request.user, params.get("company", "")),
        "kinds": DocumentKind.choices, "statuses": DocumentStatus.choices,
        "exports": export_list_for(user=request.user), "error": error,
    }, status=400 if error else 200)


def _company(user, value):
    from tenant_apps.companies.models import Company
    from tenant_apps.records.visibility import visible

    if not str(value).isdigit():
        return None
    return visible(Company.objects.all(), user).filter(pk=int(value)).first()


def _own_export(request, pk):
    export = export_for(user=request.user, pk=pk)
    if export is None or not can(request.user, "sales.view_document"):
        raise Http404
    return export


@login_required
def export_detail(request, pk):
    export = _own_export(request, pk)
    return render(request, "sales/pdf/export_detail.html", {"export": export, "expired": export.expires_at <= timezone.now()})


@login_required
def export_status_view(request, pk):
    """The progress as JSON, polled by the export page."""
    export = _own_export(request, pk)
    data = export_status(export)
    data["download_url"] = reverse("sales_export_download", args=[export.pk]) if export.status == "done" else ""
    return JsonResponse(data)


@login_required
def export_download(request, pk):
    export = _own_export(request, pk)
    if export.status != export.Status.DONE or not export.file_path:
        raise Http404
    if export.expires_at <= timezone.now() or not default_storage.exists(export.file_path):
        messages.error(request, ExportError("expired").message)
        return redirect("sales_export_detail", pk=export.pk)
    name = f"documents-{timezone.localdate(export.created_at).isoformat()}-{export.pk}.zip"
    return FileResponse(default_storage.open(export.file_path, "rb"), as_attachment=True, filename=name,
                        content_type="application/zip")
