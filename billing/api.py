"""REST API of a workspace's subscription (owners and admins, or their API keys):
read the billing state, and get a Stripe Checkout or Billing Portal URL to send a
person to. The Stripe calls and rules are the billing page's (billing.services)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.rules import can
from tenant_apps.integrations.api.permissions import IsWorkspaceMember

from .models import Interval, Plan
from .selectors import subscription_panel
from .services import billing_portal_start, checkout_start


class CanManageBilling(BasePermission):
    def has_permission(self, request, view):
        return can(request.user, "billing.manage")


class CheckoutSerializer(serializers.Serializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=Plan.objects.filter(is_public=True).exclude(code="free"))
    interval = serializers.ChoiceField(choices=Interval.choices)


URL_ANSWER = inline_serializer("BillingRedirect", {"url": serializers.URLField()})


def _billing_page(request, **query) -> str:
    url = request.build_absolute_uri(reverse("settings_billing"))
    return url + ("?checkout=done" if query.get("done") else "")


class SubscriptionApi(APIView):
    """GET: the plan, status, trial end, renewal, past-due grace end and the plans for sale."""

    permission_classes = [IsWorkspaceMember, CanManageBilling]

    @extend_schema(responses=inline_serializer("Subscription", {
        "plan": serializers.CharField(), "status": serializers.CharField(),
        "interval": serializers.CharField(allow_blank=True), "trial_ends_at": serializers.DateTimeField(allow_null=True),
        "renews_at": serializers.DateTimeField(allow_null=True), "cancel_at_period_end": serializers.BooleanField(),
        "past_due_since": serializers.DateTimeField(allow_null=True),
        "grace_ends_at": serializers.DateTimeField(allow_null=True),
        "plans_for_sale": serializers.ListField(child=serializers.DictField()),
    }))
    def get(self, request):
        panel = subscription_panel(request.tenant)
        return Response({
            "plan": panel["plan"].code,
            "status": panel["status"],
            "interval": panel["interval"] if panel["has_subscription"] else "",
            "trial_ends_at": panel["trial_ends_at"],
            "renews_at": panel["renews_at"],
            "cancel_at_period_end": panel["cancel_at_period_end"],
            "past_due_since": panel["account"].past_due_since,
            "grace_ends_at": panel["grace_ends"],
            "plans_for_sale": [
                {"plan": c["plan"].code, "interval": c["interval"], "price": str(c["price"]), "currency": c["currency"],
                 "current": c["current"]}
                for c in panel["choices"]
            ],
        })


class CheckoutApi(APIView):
    """POST {plan, interval}: the URL of a Stripe Checkout page for that plan (or, with a
    subscription running, of the Billing Portal's confirmation of the change)."""

    permission_classes = [IsWorkspaceMember, CanManageBilling]

    @extend_schema(request=CheckoutSerializer, responses=URL_ANSWER)
    def post(self, request):
        data = CheckoutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        url = checkout_start(
            tenant=request.tenant, plan=data.validated_data["plan"], interval=data.validated_data["interval"],
            success_url=_billing_page(request, done=True), cancel_url=_billing_page(request), actor=request.user,
        )
        return Response({"url": url})


class PortalApi(APIView):
    """POST: the URL of the Stripe Billing Portal (card, invoices, cancellation)."""

    permission_classes = [IsWorkspaceMember, CanManageBilling]

    @extend_schema(request=None, responses=URL_ANSWER)
    def post(self, request):
        return Response({"url": billing_portal_start(tenant=request.tenant, return_url=_billing_page(request), actor=request.user)})
