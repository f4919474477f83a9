"""REST API of the assistant: a deal's AI analysis.

GET  /api/v1/deals/{id}/analysis/  the newest analysis (404 `not_analysed` before the first)
POST /api/v1/deals/{id}/analysis/  analyse the deal now (201); the model's failures answer
     with the assistant's codes: not_configured 503, credits_exhausted 402, timeout 504,
     upstream_error and malformed_answer 502."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenant_apps.deals.selectors import deal_get
from tenant_apps.integrations.api.errors import error_body
from tenant_apps.integrations.api.permissions import IsWorkspaceMember

from .models import DealAnalysis
from .selectors import deal_analysis_latest
from .services import deal_analysis_refresh


class RiskSerializer(serializers.Serializer):
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    severity = serializers.ChoiceField(choices=["low", "medium", "high"])


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    why = serializers.CharField(allow_blank=True)


class DealAnalysisSerializer(serializers.ModelSerializer):
    deal = serializers.IntegerField(source="deal_id")
    risks = RiskSerializer(many=True)
    next_best_actions = ActionSerializer(many=True, source="next_actions")
    win_probability_reasons = serializers.ListField(child=serializers.CharField())
    created_by = serializers.EmailField(source="created_by.email", allow_null=True, default=None)

    class Meta:
        model = DealAnalysis
        fields = [
            "id", "deal", "health_score", "win_probability", "win_probability_reasons", "risks",
            "next_best_actions", "summary", "model", "tokens", "credits", "created_by", "created_at",
        ]


class DealAnalysisApi(APIView):
    permission_classes = [IsWorkspaceMember]

    @extend_schema(operation_id="deals_analysis_retrieve", summary="The deal's newest AI analysis",
                   responses={200: DealAnalysisSerializer,
                              404: OpenApiResponse(description="No such deal, or not analysed yet")})
    def get(self, request, pk):
        deal = deal_get(user=request.user, pk=pk)
        analysis = deal_analysis_latest(deal=deal)
        if analysis is None:
            return Response(error_body("not_analysed", _("This deal has not been analysed yet.")), status=404)
        return Response(DealAnalysisSerializer(analysis).data)

    @extend_schema(operation_id="deals_analysis_create", summary="Analyse the deal with the AI model now",
                   request=None,
                   responses={201: DealAnalysisSerializer, 402: OpenApiResponse(description="AI credits used up"),
                              403: OpenApiResponse(description="May not change this deal"),
                              502: OpenApiResponse(description="The model failed or answered in the wrong format"),
                              503: OpenApiResponse(description="No model configured"),
                              504: OpenApiResponse(description="The model took too long")})
    def post(self, request, pk):
        deal = deal_get(user=request.user, pk=pk)
        analysis = deal_analysis_refresh(deal=deal, actor=request.user)
        return Response(DealAnalysisSerializer(analysis).data, status=status.HTTP_201_CREATED)
