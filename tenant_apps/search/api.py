"""GET /api/v1/search/?q=&types=contacts,deals&per_type=5: the global search as JSON."""

from dataclasses import asdict

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.rules import can

from .selectors import TYPE_KEYS, search_global, search_problem

MAX_PER_TYPE = 50


class IsWorkspaceMember(BasePermission):
    """A signed-in member of the workspace this request is on."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and can(request.user, "workspace.view"))


class SearchView(APIView):
    # Session only: Basic authentication would skip the second factor.
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsWorkspaceMember]

    def get(self, request):
        text = (request.query_params.get("q") or "").strip()
        problem = search_problem(text)
        if problem:
            return Response({"code": "invalid_query", "detail": problem}, status=status.HTTP_400_BAD_REQUEST)
        types = [t for t in (request.query_params.get("types") or "").split(",") if t]
        unknown = [t for t in types if t not in TYPE_KEYS]
        if unknown:
            return Response(
                {"code": "invalid_types", "detail": _("Unknown types: %(types)s. Use any of: %(known)s.") % {
                    "types": ", ".join(unknown), "known": ", ".join(TYPE_KEYS)}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        raw = request.query_params.get("per_type") or "5"
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PER_TYPE:
            return Response(
                {"code": "invalid_per_type",
                 "detail": _("per_type must be a whole number from 1 to %(max)d.") % {"max": MAX_PER_TYPE}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        per_type = int(raw)
        groups = search_global(user=request.user, text=text, per_type=per_type, types=types or None)
        return Response({"query": text, "groups": [asdict(g) for g in groups]})

