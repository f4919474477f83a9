"""Error pages in the site's look and the user's language."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)


# Each urlconf imports these names, which is how Django finds its error views.
handler400 = "themes.errors_views.bad_request"
handler403 = "themes.errors_views.permission_denied"
handler404 = "themes.errors_views.page_not_found"
handler500 = "themes.errors_views.server_error"
handler429 = "themes.errors_views.too_many_requests"
