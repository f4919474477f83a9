"""Every new workspace starts with a sales pipeline."""

from django.utils import translation
from django.utils.translation import gettext as _

from tenants.provisioning.hooks import provisioning_hook

from .models import Pipeline
from .services import pipeline_stages_seed


@provisioning_hook
def create_default_pipeline(*, tenant, owner):
    if Pipeline.objects.exists():
        return
    with translation.override(getattr(owner, "language", "") or "en"):
        pipeline = Pipeline.objects.create(name=_("Sales pipeline"), is_default=True, position=1)
        stages = [
            (_("Qualified"), 10), (_("Contact made"), 20), (_("Demo scheduled"), 40),
            (_("Proposal sent"), 60), (_("Negotiation"), 80),
        ]
        pipeline_stages_seed(pipeline, stages)
