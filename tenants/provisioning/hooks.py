"""Default data for new workspaces. Apps register a hook in their AppConfig.ready():

    @provisioning_hook
    def create_default_pipeline(*, tenant, owner): ...

Hooks run inside the provisioning transaction, in the new tenant's schema.
"""

from django.db import connection

_hooks: dict[str, object] = {}


def provisioning_hook(fn):
    _hooks[f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def provisioning_hooks_run(*, tenant, owner) -> None:
    previous = connection.tenant
    connection.set_tenant(tenant)
    try:
        for hook in _hooks.values():
            hook(tenant=tenant, owner=owner)
    finally:
        connection.set_tenant(previous)
