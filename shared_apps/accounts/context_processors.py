"""Identity for templates: the user's workspaces (switcher) and impersonation banner."""

from allauth.account.models import EmailAddress
from django.utils.functional import SimpleLazyObject

from .binding import IMPERSONATION_UNTIL_KEY, IMPERSONATOR_EMAIL_KEY, is_impersonating
from .selectors import memberships_for_user


def identity(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {
        "my_memberships": SimpleLazyObject(lambda: list(memberships_for_user(user))),
        "membership": getattr(request, "membership", None),
        "email_unverified": SimpleLazyObject(
            lambda: not EmailAddress.objects.filter(user=user, verified=True).exists()
        ),
    }
    if is_impersonating(request):
        context["impersonation"] = {
            "by": request.session.get(IMPERSONATOR_EMAIL_KEY, ""),
            "until": request.session.get(IMPERSONATION_UNTIL_KEY, ""),
        }
    return context
