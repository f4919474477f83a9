"""Ticket pages of the staff app: the queue, a new ticket for a contact, a ticket with its
conversation, replies and internal notes, status/assignee/priority, and attachment
downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.models import User
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError

from .errors import TicketValidationError
from .forms import ReplyForm, TicketCreateForm, TicketUpdateForm
from .models import Ticket
from .notify import customer_address
from .selectors import (
    LIST_STATUSES,
    assignable_members,
    staff_attachment_get,
    ticket_counts,
    ticket_get,
    ticket_list,
    ticket_messages,
)
from .services import ticket_create, ticket_reply, ticket_update

PAGE_SIZE = 50
STATUS_LABELS = {
    "active": gettext_lazy("Not closed"),
    "open": Ticket.Status.OPEN.label,
    "pending": Ticket.Status.PENDING.label,
    "closed": Ticket.Status.CLOSED.label,
    "all": gettext_lazy("All"),
}


def _ticket_or_404(request, pk) -> Ticket:
    ticket = ticket_get(user=request.user, pk=pk)
    if ticket is None:
        raise Http404(_("This ticket does not exist or you cannot see it."))
    return ticket


def _filters(params) -> dict:
    status = params.get("status") or "active"
    if status not in LIST_STATUSES:
        status = "active"
    raw = params.get("assignee") or "any"
    assignee = raw if raw in ("me", "none") else None
    if raw.isascii() and raw.isdigit() and len(raw) < 12:
        assignee = int(raw)
    records = {}
    for key in ("contact", "company"):
        value = params.get(key) or ""
        if value.isascii() and value.isdigit() and len(value) < 19:
            records[f"{key}_id"] = int(value)
    return {"status": status, "assignee": assignee, "assignee_raw": raw if assignee is not None else "any",
            "records": records}


@permission_required("tickets.view_ticket")
def ticket_list_view(request):
    filters = _filters(request.GET)
    page = Paginator(
        ticket_list(user=request.user, status=filters["status"], assignee=filters["assignee"], **filters["records"]),
        PAGE_SIZE
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tickets/list.html", {
        "page": page,
        "tickets": page.object_list,
        "filters": filters,
        "statuses": [(key, STATUS_LABELS[key]) for key in LIST_STATUSES],
        "members": list(assignable_members()),
        "counts": ticket_counts(user=request.user),
        "query_string": params.urlencode(),
        "can_create": can(request.user, "tickets.add_ticket"),
    })


def _contact_or_404(request, raw):
    from tenant_apps.contacts.selectors import contact_get
    from tenant_apps.records.errors import RecordNotFound

    raw = str(raw or "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    try:
        return contact_get(user=request.user, pk=int(raw))
    except RecordNotFound as exc:
        raise Http404(_("This contact does not exist or you cannot see it.")) from exc


def _contact_search(request, text: str) -> dict:
    """Contacts matching `text` (the global search's ranking), to open a ticket for one."""
    from tenant_apps.search.selectors import search_global, search_problem

    text = (text or "").strip()
    if not text:
        return {"q": "", "problem": None, "hits": []}
    problem = search_problem(text)
    groups = [] if problem else search_global(user=request.user, text=text, per_type=10, types=["contacts"])
    return {"q": text, "problem": problem, "hits": [hit for group in groups for hit in group.hits]}


@permission_required("tickets.add_ticket")
def ticket_create_view(request):
    """GET ?contact=<id>: the form for that contact; without one, a search for the contact.
    POST: open the ticket (the customer is e-mailed) and go to it."""
    assignees = [(m.user_id, m.user.display_name) for m in assignable_members()]
    raw = request.POST.get("contact") if request.method == "POST" else request.GET.get("contact")
    contact = _contact_or_404(request, raw)
    if contact is None:
        if request.method == "POST":
            return render(request, "tickets/create.html", {
                **_contact_search(request, ""), "contact": None, "problem": _("Choose the customer first.")}, status=400)
        return render(request, "tickets/create.html", {**_contact_search(request, request.GET.get("q")),
                                                        "contact": None})
    if request.method != "POST":
        form = TicketCreateForm(initial={"contact": contact.pk}, assignees=assignees)
        return render(request, "tickets/create.html", {"contact": contact, "form": form})
    form = TicketCreateForm(request.POST, request.FILES, assignees=assignees)
    if form.is_valid():
        data = form.cleaned_data
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        try:
            ticket = ticket_create(actor=request.user, contact=contact, subject=data["subject"], body=data["body"],
                                   priority=data["priority"], assignee=assignee,
                                   files=request.FILES.getlist("attachments"))
        except TicketValidationError as exc:
            form.add_service_errors(exc.errors)
        except RecordPermissionError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        else:
            address, _language = customer_address(ticket)
            if address:
                messages.success(request, _("Ticket opened; your message was e-mailed to %(email)s.") % {"email": address})
            else:
                messages.success(request, _("Ticket opened. The contact has no e-mail address, so nothing was sent."))
            return redirect("ticket_detail", pk=ticket.pk)
    return render(request, "tickets/create.html", {"contact": contact, "form": form}, status=400)


def _detail(request, ticket, *, reply_form=None, update_form=None, status=200):
    members = list(assignable_members())
    assignees = [(m.user_id, m.user.display_name) for m in members]
    if ticket.assignee_id and all(pk != ticket.assignee_id for pk, _name in assignees):
        assignees.append((ticket.assignee_id, _("%(name)s (not a member)") % {"name": ticket.assignee.display_name}))
    can_write = can(request.user, "tickets.reply", ticket)
    return render(request, "tickets/detail.html", {
        "ticket": ticket,
        "conversation": ticket_messages(ticket=ticket, include_internal=True),
        "can_write": can_write,
        "reply_form": reply_form or ReplyForm(staff=True),
        "update_form": update_form or TicketUpdateForm(
            initial={"status": ticket.status, "priority": ticket.priority, "assignee": ticket.assignee_id},
            assignees=assignees,
        ),
    }, status=status)


@permission_required("tickets.view_ticket")
def ticket_detail_view(request, pk):
    return _detail(request, _ticket_or_404(request, pk))


@require_POST
@permission_required("tickets.view_ticket")
def ticket_reply_view(request, pk):
    ticket = _ticket_or_404(request, pk)
    if not can(request.user, "tickets.reply", ticket):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES, staff=True)
    if form.is_valid():
        internal = form.cleaned_data.get("internal", False)
        try:
            ticket_reply(ticket=ticket, actor=request.user, body=form.cleaned_data["body"], internal=internal,
                         files=request.FILES.getlist("attachments"))
        except TicketValidationError as exc:
            form.add_service_errors(exc.errors)
        except RecordPermissionError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        else:
            if internal:
                messages.success(request, _("Internal note added."))
            else:
                messages.success(request, _("Answer sent to the customer."))
            return redirect("ticket_detail", pk=ticket.pk)
    return _detail(request, ticket, reply_form=form, status=400)


@require_POST
@permission_required("tickets.view_ticket")
def ticket_update_view(request, pk):
    ticket = _ticket_or_404(request, pk)
    if not can(request.user, "tickets.change_ticket", ticket):
        raise PermissionDenied
    assignees = [(m.user_id, m.user.display_name) for m in assignable_members()]
    form = TicketUpdateForm(request.POST, assignees=assignees)
    if form.is_valid():
        data = form.cleaned_data
        assignee = User.objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        try:
            ticket_update(ticket=ticket, actor=request.user, status=data["status"], priority=data["priority"],
                          assignee=assignee)
        except TicketValidationError as exc:
            form.add_service_errors(exc.errors)
        except RecordPermissionError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        else:
            messages.success(request, _("Ticket saved."))
            return redirect("ticket_detail", pk=ticket.pk)
    return _detail(request, ticket, update_form=form, status=400)


def attachment_response(attachment) -> FileResponse:
    """The file as a download: never rendered by the browser on our host."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("tickets.view_ticket")
def ticket_attachment_view(request, pk):
    attachment = staff_attachment_get(user=request.user, pk=pk)
    if attachment is None:
        raise Http404(_("This file does not exist or you cannot see it."))
    return attachment_response(attachment)

