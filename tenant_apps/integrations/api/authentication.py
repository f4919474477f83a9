"""API keys on the `Authorization: Bearer <key>` header.

A key lives in one workspace's schema, so a key of another workspace is simply not
found. It acts as its creator with the creator's current role: a creator who has left
the workspace (or been deactivated) makes the key fail."""

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from billing.entitlements import entitlement_require
from billing.errors import PlanFeatureUnavailable
from shared_apps.accounts.models import Membership

from ..selectors import api_key_for_secret
from ..services import api_key_touch
from .permissions import ReadOnlyKey


class KeyFailed(exceptions.AuthenticationFailed):
    default_code = "invalid_api_key"


class PlanFeatureRequired(exceptions.APIException):
    """A valid key of a workspace whose plan has no API access (402, in the error shape)."""

    status_code = 402
    default_code = "plan_feature_unavailable"
    default_detail = _("API access is not included in your plan. Upgrade the plan to use the API.")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise KeyFailed(_("Send the key as “Authorization: Bearer <key>”."), code="malformed_authorization")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise KeyFailed(_("Send the key as “Authorization: Bearer <key>”."), code="malformed_authorization") from None
        tenant = getattr(connection, "tenant", None)
        if tenant is None or not getattr(tenant, "pk", None):
            raise KeyFailed(_("This API key is not valid."), code="invalid_api_key")
        key = api_key_for_secret(secret)
        if key is None:
            raise KeyFailed(_("This API key is not valid."), code="invalid_api_key")
        now = timezone.now()
        if key.revoked_at is not None:
            raise KeyFailed(_("This API key has been revoked."), code="api_key_revoked")
        if key.expires_at is not None and key.expires_at <= now:
            raise KeyFailed(_("This API key has expired."), code="api_key_expired")
        user = key.created_by
        membership = Membership.objects.filter(user=user, tenant_id=tenant.pk).first() if user.is_active else None
        if membership is None:
            raise KeyFailed(_("The member this key acts as is no longer in the workspace."), code="api_key_member_gone")
        # The rules read the membership from this cache (shared_apps/accounts/rules.py),
        # exactly as SessionBindingMiddleware fills it for a signed-in page.
        membership.tenant = tenant
        user._membership_cache = (connection.schema_name, membership)
        request._request.membership = membership
        if user.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = user.language
        try:
            # Checked with the credential, so that no endpoint can forget it. The app's own
            # session calls are not API access in the plan's sense and are not refused.
            entitlement_require(tenant, "api")
        except PlanFeatureUnavailable as exc:
            raise PlanFeatureRequired(exc.message) from None
        if key.scope != key.Scope.READ_WRITE and request.method not in SAFE_METHODS:
            # Enforced with the credential, not only in the default permission class, so that
            # a view with its own permission_classes cannot forget it.
            raise ReadOnlyKey()
        api_key_touch(key=key, now=now)
        return user, key

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The signed-in UI's own calls: CSRF enforced. SessionBindingMiddleware has already
    refused a session made on another host and loaded the membership."""
