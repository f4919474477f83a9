"""Signing up: a new owner (or an existing user) and their new workspace, in one go."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import translation

from shared_apps.accounts.services.users import user_create
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenants.services import tenant_provision


def workspace_signup(*, request, company_name: str, slug: str, email: str = "", password: str = "", user=None):
    """Create the owner (unless `user` is given) and a ready workspace; the owner's
    address gets a verification e-mail. Returns (user, tenant)."""
    with transaction.atomic():
        if user is None:
            user = user_create(email=email, password=password, language=translation.get_language() or "")
        tenant = tenant_provision(slug=slug, name=company_name, owner=user)
        security_event_record(kind=EventKind.SIGNUP, request=request, actor=user, tenant=tenant)
        address = EmailAddress.objects.filter(user=user, email=user.email, verified=False).first()
        if address is not None:
            address.send_confirmation(request, signup=True)
    return user, tenant
