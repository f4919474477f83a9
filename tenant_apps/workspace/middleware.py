"""Times on a workspace's pages are in the workspace's time zone."""

from django.utils import timezone


class WorkspaceTimezoneMiddleware:
    """Activate the workspace's time zone on its staff app and portal (after tenant
    routing); the public site stays in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .selectors import workspace_timezone

        if getattr(request, "surface", "public") in ("app", "portal") and getattr(request, "tenant", None) is not None:
            timezone.activate(workspace_timezone())
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
