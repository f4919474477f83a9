"""allauth adapter: our login stages, redirects per surface, no open signup."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection
from django.utils import translation

from .models import Membership

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Workspaces are created through the public /signup/ page; people join an
        # existing workspace by invitation.
        return False

    def get_login_stages(self):
        return [
            *super().get_login_stages(),
            "shared_apps.accounts.stages.WorkspaceAccessStage",
            "shared_apps.accounts.stages.SecondFactorStage",
        ]

    def get_login_redirect_url(self, request):
        if getattr(request, "surface", "public") == "public":
            return "/account/workspaces/"
        return super().get_login_redirect_url(request)

    def get_logout_redirect_url(self, request):
        return "/accounts/login/" if getattr(request, "surface", "public") == "app" else "/"

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per site (host); an account is platform-wide, so
        # its failures are counted once across every workspace host. Covered by
        # tests/accounts/test_login.py::test_login_failures_are_rate_limited_per_email_across_hosts.
        return str(credentials.get("email", credentials.get("username", ""))).lower()

    @staticmethod
    def _is_member_mail(tenant, email, user) -> bool:
        members = Membership.objects.filter(tenant_id=tenant.pk)
        if user is not None and getattr(user, "pk", None) and members.filter(user_id=user.pk).exists():
            return True
        return members.filter(user__email__iexact=email).exists()

    def send_mail(self, template_prefix, email, context):
        """Mails about an account go out in the account's language and, when sent from
        a workspace's host, in the workspace's name and colours."""
        from themes.selectors import branding_get, default_branding

        tenant = getattr(connection, "tenant", None)
        in_workspace = bool(getattr(tenant, "pk", None)) and connection.schema_name == tenant.schema_name
        if in_workspace and not self._is_member_mail(tenant, email, context.get("user")):
            # Anyone can name a workspace and ask its host to mail an address (password
            # reset, "unknown account"); only its members ever get mail in its name.
            logger.info("Not sending %s from workspace %s to a non-member.", template_prefix, tenant.slug)
            return
        context.setdefault("workspace", tenant if in_workspace else None)
        context.setdefault("brand", branding_get() if in_workspace else default_branding())
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
