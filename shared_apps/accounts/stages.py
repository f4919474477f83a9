"""allauth login stages that every way in passes through (password, codes, SSO later).

WorkspaceAccessStage: on a workspace host only members of that workspace sign in.
SecondFactorStage: a user with a confirmed device must give a code before the session
exists; the device is attached to the user so django-otp marks the session verified.
"""

from allauth.account.stages import LoginStage
from allauth.core.internal.httpkit import headed_redirect_response
from django.contrib import messages
from django.utils.translation import gettext as _

from .models import Membership


class WorkspaceAccessStage(LoginStage):
    key = "tessera_workspace_access"

    def handle(self):
        tenant = getattr(self.request, "tenant", None)
        if getattr(self.request, "surface", "public") != "app" or not getattr(tenant, "pk", None):
            return None, True
        user = self.login.user
        if user is not None and Membership.objects.filter(user=user, tenant_id=tenant.pk).exists():
            return None, True
        messages.error(
            self.request,
            _("You do not have access to %(workspace)s. Ask an administrator there to invite you.")
            % {"workspace": tenant.name},
        )
        return headed_redirect_response("account_login"), False


class SecondFactorStage(LoginStage):
    key = "tessera_second_factor"
    urlname = "two_factor_authenticate"

    def handle(self):
        user = self.login.user
        if user is None or not user.two_factor_enabled:
            return None, True
        return headed_redirect_response(self.urlname), True
