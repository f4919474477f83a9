"""Identity for templates: the user's workspaces (switcher) and impersonation banner."""

from django.utils.functional import SimpleLazyObject

from .binding import IMPERSONATION_UNTIL_KEY, IMPERSONATOR_EMAIL_KEY, is_impersonating
from .selectors import email_is_verified, memberships_for_user


def identity(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {
        "my_memberships": SimpleLazyObject(lambda: list(memberships_for_user(user))),
        "membership": getattr(request, "membership", None),
        "email_unverified": SimpleLazyObject(lambda: not email_is_verified(user)),
    }
    if is_impersonating(request):
        context["impersonation"] = {
            "by": request.session.get(IMPERSONATOR_EMAIL_KEY, ""),
            "until": request.session.get(IMPERSONATION_UNTIL_KEY, ""),
        }
    return context
