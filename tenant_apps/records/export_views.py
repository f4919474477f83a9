"""Download of a record list: /records/export/<entity>/?<the list's query>&format=csv|xlsx."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.accounts.decorators import permission_required

from .errors import RecordError, deny_if_forbidden
from .exports import (
    CONTENT_TYPES, EXPORT_ENTITIES, FORMATS, ListExport, csv_chunks, list_export, list_export_record, xlsx_bytes,
)
from .listing import entity_list

# Parameters of the export itself, not of the list.
OWN_PARAMS = ("format", "columns")


@permission_required("records.export")
def list_export_view(request, entity):
    if entity not in EXPORT_ENTITIES:
        raise Http404
    params = request.GET.copy()
    file_format = params.get("format", "csv")
    every_column = params.get("columns") == "all"
    for key in OWN_PARAMS:
        params.pop(key, None)
    if file_format not in FORMATS:
        messages.error(request, _("Choose CSV or Excel (XLSX) to export."))
        return redirect(f"{reverse(entity_list(entity).url_name)}?{params.urlencode()}")
    try:
        list_export_record(entity=entity, file_format=file_format, query_string=params.urlencode(),
                           actor=request.user, request=request)
    except RecordError as exc:
        deny_if_forbidden(exc)
        raise
    return export_response(list_export(entity=entity, params=params, user=request.user, file_format=file_format,
                                       every_column=every_column))


def export_response(export: ListExport):
    """The file of an export: CSV streamed, XLSX in one piece; never cached."""
    if export.file_format == "csv":
        response = StreamingHttpResponse(csv_chunks(export), content_type=CONTENT_TYPES["csv"])
    else:
        response = HttpResponse(xlsx_bytes(export), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
