"""GET /api/v1/search/?q=&types=contacts,deals&per_type=5: the global search as JSON.

Authentication, membership, paging-free answers and the error shape come from the API's
defaults (config/settings/api.py): an API key or the signed-in session, and
{"error": {"code", "message"}} for bad input."""

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import UserFacingError

from .selectors import TYPE_KEYS, search_global, search_problem

MAX_PER_TYPE = 50


class SearchInputError(UserFacingError):
    """Bad search input; `code` is invalid_query, invalid_types or invalid_per_type."""

    code = "invalid_query"


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    subtitle = serializers.CharField()
    url = serializers.CharField()
    rank = serializers.FloatField()


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    hits = SearchHitSerializer(many=True)
    has_more = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


class SearchView(APIView):
    @extend_schema(
        summary="Search contacts, companies, deals, tasks and notes at once",
        parameters=[
            OpenApiParameter("q", str, required=True, description="Words to find; each is matched as a prefix."),
            OpenApiParameter("types", str, description="Comma-separated: " + ", ".join(TYPE_KEYS) + "."),
            OpenApiParameter("per_type", int, description=f"Hits per type, 1-{MAX_PER_TYPE} (default 5)."),
        ],
        responses=SearchResultSerializer,
    )
    def get(self, request):
        text = (request.query_params.get("q") or "").strip()
        problem = search_problem(text)
        if problem:
            raise SearchInputError(problem, code="invalid_query")
        types = [t for t in (request.query_params.get("types") or "").split(",") if t]
        unknown = [t for t in types if t not in TYPE_KEYS]
        if unknown:
            raise SearchInputError(
                _("Unknown types: %(types)s. Use any of: %(known)s.") % {
                    "types": ", ".join(unknown), "known": ", ".join(TYPE_KEYS)},
                code="invalid_types",
            )
        raw = request.query_params.get("per_type") or "5"
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PER_TYPE:
            raise SearchInputError(
                _("per_type must be a whole number from 1 to %(max)d.") % {"max": MAX_PER_TYPE},
                code="invalid_per_type",
            )
        groups = search_global(user=request.user, text=text, per_type=int(raw), types=types or None)
        return Response({"query": text, "groups": [asdict(g) for g in groups]})
