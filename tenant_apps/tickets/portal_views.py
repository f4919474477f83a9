"""The customer's side of tickets, on the portal: their company's tickets, opening one,
the conversation (never internal notes), replying, closing, downloading files.

Every query goes through selectors.portal_* (portal.access.customer_scope): a ticket of
another company, or of another workspace, is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import portal_login_required
from tenant_apps.records.errors import RecordPermissionError

from .errors import TicketValidationError
from .forms import ReplyForm, TicketOpenForm
from .selectors import portal_attachment_get, portal_ticket_get, portal_ticket_list, ticket_messages
from .services import ticket_close_by_customer, ticket_open_by_customer, ticket_reply_by_customer
from .views import attachment_response


def _ticket_or_404(request, pk):
    ticket = portal_ticket_get(access=request.portal_access, pk=pk)
    if ticket is None:
        raise Http404(_("This ticket does not exist or you cannot see it."))
    return ticket


@portal_login_required
def portal_ticket_list_view(request):
    return render(request, "tickets/portal/list.html", {"tickets": portal_ticket_list(access=request.portal_access)})


@portal_login_required
def portal_ticket_open_view(request):
    form = TicketOpenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_open_by_customer(
                access=request.portal_access, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                files=request.FILES.getlist("attachments"),
            )
        except TicketValidationError as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, _("Thank you: your ticket #%(number)s is open. We will answer soon.")
                             % {"number": ticket.pk})
            return redirect("portal_ticket_detail", pk=ticket.pk)
    return render(request, "tickets/portal/open.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, ticket, *, form=None, status=200):
    return render(request, "tickets/portal/detail.html", {
        "ticket": ticket,
        "conversation": ticket_messages(ticket=ticket, include_internal=False),
        "form": form or ReplyForm(),
    }, status=status)


@portal_login_required
def portal_ticket_detail_view(request, pk):
    return _detail(request, _ticket_or_404(request, pk))


@require_POST
@portal_login_required
def portal_ticket_reply_view(request, pk):
    ticket = _ticket_or_404(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ticket_reply_by_customer(access=request.portal_access, ticket=ticket, body=form.cleaned_data["body"],
                                     files=request.FILES.getlist("attachments"))
        except TicketValidationError as exc:
            form.add_service_errors(exc.errors)
        except RecordPermissionError as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("portal_ticket_detail", pk=ticket.pk)
    return _detail(request, ticket, form=form, status=400)


@require_POST
@portal_login_required
def portal_ticket_close_view(request, pk):
    ticket = _ticket_or_404(request, pk)
    try:
        ticket_close_by_customer(access=request.portal_access, ticket=ticket)
    except RecordPermissionError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The ticket is closed. Write again on it whenever you need to."))
    return redirect("portal_ticket_detail", pk=ticket.pk)


@portal_login_required
def portal_ticket_attachment_view(request, pk):
    attachment = portal_attachment_get(access=request.portal_access, pk=pk)
    if attachment is None:
        raise Http404(_("This file does not exist or you cannot see it."))
    return attachment_response(attachment)
