"""Default data of a new workspace: its profile and branding rows."""

from tenants.provisioning.hooks import provisioning_hook
from themes.models import Branding

from .models import WorkspaceProfile


@provisioning_hook
def create_profile_and_branding(*, tenant, owner):
    language = getattr(owner, "language", "") or "en"
    WorkspaceProfile.objects.get_or_create(
        singleton=True,
        defaults={"legal_name": tenant.name, "email": getattr(owner, "email", ""), "default_language": language},
    )
    Branding.objects.get_or_create(singleton=True)
