"""The template editor in the workspace settings: list, edit, preview with sample data,
versions and revert. Owners and admins only (doc_templates.edit)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required

from .catalogue import TemplateKey, email_sample_context, key_from_slug, template_keys, variables_for
from .defaults import Content
from .errors import TemplateError
from .forms import TemplateForm
from .models import TemplateKind
from .rendering import render_document_html, render_email_content
from . import selectors
from .selectors import template_content, template_latest_numbers
from .services import template_revert, template_save

# Previews show workspace-written HTML in the editor's frame: no script runs and nothing is
# loaded, whatever it holds. A PDF only needs to be framed by the editor (a stricter policy
# makes browsers refuse to show it).
PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
PDF_CSP = "frame-ancestors 'self'"


def _key(slug: str) -> TemplateKey:
    key = key_from_slug(slug)
    if key is None:
        raise Http404
    return key


@permission_required("doc_templates.edit")
def template_list(request):
    latest = template_latest_numbers()
    rows = [(key, latest.get((key.kind, key.name, key.language), 0)) for key in template_keys()]
    return render(request, "doc_templates/list.html", {
        "documents": [r for r in rows if r[0].kind == TemplateKind.DOCUMENT],
        "emails": [r for r in rows if r[0].kind == TemplateKind.EMAIL],
        "section": "templates",
    })


def _initial(content: Content) -> dict:
    return {"subject": content.subject, "html": content.html, "css": content.css, "text": content.text}


@permission_required("doc_templates.edit")
def template_edit(request, slug):
    key = _key(slug)
    active = template_content(kind=key.kind, name=key.name, language=key.language)
    form = TemplateForm(request.POST if request.method == "POST" else None, kind=key.kind, initial=_initial(active))
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = template_save(key=key, subject=data.get("subject", ""), html=data["html"],
                                    css=data.get("css", ""), text=data.get("text", ""), actor=request.user)
        except TemplateError as exc:
            error = exc
            form.add_error(exc.part if exc.part in form.fields else None, exc.message)
        else:
            messages.success(request, _("Version %(number)s of the template is now in use.") % {"number": version.number})
            return redirect("template_edit", slug=key.slug)
    return render(request, "doc_templates/edit.html", {
        "key": key, "form": form, "active": active, "variables": variables_for(key.kind), "error": error,
        "syntax_help": _("Write %(value)s to insert a value, %(if)s and %(for)s for conditions and lists "
                         "(Jinja syntax). Values are escaped for HTML.")
        % {"value": "{{ document.number }}", "if": "{% if … %}", "for": "{% for … %}"},
        "section": "templates",
    }, status=400 if error or request.method == "POST" else 200)


@require_POST
@permission_required("doc_templates.edit")
def template_preview(request, slug):
    """The posted (unsaved) template rendered with sample data: a PDF for a document, the
    HTML of an e-mail; a broken template gives a page with the error and its line."""
    key = _key(slug)
    form = TemplateForm(request.POST, kind=key.kind)
    if not form.is_valid():
        return _preview_error(request, [e for errors in form.errors.values() for e in errors])
    data = form.cleaned_data
    content = Content(number=0, subject=data.get("subject", ""), html=data["html"], css=data.get("css", ""),
                      text=data.get("text", ""))
    try:
        if key.kind == TemplateKind.EMAIL:
            subject, html, text = render_email_content(content, language=key.language,
                                                       context=email_sample_context(key.name, key.language))
            body = render_to_string("doc_templates/email_preview.html", {"subject": subject, "html": html, "text": text})
            response = HttpResponse(body)
            response["Content-Security-Policy"] = PREVIEW_CSP
        else:
            if "</" in content.css:
                raise TemplateError("css_invalid", part="css")
            from tenant_apps.sales.pdf import document_sample_context, html_to_pdf

            context = document_sample_context(data.get("sample_kind") or "invoice", data.get("sample_language") or "en")
            pdf = html_to_pdf(render_document_html(content, context=context), css=content.css)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="preview.pdf"'
            response["Content-Security-Policy"] = PDF_CSP
    except TemplateError as exc:
        return _preview_error(request, [exc.message])
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _preview_error(request, errors):
    response = render(request, "doc_templates/preview_error.html", {"errors": errors}, status=400)
    response["Content-Security-Policy"] = PREVIEW_CSP
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@permission_required("doc_templates.edit")
def template_versions(request, slug):
    key = _key(slug)
    versions = selectors.template_versions(key=key)
    return render(request, "doc_templates/versions.html", {
        "key": key, "versions": versions, "active_number": versions[0].number if versions else 0,
        "section": "templates",
    })


@require_POST
@permission_required("doc_templates.edit")
def template_revert_view(request, slug, number):
    key = _key(slug)
    try:
        version = template_revert(key=key, number=number, actor=request.user)
    except TemplateError as exc:
        if exc.code == "version_unknown":
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(old)s is in use again, saved as version %(new)s.")
                         % {"old": number, "new": version.number})
    return redirect("template_versions", slug=key.slug)
