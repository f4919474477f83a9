"""REST API of a workspace's subscription (owners and admins, or their API keys):
read the billing state, and get a Stripe Checkout or Billing Portal URL to send a
person to. The Stripe calls and rules are the billing page's (billing.services)."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.rules import can
from tenant_apps.integrations.api.permissions import IsWorkspaceMember

from .connect_selectors import connect_status
from .connect_services import connect_onboarding_start
from .connect_views import onboarding_urls
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


class ConnectStatusApi(APIView):
    """GET: where the workspace's card payments stand (its connected Stripe account)."""

    permission_classes = [IsWorkspaceMember, CanManageBilling]

    @extend_schema(responses=inline_serializer("ConnectStatus", {
        "status": serializers.ChoiceField(choices=["not_connected", "incomplete", "ready"]),
        "stripe_account_id": serializers.CharField(allow_blank=True),
        "charges_enabled": serializers.BooleanField(), "payouts_enabled": serializers.BooleanField(),
        "details_submitted": serializers.BooleanField(),
        "currencies": serializers.ListField(child=serializers.CharField()),
    }))
    def get(self, request):
        status = connect_status(request.tenant)
        return Response({
            "status": str(status["status"]), "stripe_account_id": status["stripe_account_id"],
            "charges_enabled": status["charges_enabled"], "payouts_enabled": status["payouts_enabled"],
            "details_submitted": status["details_submitted"],
            "currencies": [c.upper() for c in settings.STRIPE_CONNECT_CURRENCIES],
        })


class ConnectOnboardingApi(APIView):
    """POST: the URL of Stripe's onboarding for the workspace's connected account (created
    in Stripe on the first call only)."""

    permission_classes = [IsWorkspaceMember, CanManageBilling]

    @extend_schema(request=None, responses=URL_ANSWER)
    def post(self, request):
        url = connect_onboarding_start(
            tenant=request.tenant, actor=request.user, request=request, **onboarding_urls(request)
        )
        return Response({"url": url})
