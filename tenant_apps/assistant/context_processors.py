"""`assistant_available` and `assistant_unavailable_reason` for every template, so any
AI button can disable itself and say why. Lazy: a page without AI buttons runs no
query for them."""

from functools import cache

from django.utils.functional import SimpleLazyObject


def assistant(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        return {}

    @cache
    def status():
        from .client import assistant_available

        return assistant_available(tenant)

    return {
        "assistant_available": SimpleLazyObject(lambda: status()[0]),
        "assistant_unavailable_reason": SimpleLazyObject(lambda: status()[1]),
    }
