"""The customer portal's front page: who the company is and how to reach it."""

from django.shortcuts import render

from tenant_apps.workspace.selectors import workspace_profile


def home(request):
    return render(request, "portal/home.html", {"profile": workspace_profile()})
