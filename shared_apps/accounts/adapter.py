"""allauth adapter: our login stages, redirects per surface, no open signup."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


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

    def send_mail(self, template_prefix, email, context):
        # Mails about an account go out in the account's language.
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
