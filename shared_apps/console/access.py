"""Console access: platform staff only, always with a passed second factor."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def platform_staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if getattr(request, "surface", "public") != "public":
            raise Http404
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_staff and user.is_active):
            raise Http404  # the console does not exist for anyone else
        if not user.two_factor_enabled:
            messages.warning(request, _("The console requires two-factor authentication. Please set it up first."))
            return redirect(reverse("two_factor_setup"))
        if not user.is_verified():
            return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": request.get_full_path()}))
        return view(request, *args, **kwargs)

    return wrapper
