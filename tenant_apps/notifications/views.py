"""The notifications page, opening one (marks it read) and marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required

from .selectors import notification_get, notification_list, notification_unread_count
from .services import is_local_url, notifications_mark_all_read, notifications_mark_read

PAGE_SIZE = 30


@permission_required("workspace.view")
def notification_index(request):
    from tenant_apps.tasks.selectors import request_zone

    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    with timezone.override(request_zone(request)):
        return render(
            request,
            "notifications/list.html",
            {"page": page, "notifications": list(page.object_list), "unread": notification_unread_count(user=request.user)},
        )


@permission_required("workspace.view")
def notification_open(request, pk):
    """Mark the notification read and go where it points (only a path on this host)."""
    notification = notification_get(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    notifications_mark_read(ids=[notification.pk], actor=request.user)
    url = notification.url
    if is_local_url(url) and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notification_list")


@permission_required("workspace.view")
@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")
