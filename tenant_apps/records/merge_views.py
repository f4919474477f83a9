"""The merge screen shared by contacts and companies: pick the winning value per field."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .errors import RecordError, deny_if_forbidden


def merge_screen(request, *, primary, get, merge, fields, title, explanation, none_message):
    """`get(pk)` returns a visible record or raises Http404; `merge(primary, others,
    choices)` is the entity's merge service; `fields` are (name, label) pairs."""
    ids = request.POST.getlist("with") if request.method == "POST" else request.GET.getlist("with")
    others = []
    for other_id in ids:
        try:
            others.append(get(int(other_id)))
        except (ValueError, Http404):
            continue
    others = [o for o in others if o.pk != primary.pk]
    if not others:
        messages.error(request, none_message)
        return redirect(primary)
    everyone = [primary, *others]
    if request.method == "POST":
        choices = {f: request.POST.get(f"pick_{f}") for f, _label in fields if request.POST.get(f"pick_{f}")}
        try:
            merged = merge(primary, others, choices)
        except RecordError as exc:
            deny_if_forbidden(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Merged."))
            return redirect(merged)
    rows = []
    for field, label in fields:
        values = [(r.pk, getattr(r, field)) for r in everyone]
        rows.append({"field": field, "label": label, "values": values,
                     "differs": len({str(v) for _pk, v in values if v not in (None, "")}) > 1})
    return render(request, "records/merge_page.html", {
        "title": title, "explanation": explanation, "primary": primary, "others": others, "everyone": everyone, "rows": rows,
    })
